package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/lurewatch/lure/ad"
)

// Defaults of DiscoverOptions.
const (
	DefaultDiscoverSamples = 3
	DefaultDiscoverDelay   = 500 * time.Millisecond
	// maxDiscoverURLs bounds the ad URLs Discover reads from sitemaps and
	// feeds: enough to see the site's URL shapes.
	maxDiscoverURLs = 5000
	// maxDiscoverDocs bounds the sitemaps and feeds Discover reads.
	maxDiscoverDocs = 8
)

// DiscoverOptions configure Discover.
type DiscoverOptions struct {
	// Kind is the kind of ads; empty means job when the sample pages carry
	// schema.org JobPosting, else Discover fails asking for it.
	Kind ad.Kind
	// Lang is the ads' language; empty means the one the sample pages
	// declare most often, if any.
	Lang string
	// Site is the site ID; empty derives one from the URL.
	Site string
	// Samples is the number of ad pages read to check the extraction;
	// default DefaultDiscoverSamples.
	Samples int
	// Delay is the pause between two requests; default
	// DefaultDiscoverDelay.
	Delay time.Duration
	// UserAgent, Timeout, MaxBodyBytes and MaxRedirects are as in
	// Options, with the same defaults.
	UserAgent    string
	Timeout      time.Duration
	MaxBodyBytes int
	MaxRedirects int
	// Logger, if nil, discards.
	Logger *slog.Logger
}

// Discovery is what Discover found on a site.
type Discovery struct {
	// Root is the address Discover started from.
	Root string
	// Robots says whether the site serves a robots.txt, and
	// RobotsSitemaps lists the sitemaps it names.
	Robots         bool
	RobotsSitemaps []string
	// Sitemaps and Feeds are the documents read, with what they held.
	Sitemaps []FoundDoc
	Feeds    []FoundDoc
	// URLs is the number of page URLs the sitemaps and feeds named (at
	// most maxDiscoverURLs are read), and AdURLs the number of them the
	// chosen include pattern selects.
	URLs, AdURLs int
	// Samples are the ad pages read with the suggested profile.
	Samples []Sample
	// Profile is the suggested profile; it validates.
	Profile Profile
}

// FoundDoc is one sitemap or feed Discover read.
type FoundDoc struct {
	URL string
	// Format is "sitemap index", "sitemap", "rss" or "atom".
	Format string
	// Entries is the number of entries read (bounded).
	Entries int
	// Err is why the document could not be read, "" if it was.
	Err string
}

// Sample is one ad page read with the suggested profile.
type Sample struct {
	URL        string
	Structured Structured
	Ad         *ad.Ad // nil when the page gave no ad
	Err        string // why it gave none
}

// ErrNothingFound is wrapped by Discover's error when the site publishes
// nothing a profile can be built on.
var ErrNothingFound = errors.New("no usable sitemap or feed")

