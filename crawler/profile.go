package crawler

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html/charset"

	"github.com/lurewatch/lure/ad"
)

// SitesFS holds the embedded profiles, as sites/*.yaml.
//
//go:embed sites/*.yaml
var SitesFS embed.FS

// MaxProfileBytes bounds the size of one profile file.
const MaxProfileBytes = 1 << 20

// Defaults applied by Run to zero profile fields.
const (
	DefaultParallelism = 1
	DefaultMaxPages    = 100
	DefaultRecrawl     = time.Hour
	DefaultRecheckMax  = 200
	DefaultMaxAds      = 5000
	// MaxRecheckMax bounds RecheckMax.
	MaxRecheckMax = 100000
)

// Genres of a site that publishes texts about lures rather than ads
// (Profile.Genre).
const (
	GenreNews = "news"
	GenreNGO  = "ngo"
)

// Profile tells the crawler how to walk one site and read its ads. It is
// loaded from YAML with unknown fields rejected.
type Profile struct {
	// Site is the site ID, lowercase letters, digits and dashes. It is part
	// of every ad ID.
	Site string `yaml:"site"`
	// Name is a human-readable name.
	Name string `yaml:"name"`
	// PlatformName is the platform's own name, as takedown notices address
	// it ("To: Rabota.md"); optional, notices then name the site ID.
	PlatformName string `yaml:"platform_name"`
	// NoticeContact is where the platform takes notices of illegal
	// content: an e-mail address or the http(s) URL of its notice form
	// (optional). Notices show it beside PlatformName.
	NoticeContact string `yaml:"notice_contact"`
	// Kind is the kind of ads on the site: job, marriage or other.
	Kind ad.Kind `yaml:"kind"`
	// Lang is the ads' language when a page does not say (optional).
	Lang string `yaml:"lang"`
	// Country is the site's country, ISO 3166-1 alpha-2 (optional).
	Country string `yaml:"country"`
	// Genre is what the site publishes when it is not ads: "news" (a news
	// site) or "ngo" (a counter-trafficking or migrants' organisation).
	// Texts of such sites quote lures to report or warn; the classifier's
	// feature reporting_site lowers their scores. Empty for ad sites.
	Genre string `yaml:"genre"`
	// BaseURL is the site's root, e.g. "https://example.md". It may be
	// changed after loading (for example to point at a test server): start
	// URLs are resolved against it when the crawl starts, and only its host
	// is crawled.
	BaseURL string `yaml:"base_url"`
	// StartURLs are the first list pages, relative to BaseURL or absolute
	// on BaseURL's host.
	StartURLs []string `yaml:"start_urls"`
	// List says how to find ads and the next page on a list page.
	List ListSpec `yaml:"list"`
	// Fields says how to read an ad's detail page.
	Fields FieldSpecs `yaml:"fields"`
	// Delay is the pause after each request to the site; 0 means none.
	Delay time.Duration `yaml:"delay"`
	// Parallelism is the number of requests in flight to the site;
	// 0 means DefaultParallelism.
	Parallelism int `yaml:"parallelism"`
	// MaxPages bounds the list pages visited in one crawl; 0 means
	// DefaultMaxPages.
	MaxPages int `yaml:"max_pages"`
	// MaxAds bounds the ad pages a sitemap or feed site fetches in one
	// crawl; 0 means DefaultMaxAds. Pages past it stay listed (so they
	// are not taken as removed) and are fetched by later crawls, which
	// skip the pages already read and unchanged.
	MaxAds int `yaml:"max_ads"`
	// MaxDepth bounds the link depth from a start URL (a start page is
	// depth 1, its next page and its ads depth 2, ...); 0 means no limit
	// other than MaxPages.
	MaxDepth int `yaml:"max_depth"`
	// Recrawl is how often the site is crawled again (see Schedule); 0
	// means ScheduleOptions.Recrawl, else DefaultRecrawl. Run itself
	// crawls once.
	Recrawl time.Duration `yaml:"recrawl"`
	// UserAgent overrides Options.UserAgent for this site (optional).
	UserAgent string `yaml:"user_agent"`
	// Type is how the site is read: "html" (the default: list pages link
	// to ad pages read with Fields), "telegram" (a public channel
	// preview, t.me/s/<channel>: each post on the page is an ad, and List
	// and Fields must be left empty), "sitemap" (the URLs of the site's
	// sitemaps, selected by Include and Exclude, are its ad pages) or
	// "feed" (the links of its RSS or Atom feeds are). Ad pages of sitemap
	// and feed sites are read from their schema.org JobPosting (JSON-LD
	// or microdata), OpenGraph tags and main text block (see
	// ExtractStructured); a field with a selector in Fields is read with
	// it instead.
	Type string `yaml:"type"`
	// Sitemaps are the sitemaps or sitemap indexes of a sitemap site
	// (plain or gzipped), relative to BaseURL or absolute on an allowed
	// host. Empty means the sitemaps robots.txt names, else /sitemap.xml.
	Sitemaps []string `yaml:"sitemaps"`
	// Feeds are the RSS or Atom feeds of a feed site (at least one).
	Feeds []string `yaml:"feeds"`
	// Include, when set, keeps only the ad URLs (from a sitemap, a feed
	// or a list page) whose path matches one of its patterns; Exclude
	// drops those matching one of its. A pattern is a glob over the URL
	// path as path.Match reads it ("/vacancy/*": * stays within one path
	// segment), or, prefixed "re:", a regular expression searched in the
	// path and query ("re:^/ad/[0-9]+$").
	Include []string `yaml:"include"`
	Exclude []string `yaml:"exclude"`
	// AllowedDomains are further hosts the crawl may follow links to (ad
	// pages on a CDN or a sister domain). BaseURL's host is always allowed.
	AllowedDomains []string `yaml:"allowed_domains"`
	// Domains sets the delay and parallelism per host, overriding Delay and
	// Parallelism for that host.
	Domains map[string]DomainLimit `yaml:"domains"`
	// Charset is the site's charset for pages that do not name theirs
	// (header, byte-order mark or <meta>) and are not valid UTF-8, e.g.
	// windows-1251 or koi8-r (optional).
	Charset string `yaml:"charset"`
	// Timeout bounds each request to the site, overriding
	// Options.Timeout when set.
	Timeout time.Duration `yaml:"timeout"`

	// RecheckMax bounds the ads re-fetched from their own URL after a
	// crawl that cannot tell removed ads by their absence: the listing was
	// incomplete (a list page failed, max_pages or max_depth cut it, or it
	// linked no ad) or the site is a Telegram channel, whose preview drops
	// older posts. Live ads the crawl did not see are rechecked, those
	// checked least recently first, so every one is rechecked across
	// crawls; 404 and 410 report them removed. 0 means DefaultRecheckMax,
	// -1 turns rechecks off.
	RecheckMax int `yaml:"recheck_max"`

	// Source is the file the profile was loaded from (not in YAML).
	Source string `yaml:"-"`
}

// Profile types.
const (
	TypeHTML     = "html"
	TypeTelegram = "telegram"
	TypeSitemap  = "sitemap"
	TypeFeed     = "feed"
)

// DomainLimit is the politeness of the crawl towards one host.
type DomainLimit struct {
	Delay       time.Duration `yaml:"delay"`
	Parallelism int           `yaml:"parallelism"`
}

// ListSpec holds the CSS selectors of a list page.
type ListSpec struct {
	// Item selects one ad in the list (required).
	Item string `yaml:"item"`
	// Link selects, inside an item, the element whose href is the ad's
	// detail page (required).
	Link string `yaml:"link"`
	// Next selects the element whose href is the next list page
	// (optional: without it only the start pages are read).
	Next string `yaml:"next"`
}

// Selector reads one field: the text of the elements CSS selects, or, when
// Attr is set, that attribute of the first of them.
type Selector struct {
	CSS  string `yaml:"css"`
	Attr string `yaml:"attr"`
}

// FieldSpecs holds one Selector per ad field. Title and Body are required.
// Lang, when set, reads the ad's language (e.g. a lang attribute);
// Posted is parsed as RFC 3339, "2006-01-02", "02.01.2006" and a few
// similar layouts.
type FieldSpecs struct {
	Title    Selector `yaml:"title"`
	Body     Selector `yaml:"body"`
	Salary   Selector `yaml:"salary"`
	Location Selector `yaml:"location"`
	Contact  Selector `yaml:"contact"`
	Posted   Selector `yaml:"posted"`
	Lang     Selector `yaml:"lang"`
}