// Discover looks at a site from the address root (its home page, or the
// section of a site that holds the ads, e.g. https://example.kz/jobs/)
// politely (robots.txt honoured, one request at a time with a delay): it
// reads robots.txt and the sitemaps it names, probes the usual sitemap
// addresses, follows the RSS and Atom links of the root page, picks the
// URL pattern most of the named pages share, reads a few of those pages
// with the structured extraction, and suggests a profile of type sitemap
// (preferred) or feed. The Discovery is returned with an error too, to
// show what was found.
func Discover(ctx context.Context, root string, opts DiscoverOptions) (*Discovery, error) {
	ru, err := url.Parse(strings.TrimSpace(root))
	if err != nil || (ru.Scheme != "http" && ru.Scheme != "https") || ru.Host == "" {
		return nil, fmt.Errorf("crawler: discover: %q is not an absolute http(s) URL", root)
	}
	ru.Fragment, ru.RawQuery = "", ""
	if ru.Path == "" {
		ru.Path = "/"
	}
	if opts.Samples <= 0 {
		opts.Samples = DefaultDiscoverSamples
	}
	if opts.Delay <= 0 {
		opts.Delay = DefaultDiscoverDelay
	}
	o := Options{UserAgent: opts.UserAgent, Timeout: opts.Timeout, MaxBodyBytes: opts.MaxBodyBytes,
		MaxRedirects: opts.MaxRedirects, Logger: opts.Logger}
	o.setDefaults()
	base := &url.URL{Scheme: ru.Scheme, Host: ru.Host}
	p := Profile{BaseURL: base.String(), Delay: opts.Delay}
	f := newDocFetcher(&p, &o)
	d := &Discovery{Root: ru.String()}
	dd := &discoverer{ctx: ctx, f: f, d: d, base: base, prefix: sectionPrefix(ru.Path), maxBody: int64(o.MaxBodyBytes)}

	rob, err := f.robotsOf(ctx, base)
	if err != nil {
		return d, fmt.Errorf("crawler: discover: %w", err)
	}
	d.Robots = rob.found
	d.RobotsSitemaps = rob.sitemaps

	// Sitemaps: robots.txt's within the section, then the usual names.
	var cands []string
	for _, s := range rob.sitemaps {
		if su, err := url.Parse(s); err == nil && strings.EqualFold(su.Host, ru.Host) && strings.HasPrefix(su.Path, dd.prefix) {
			cands = append(cands, su.String())
		}
	}
	if len(cands) == 0 {
		for _, name := range []string{"sitemap.xml", "sitemap_index.xml", "sitemap.xml.gz"} {
			cands = append(cands, base.ResolveReference(&url.URL{Path: dd.prefix + name}).String())
		}
		if dd.prefix != "/" {
			cands = append(cands, base.ResolveReference(&url.URL{Path: "/sitemap.xml"}).String())
		}
	}
	var sitemapRoots []string
	for _, c := range cands {
		if n := dd.sitemap(c, 0); n > 0 {
			sitemapRoots = append(sitemapRoots, c)
		}
	}
	sitemapURLs := dd.urls
	dd.urls = nil

	// Feeds: the root page's alternate links.
	var feedRoots []string
	title := ""
	if doc, err := dd.page(ru.String()); err == nil {
		title = cleanText(doc.Find("title").First().Text())
		for _, fl := range FeedLinks(doc.Document, doc.url) {
			if fu, err := url.Parse(fl); err != nil || !strings.EqualFold(fu.Host, ru.Host) {
				continue
			}
			if n := dd.feed(fl); n > 0 {
				feedRoots = append(feedRoots, fl)
			}
		}
	}
	feedURLs := dd.urls

	typ, roots, urls := TypeSitemap, sitemapRoots, sitemapURLs
	if len(sitemapURLs) == 0 {
		typ, roots, urls = TypeFeed, feedRoots, feedURLs
	}
	d.URLs = len(urls)
	if len(urls) == 0 {
		return d, fmt.Errorf("crawler: discover %s: %w: robots.txt names %d sitemaps, %d sitemaps and %d feeds answered",
			ru, ErrNothingFound, len(rob.sitemaps), len(d.Sitemaps), len(d.Feeds))
	}

	p = Profile{
		Site: opts.Site, Name: title, Kind: opts.Kind, Lang: opts.Lang, Type: typ, BaseURL: base.String(),
		Delay: max(opts.Delay, time.Second), Parallelism: 1, Recrawl: DefaultRecrawl,
	}
	if p.Site == "" {
		p.Site = siteIDFor(ru)
	}
	if p.Name == "" {
		p.Name = ru.Host + dd.prefix
	}
	p.Name = truncate(p.Name, maxPlatformName)
	for _, r := range roots {
		ref, _ := url.Parse(r)
		rel := ref.Path
		if ref.RawQuery != "" {
			rel += "?" + ref.RawQuery
		}
		if typ == TypeSitemap {
			p.Sitemaps = append(p.Sitemaps, rel)
		} else {
			p.Feeds = append(p.Feeds, rel)
		}
	}

	// The include pattern: the URL shape whose sample pages give ads.
	var lastErr string
	for _, g := range urlGroups(urls, ru.Host) {
		p.Include = []string{g.pattern}
		samples, ok := dd.samples(&p, g.urls, opts.Samples)
		if !ok {
			if len(samples) > 0 {
				lastErr = samples[0].Err
			}
			continue
		}
		d.Samples, d.AdURLs = samples, len(g.urls)
		break
	}
	if d.Samples == nil {
		msg := "no page they name reads as an ad"
		if lastErr != "" {
			msg += " (" + lastErr + ")"
		}
		return d, fmt.Errorf("crawler: discover %s: %w: %s", ru, ErrNothingFound, msg)
	}
	if p.Kind == "" {
		for _, s := range d.Samples {
			if s.Structured.IsJobPosting() {
				p.Kind = ad.KindJob
			}
		}
		if p.Kind == "" {
			d.Profile = p
			return d, errors.New("crawler: discover: the pages carry no schema.org JobPosting, so the kind of ads is unknown: give it (job or marriage)")
		}
	}
	if p.Lang == "" {
		p.Lang = commonLang(d.Samples)
	}
	if err := p.Validate(); err != nil {
		d.Profile = p
		return d, fmt.Errorf("crawler: discover: suggested profile: %w", err)
	}
	d.Profile = p
	return d, nil
}