// FieldError is one problem with one field of a profile. Line is the line
// in the profile file, or 0 when unknown.
type FieldError struct {
	Field string
	Line  int
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

var (
	siteIDRE  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	hostRE    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
)

// allowsHost reports whether host is base's host or an allowed domain.
func (p *Profile) allowsHost(base *url.URL, host string) bool {
	if strings.EqualFold(host, base.Hostname()) {
		return true
	}
	for _, d := range p.AllowedDomains {
		if strings.EqualFold(d, host) {
			return true
		}
	}
	return false
}

// hosts returns the hosts the crawl may visit: base's host first.
func (p *Profile) hosts(base *url.URL) []string {
	out := []string{strings.ToLower(base.Hostname())}
	for _, d := range p.AllowedDomains {
		if !strings.EqualFold(d, base.Hostname()) {
			out = append(out, strings.ToLower(d))
		}
	}
	return out
}

// Hosts returns the host names of the site, lowercase: BaseURL's host
// first, then the allowed domains. It is nil when BaseURL has no host.
func (p *Profile) Hosts() []string {
	base, err := url.Parse(p.BaseURL)
	if err != nil || base.Hostname() == "" {
		return nil
	}
	return p.hosts(base)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// IsTelegram reports whether the profile reads a channel preview.
func (p *Profile) IsTelegram() bool { return p.Type == TypeTelegram }

// structured reports whether the profile reads its ad pages from their
// structured data (types sitemap and feed), selectors being optional.
func (p *Profile) structured() bool { return p.Type == TypeSitemap || p.Type == TypeFeed }

// Validate checks the profile and returns every problem found, each a
// *FieldError, joined with errors.Join.
func (p *Profile) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if !siteIDRE.MatchString(p.Site) {
		bad("site", "%q must be lowercase letters, digits and dashes", p.Site)
	}
	if !p.Kind.Valid() {
		bad("kind", "%q must be job, marriage or other", p.Kind)
	}
	base, err := p.baseURL()
	if err != nil {
		bad("base_url", "%v", err)
	}
	urls := func(field string, list []string) {
		for i, s := range list {
			if base == nil {
				break
			}
			if _, err := p.resolve(base, s); err != nil {
				bad(fmt.Sprintf("%s[%d]", field, i), "%v", err)
			}
		}
	}
	urls("start_urls", p.StartURLs)
	urls("sitemaps", p.Sitemaps)
	urls("feeds", p.Feeds)
	for _, f := range []struct {
		name string
		list []string
	}{{"include", p.Include}, {"exclude", p.Exclude}} {
		for i, pat := range f.list {
			if _, err := compilePattern(pat); err != nil {
				bad(fmt.Sprintf("%s[%d]", f.name, i), "%v", err)
			}
		}
	}
	unused := func(field string, set bool, why string) {
		if set {
			bad(field, "not used by type %s (%s)", p.Type, why)
		}
	}
	sel := func(field, s string, required bool) {
		if strings.TrimSpace(s) == "" {
			if required {
				bad(field, "a CSS selector is required")
			}
			return
		}
		if _, err := cascadia.Compile(s); err != nil {
			bad(field, "bad CSS selector %q: %v", s, err)
		}
	}
	fields := func(required bool) {
		for _, f := range p.Fields.named() {
			sel("fields."+f.name+".css", f.sel.CSS, required && (f.name == "title" || f.name == "body"))
			if f.sel.Attr != "" && f.sel.CSS == "" {
				bad("fields."+f.name+".attr", "attr needs css")
			}
		}
	}
	switch p.Type {
	case "", TypeHTML, TypeTelegram:
		if len(p.StartURLs) == 0 {
			bad("start_urls", "at least one start URL is required")
		}
		unused("sitemaps", len(p.Sitemaps) > 0, "only type sitemap reads sitemaps")
		unused("feeds", len(p.Feeds) > 0, "only type feed reads feeds")
	case TypeSitemap, TypeFeed:
		unused("start_urls", len(p.StartURLs) > 0, "ad pages come from the site's "+p.Type+"s")
		unused("list", p.List != (ListSpec{}), "ad pages come from the site's "+p.Type+"s")
		fields(false)
	}
	switch p.Type {
	case "", TypeHTML:
		sel("list.item", p.List.Item, true)
		sel("list.link", p.List.Link, true)
		sel("list.next", p.List.Next, false)
		fields(true)
	case TypeTelegram:
		const why = "the channel preview layout is built in"
		unused("list", p.List != (ListSpec{}), why)
		unused("fields", p.Fields != (FieldSpecs{}), why)
		unused("include", len(p.Include) > 0, why)
		unused("exclude", len(p.Exclude) > 0, why)
	case TypeSitemap:
		unused("feeds", len(p.Feeds) > 0, "only type feed reads feeds")
	case TypeFeed:
		if len(p.Feeds) == 0 {
			bad("feeds", "at least one feed URL is required")
		}
		unused("sitemaps", len(p.Sitemaps) > 0, "only type sitemap reads sitemaps")
	default:
		bad("type", "%q must be html, telegram, sitemap or feed", p.Type)
	}
	if p.Lang != "" && normLang(p.Lang) == "" {
		bad("lang", "%q is not a language tag such as ru or ro", p.Lang)
	}
	if p.Country != "" && !countryRE.MatchString(p.Country) {
		bad("country", "%q must be an ISO 3166-1 alpha-2 code such as MD", p.Country)
	}
	if strings.ContainsAny(p.PlatformName, "\r\n") || len(p.PlatformName) > maxPlatformName {
		bad("platform_name", "must be one line of at most %d bytes", maxPlatformName)
	}
	if p.NoticeContact != "" && !validNoticeContact(p.NoticeContact) {
		bad("notice_contact", "%q must be an e-mail address or an http(s) URL of the platform's notice form", p.NoticeContact)
	}
	if p.Genre != "" && p.Genre != GenreNews && p.Genre != GenreNGO {
		bad("genre", "%q must be %s or %s (or left out for ad sites)", p.Genre, GenreNews, GenreNGO)
	}
	for i, d := range p.AllowedDomains {
		if !hostRE.MatchString(d) {
			bad(fmt.Sprintf("allowed_domains[%d]", i), "%q is not a host name", d)
		}
	}
	for _, h := range sortedKeys(p.Domains) {
		d := p.Domains[h]
		if !hostRE.MatchString(h) {
			bad("domains."+h, "%q is not a host name", h)
		} else if base != nil && !p.allowsHost(base, h) {
			bad("domains."+h, "%q is neither the base_url host nor in allowed_domains", h)
		}
		if d.Delay < 0 {
			bad("domains."+h+".delay", "must not be negative")
		}
		if d.Parallelism < 0 || d.Parallelism > 64 {
			bad("domains."+h+".parallelism", "%d must be between 0 and 64", d.Parallelism)
		}
	}
	if p.Timeout < 0 {
		bad("timeout", "must not be negative")
	}
	if p.Charset != "" {
		if e, _ := charset.Lookup(p.Charset); e == nil {
			bad("charset", "unknown charset %q", p.Charset)
		}
	}
	if p.Delay < 0 {
		bad("delay", "must not be negative")
	}
	if p.Parallelism < 0 || p.Parallelism > 64 {
		bad("parallelism", "%d must be between 0 and 64", p.Parallelism)
	}
	if p.MaxPages < 0 {
		bad("max_pages", "must not be negative")
	}
	if p.MaxDepth < 0 {
		bad("max_depth", "must not be negative")
	}
	if p.MaxAds < 0 {
		bad("max_ads", "must not be negative")
	}
	if p.RecheckMax < -1 || p.RecheckMax > MaxRecheckMax {
		bad("recheck_max", "%d must be -1 (off), 0 (default %d) or up to %d", p.RecheckMax, DefaultRecheckMax, MaxRecheckMax)
	}
	if p.Recrawl < 0 {
		bad("recrawl", "must not be negative")
	}
	return errors.Join(errs...)
}

// maxPlatformName bounds Profile.PlatformName.
const maxPlatformName = 200

// validNoticeContact reports whether s is a bare e-mail address
// (name@host) or an absolute http(s) URL with a host and no user info.
func validNoticeContact(s string) bool {
	if s == "" || len(s) > 2000 || strings.TrimSpace(s) != s {
		return false
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		u, err := url.Parse(s)
		return err == nil && u.Hostname() != "" && u.User == nil
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

type namedSelector struct {
	name string
	sel  Selector
}

func (f FieldSpecs) named() []namedSelector {
	return []namedSelector{
		{"title", f.Title}, {"body", f.Body}, {"salary", f.Salary}, {"location", f.Location},
		{"contact", f.Contact}, {"posted", f.Posted}, {"lang", f.Lang},
	}
}

// baseURL parses BaseURL and checks it is an absolute http(s) URL.
func (p *Profile) baseURL() (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(p.BaseURL))
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fmt.Errorf("%q must be an absolute http or https URL", p.BaseURL)
	}
	return u, nil
}

// resolve resolves ref against base and checks it stays on an allowed host.
func (p *Profile) resolve(base *url.URL, ref string) (*url.URL, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, err
	}
	u := base.ResolveReference(r)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q is not an http or https URL", ref)
	}
	if !p.allowsHost(base, u.Hostname()) {
		return nil, fmt.Errorf("%q is not on host %s or an allowed domain", ref, base.Hostname())
	}
	return u, nil
}

// withDefaults returns p with zero limits replaced by their defaults.
func (p Profile) withDefaults() Profile {
	if p.Parallelism == 0 {
		p.Parallelism = DefaultParallelism
	}
	if p.MaxPages == 0 {
		p.MaxPages = DefaultMaxPages
	}
	if p.Recrawl == 0 {
		p.Recrawl = DefaultRecrawl
	}
	if p.RecheckMax == 0 {
		p.RecheckMax = DefaultRecheckMax
	}
	if p.MaxAds == 0 {
		p.MaxAds = DefaultMaxAds
	}
	if p.Type == "" {
		p.Type = TypeHTML
	}
	return p
}

// LoadProfile reads one profile from r and validates it. name (usually the
// file name) prefixes every error, with the line of the problem where
// known: "crawler: profile x.yaml:7: fields.title.css: ...".
func LoadProfile(r io.Reader, name string) (Profile, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxProfileBytes+1))
	if err != nil {
		return Profile{}, fmt.Errorf("crawler: profile %s: %w", name, err)
	}
	if len(b) > MaxProfileBytes {
		return Profile{}, fmt.Errorf("crawler: profile %s: larger than %d bytes", name, MaxProfileBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var p Profile
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return Profile{}, fmt.Errorf("crawler: profile %s: empty", name)
		}
		return Profile{}, &LoadError{File: name, Msgs: fileLine(name, err), Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Profile{}, fmt.Errorf("crawler: profile %s:%d: more than one YAML document", name, extra.Line)
	}
	p.Source = name
	if err := p.Validate(); err != nil {
		var root yaml.Node
		_ = yaml.Unmarshal(b, &root) // it decoded above, so it parses
		var msgs []string
		for _, e := range unjoin(err) {
			var fe *FieldError
			if errors.As(e, &fe) {
				msgs = append(msgs, fmt.Sprintf("%s:%d: %s: %s", name, lineOf(&root, fe.Field), fe.Field, fe.Msg))
			} else {
				msgs = append(msgs, name+": "+e.Error())
			}
		}
		return Profile{}, &LoadError{File: name, Msgs: msgs, Err: err}
	}
	return p, nil
}