// pageDoc is a parsed page and its final URL.
type pageDoc struct {
	*goquery.Document
	url string
}

type discoverer struct {
	ctx     context.Context
	f       *docFetcher
	d       *Discovery
	base    *url.URL
	prefix  string
	maxBody int64
	urls    []string
	docs    int
}

// errEnough stops a reader once enough entries are read.
var errEnough = errors.New("enough")

// sitemap reads the sitemap (or index) at u, collecting page URLs, and
// returns the number of entries it held.
func (dd *discoverer) sitemap(u string, nesting int) int {
	if dd.docs >= maxDiscoverDocs || dd.ctx.Err() != nil {
		return 0
	}
	dd.docs++
	doc := FoundDoc{URL: u, Format: "sitemap"}
	resp, err := dd.f.open(dd.ctx, u)
	if err != nil {
		var se *StatusError
		if !errors.As(err, &se) || se.Status != 404 {
			doc.Err = err.Error()
			dd.d.Sitemaps = append(dd.d.Sitemaps, doc)
		}
		return 0
	}
	defer resp.Body.Close()
	var children []string
	index, err := ReadSitemap(resp.Body, func(e SitemapEntry) error {
		doc.Entries++
		if e.Sitemap {
			children = append(children, e.Loc)
		} else if len(dd.urls) < maxDiscoverURLs {
			dd.urls = append(dd.urls, e.Loc)
		} else {
			return errEnough
		}
		return nil
	})
	if index {
		doc.Format = "sitemap index"
	}
	if err != nil && !errors.Is(err, errEnough) {
		doc.Err = err.Error()
	}
	dd.d.Sitemaps = append(dd.d.Sitemaps, doc)
	if nesting < maxSitemapNesting {
		for _, c := range children {
			if cu, err := url.Parse(c); err == nil && strings.EqualFold(cu.Host, dd.base.Host) {
				dd.sitemap(c, nesting+1)
			}
		}
	}
	return doc.Entries
}

// feed reads the feed at u, collecting its links, and returns the number
// of items it held.
func (dd *discoverer) feed(u string) int {
	if dd.docs >= maxDiscoverDocs || dd.ctx.Err() != nil {
		return 0
	}
	dd.docs++
	doc := FoundDoc{URL: u}
	resp, err := dd.f.open(dd.ctx, u)
	if err != nil {
		doc.Err = err.Error()
		dd.d.Feeds = append(dd.d.Feeds, doc)
		return 0
	}
	defer resp.Body.Close()
	format, err := ReadFeed(resp.Body, func(it FeedItem) error {
		doc.Entries++
		if l := resolveIn(resp.Request.URL, it.Link); l != "" && len(dd.urls) < maxDiscoverURLs {
			dd.urls = append(dd.urls, l)
		}
		return nil
	})
	doc.Format = format
	if err != nil {
		doc.Err = err.Error()
	}
	dd.d.Feeds = append(dd.d.Feeds, doc)
	return doc.Entries
}

// page fetches and parses one HTML page.
func (dd *discoverer) page(u string) (*pageDoc, error) {
	resp, err := dd.f.open(dd.ctx, u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, dd.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", u, err)
	}
	if int64(len(raw)) > dd.maxBody {
		return nil, fmt.Errorf("crawler: %s: larger than %d bytes", u, dd.maxBody)
	}
	ct := resp.Header.Get("Content-Type")
	if !isHTML(ct, raw) {
		return nil, fmt.Errorf("crawler: %s: not an HTML page (Content-Type %q)", u, ct)
	}
	body, err := decodeBody(raw, ct, "")
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", u, err)
	}
	doc, err := parseHTML(body)
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", u, err)
	}
	return &pageDoc{Document: doc, url: resp.Request.URL.String()}, nil
}

// samples reads up to n of urls with profile p and reports whether most
// of them gave an ad.
func (dd *discoverer) samples(p *Profile, urls []string, n int) ([]Sample, bool) {
	var out []Sample
	good := 0
	site := p.Site
	if !siteIDRE.MatchString(site) {
		site = "discover"
	}
	q := *p
	q.Site = site
	if q.Kind == "" {
		q.Kind = ad.KindOther
	}
	for _, u := range spread(urls, n) {
		s := Sample{URL: u}
		doc, err := dd.page(u)
		if err != nil {
			s.Err = err.Error()
			out = append(out, s)
			continue
		}
		s.Structured = ExtractStructured(doc.Document)
		a, _, err := q.extractPage(doc.url, doc.Document, time.Now().UTC())
		if err != nil {
			s.Err = err.Error()
		} else {
			a.Site, a.Kind = p.Site, p.Kind
			s.Ad = &a
			good++
		}
		out = append(out, s)
	}
	return out, good > 0 && good*2 >= len(out)
}

// spread picks up to n items of list, spread over it.
func spread(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, list[i*len(list)/n])
	}
	return out
}

// urlGroup is a URL shape: the URLs whose path has the same directory.
type urlGroup struct {
	pattern string
	urls    []string
}

// urlGroups groups URLs on host by the directory of their path, the
// largest group first; each group's pattern is that directory and "/*".
// A path without a directory part groups on the path itself.
func urlGroups(urls []string, host string) []urlGroup {
	by := map[string]*urlGroup{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || !strings.EqualFold(u.Host, host) {
			continue
		}
		p := strings.TrimSuffix(u.Path, "/")
		dir := path.Dir(p)
		pat := globEscape(dir) + "/*"
		if dir == "/" || dir == "." {
			pat = globEscape(p)
			if pat == "" {
				continue // the root page is no ad
			}
			if strings.HasSuffix(u.Path, "/") {
				pat = globEscape(u.Path)
			}
		}
		if strings.HasSuffix(u.Path, "/") && dir != "/" {
			pat += "/"
		}
		g := by[pat]
		if g == nil {
			g = &urlGroup{pattern: pat}
			by[pat] = g
		}
		g.urls = append(g.urls, raw)
	}
	out := make([]urlGroup, 0, len(by))
	for _, g := range by {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].urls) != len(out[j].urls) {
			return len(out[i].urls) > len(out[j].urls)
		}
		return out[i].pattern < out[j].pattern
	})
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// globEscape escapes the characters path.Match treats specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sectionPrefix is the directory of a root path: "/jobs/" for "/jobs/"
// and "/jobs/index.html", "/" for "/".
func sectionPrefix(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	d := path.Dir(p)
	if d == "/" || d == "." {
		if strings.Contains(path.Base(p), ".") {
			return "/"
		}
		return p + "/"
	}
	return d + "/"
}

// siteIDFor derives a site ID from a root URL: the section's first path
// segment when there is one (and it has Latin letters or digits), else
// the host without "www." and port.
func siteIDFor(u *url.URL) string {
	if seg := strings.Split(strings.Trim(sectionPrefix(u.Path), "/"), "/")[0]; seg != "" {
		if id := slugID(seg); id != "" {
			return id
		}
	}
	if id := slugID(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")); id != "" {
		return id
	}
	return "site"
}

// slugID keeps the Latin letters and digits of s, lowercase, with one
// dash for each run of anything else, at most 60 bytes.
func slugID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimSuffix(b.String(), "-")
	if len(id) > 60 {
		id = strings.TrimSuffix(id[:60], "-")
	}
	return id
}

// commonLang is the language every sample declares, or "" when they
// declare none or differ: a site that mixes languages is best left
// without one, so that each ad's own (or detected) language counts.
func commonLang(samples []Sample) string {
	lang := ""
	for _, s := range samples {
		l := normLang(s.Structured.Lang)
		switch {
		case l == "":
			return ""
		case lang == "":
			lang = l
		case l != lang:
			return ""
		}
	}
	return lang
}