// LoadError is returned by LoadProfile for a profile that parses but is
// invalid, or does not match the schema. Each message starts with
// "file:line:". Err is the underlying error.
type LoadError struct {
	File string
	Msgs []string
	Err  error
}

func (e *LoadError) Error() string {
	return "crawler: profile " + strings.Join(e.Msgs, "; ")
}

func (e *LoadError) Unwrap() error { return e.Err }

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// lineOf returns the line of the deepest existing node on a field path
// such as "fields.title.css" or "start_urls[2]", or 1.
func lineOf(root *yaml.Node, field string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := max(n.Line, 1)
	for _, seg := range strings.Split(field, ".") {
		idx := -1
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			idx, _ = strconv.Atoi(seg[i+1 : len(seg)-1])
			seg = seg[:i]
		}
		if n.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			return line
		}
		n = next
		if idx >= 0 && n.Kind == yaml.SequenceNode && idx < len(n.Content) {
			n = n.Content[idx]
			line = n.Line
		}
	}
	return line
}

// LoadProfiles loads every *.yaml file at the top of fsys, sorted by name.
// Two profiles with the same site ID are an error.
func LoadProfiles(fsys fs.FS) ([]Profile, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("crawler: profiles: %w", err)
	}
	sort.Strings(names)
	var out []Profile
	seen := map[string]string{}
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return nil, fmt.Errorf("crawler: profiles: %w", err)
		}
		p, err := LoadProfile(f, n)
		f.Close()
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[p.Site]; ok {
			return nil, fmt.Errorf("crawler: profile %s: site %q already defined in %s", n, p.Site, prev)
		}
		seen[p.Site] = n
		out = append(out, p)
	}
	return out, nil
}

// DefaultProfiles returns the profiles embedded from crawler/sites.
func DefaultProfiles() ([]Profile, error) {
	sub, err := fs.Sub(SitesFS, "sites")
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	return LoadProfiles(sub)
}

// fileLine turns yaml's "line N: msg" errors into "file:N: msg".
func fileLine(name string, err error) []string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		out := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			if m := yamlLineRE.FindStringSubmatch(e); m != nil {
				out[i] = name + ":" + m[1] + ": " + m[2]
			} else {
				out[i] = name + ": " + e
			}
		}
		return out
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		return []string{name + ":" + m[1] + ": " + m[2]}
	}
	return []string{name + ": " + msg}
}
