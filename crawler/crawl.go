// Package crawler fetches ad pages from the sites described by site
// profiles (YAML, see crawler/sites) with Colly, reads each ad with goquery
// selectors into an ad.Ad, and hands new or changed ads to a Sink. It is
// polite (robots.txt, per-site delay and parallelism, an identifying
// User-Agent), bounds every page in time and size, and remembers what it
// sent in a SQLite State so unchanged ads are not sent twice. Scheduling
// recrawls, producing to Kafka and scoring are left to its callers.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lure/ad"
)

// Defaults of Options.
const (
	DefaultUserAgent    = "lure/0.1 (+https://github.com/lurewatch/lure)"
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBodyBytes = 4 << 20
)

// maxItemsPerPage bounds the ad links taken from one list page.
const maxItemsPerPage = 1000

// maxRedirects bounds the redirects followed for one request.
const maxRedirects = 10

// Sink receives the ads a crawl found new or changed. Run never calls Put
// concurrently. An error means the ad was not accepted: it is counted,
// and it will be offered again on the next crawl.
type Sink interface {
	Put(ctx context.Context, a ad.Ad) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(ctx context.Context, a ad.Ad) error

// Put calls f.
func (f SinkFunc) Put(ctx context.Context, a ad.Ad) error { return f(ctx, a) }

// Options configure Run.
type Options struct {
	// Profiles are the sites to crawl (required, each must validate).
	Profiles []Profile
	// Sink receives new and changed ads (required).
	Sink Sink
	// State remembers what was sent. Nil means no memory: every ad found
	// is sent.
	State *State
	// Metrics, if nil, are created unregistered.
	Metrics *Metrics
	// Logger, if nil, discards.
	Logger *slog.Logger
	// UserAgent identifies lure to the sites; default DefaultUserAgent. A
	// profile's user_agent overrides it.
	UserAgent string
	// Timeout bounds each request, redirects included; default
	// DefaultTimeout.
	Timeout time.Duration
	// MaxBodyBytes bounds each page; larger pages fail as too_large.
	// Default DefaultMaxBodyBytes.
	MaxBodyBytes int
}

// Run crawls every profile once, the sites in parallel, and returns when
// all are done or ctx is cancelled. Failed pages are counted in Metrics
// and logged; they do not stop the crawl. Run returns an error for bad
// options or profiles, or ctx's error when it was cancelled.
func Run(ctx context.Context, opts Options) error {
	if opts.Sink == nil {
		return errors.New("crawler: no sink")
	}
	if len(opts.Profiles) == 0 {
		return errors.New("crawler: no profiles")
	}
	seen := map[string]bool{}
	for i := range opts.Profiles {
		p := &opts.Profiles[i]
		if err := p.Validate(); err != nil {
			return fmt.Errorf("crawler: profile %s: %w", p.Site, err)
		}
		if seen[p.Site] {
			return fmt.Errorf("crawler: profile %s: given twice", p.Site)
		}
		seen[p.Site] = true
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics(nil)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	for _, p := range opts.Profiles {
		opts.Metrics.initSite(p.Site)
	}
	var (
		wg     sync.WaitGroup
		sinkMu sync.Mutex
	)
	for _, p := range opts.Profiles {
		wg.Go(func() {
			s := &siteCrawl{ctx: ctx, opts: &opts, p: p.withDefaults(), sinkMu: &sinkMu,
				log: opts.Logger.With("site", p.Site)}
			s.run()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	return nil
}

// Context keys of colly requests.
const (
	keyKind     = "lure.kind" // "list" or "ad"
	keyDepth    = "lure.depth"
	keyTooLarge = "lure.too_large"
)

// siteCrawl is one crawl of one site.
type siteCrawl struct {
	ctx    context.Context
	opts   *Options
	p      Profile
	log    *slog.Logger
	sinkMu *sync.Mutex
	c      *colly.Collector
	lists  atomic.Int64 // list pages queued
}

func (s *siteCrawl) run() {
	base, err := s.p.baseURL()
	if err != nil { // Validate checked it; keep going safely anyway.
		s.log.Error("crawler: bad base url", "err", err)
		return
	}
	// A bare Collector, not NewCollector: that one reads COLLY_* from the
	// environment, and only main reads the environment.
	c := &colly.Collector{}
	c.Init()
	c.UserAgent = s.opts.UserAgent
	if s.p.UserAgent != "" {
		c.UserAgent = s.p.UserAgent
	}
	c.AllowedDomains = []string{base.Hostname()}
	c.IgnoreRobotsTxt = false
	c.MaxBodySize = s.opts.MaxBodyBytes + 1 // one more byte tells a too-large page
	c.DetectCharset = false                 // decodeBody sniffs the charset as browsers do
	c.Async = true
	c.Context = s.ctx
	c.SetRequestTimeout(s.opts.Timeout)
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	})
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Delay: s.p.Delay, Parallelism: s.p.Parallelism}); err != nil {
		s.log.Error("crawler: limit rule", "err", err)
		return
	}
	c.OnRequest(func(r *colly.Request) {
		if s.ctx.Err() != nil {
			r.Abort()
		}
	})
	c.OnResponseHeaders(func(r *colly.Response) {
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > int64(s.opts.MaxBodyBytes) {
			r.Ctx.Put(keyTooLarge, true)
			r.Request.Abort()
		}
	})
	c.OnResponse(s.onResponse)
	c.OnError(s.onError)
	s.c = c

	for _, su := range s.p.StartURLs {
		u, err := resolveOn(base, su)
		if err != nil {
			s.log.Error("crawler: bad start url", "url", su, "err", err)
			continue
		}
		if s.lists.Add(1) > int64(s.p.MaxPages) {
			break
		}
		s.enqueue(u.String(), "list", 1)
	}
	c.Wait()
}

// enqueue schedules a GET of u as a page of the given kind and depth.
func (s *siteCrawl) enqueue(u, kind string, depth int) {
	if s.ctx.Err() != nil {
		return
	}
	if s.p.MaxDepth > 0 && depth > s.p.MaxDepth {
		return
	}
	if pu, err := url.Parse(u); err == nil && (pu.Fragment != "" || pu.RawFragment != "") {
		pu.Fragment, pu.RawFragment = "", ""
		u = pu.String()
	}
	cc := colly.NewContext()
	cc.Put(keyKind, kind)
	cc.Put(keyDepth, depth)
	err := s.c.Request(http.MethodGet, u, nil, cc, nil)
	var visited *colly.AlreadyVisitedError
	switch {
	case err == nil, errors.As(err, &visited):
	case errors.Is(err, colly.ErrForbiddenDomain):
		s.log.Debug("crawler: skipped link to another host", "url", u)
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		s.log.Info("crawler: robots.txt disallows", "url", u)
	default:
		s.fail(u, ReasonOther, err)
	}
}

func (s *siteCrawl) onResponse(r *colly.Response) {
	u := r.Request.URL.String()
	s.opts.Metrics.PagesFetched.WithLabelValues(s.p.Site).Inc()
	if len(r.Body) > s.opts.MaxBodyBytes {
		s.fail(u, ReasonTooLarge, fmt.Errorf("body larger than %d bytes", s.opts.MaxBodyBytes))
		return
	}
	body, err := decodeBody(r.Body, r.Headers.Get("Content-Type"))
	if err != nil {
		s.fail(u, ReasonOther, err)
		return
	}
	r.Body = body
	depth, _ := r.Ctx.GetAny(keyDepth).(int)
	switch r.Ctx.Get(keyKind) {
	case "list":
		s.onList(r, depth)
	case "ad":
		s.onAd(r)
	}
}

func (s *siteCrawl) onList(r *colly.Response, depth int) {
	doc, err := parseHTML(r.Body)
	if err != nil {
		s.fail(r.Request.URL.String(), ReasonOther, err)
		return
	}
	items := doc.Find(s.p.List.Item)
	for i, n := 0, 0; i < items.Length() && n < maxItemsPerPage; i++ {
		href, ok := items.Eq(i).Find(s.p.List.Link).Attr("href")
		if !ok || href == "" {
			continue
		}
		n++
		if abs := r.Request.AbsoluteURL(href); abs != "" {
			s.enqueue(abs, "ad", depth+1)
		}
	}
	if s.p.List.Next == "" {
		return
	}
	href, ok := doc.Find(s.p.List.Next).First().Attr("href")
	if !ok || href == "" {
		return
	}
	abs := r.Request.AbsoluteURL(href)
	if abs == "" {
		return
	}
	if s.lists.Add(1) > int64(s.p.MaxPages) {
		s.log.Info("crawler: max_pages reached", "max_pages", s.p.MaxPages)
		return
	}
	s.enqueue(abs, "list", depth+1)
}

func (s *siteCrawl) onAd(r *colly.Response) {
	u := r.Request.URL.String()
	doc, err := parseHTML(r.Body)
	if err != nil {
		s.fail(u, ReasonOther, err)
		return
	}
	now := time.Now().UTC()
	a, err := s.p.extractDoc(u, doc, now)
	if err != nil {
		reason := ReasonOther
		if errors.Is(err, ErrMissingField) {
			reason = ReasonMissingField
		}
		s.fail(u, reason, err)
		if st := s.opts.State; st != nil {
			if canon, cerr := ad.CanonicalURL(u); cerr == nil {
				if serr := st.Failed(s.ctx, canon, s.p.Site, reason, now); serr != nil {
					s.log.Error("crawler: state", "url", u, "err", serr)
				}
			}
		}
		return
	}
	s.deliver(a, now)
}

// deliver sends a to the sink unless State has it unchanged, and records
// it in State only after the sink accepted it.
func (s *siteCrawl) deliver(a ad.Ad, now time.Time) {
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	st := s.opts.State
	if st != nil {
		prev, ok, err := st.Get(s.ctx, a.URL)
		if err != nil {
			s.fail(a.URL, ReasonOther, err)
			return
		}
		if ok && prev.ContentHash == a.ContentHash {
			if err := st.Seen(s.ctx, a.URL, now); err != nil {
				s.log.Error("crawler: state", "url", a.URL, "err", err)
			}
			s.opts.Metrics.AdsUnchanged.WithLabelValues(s.p.Site).Inc()
			return
		}
	}
	if err := s.opts.Sink.Put(s.ctx, a); err != nil {
		if s.ctx.Err() == nil {
			s.fail(a.URL, ReasonSink, err)
		}
		return
	}
	s.opts.Metrics.AdsProduced.WithLabelValues(s.p.Site).Inc()
	s.log.Debug("crawler: ad sent", "url", a.URL, "id", a.ID)
	if st != nil {
		err := st.Sent(s.ctx, PageState{URL: a.URL, Site: a.Site, AdID: a.ID, ContentHash: a.ContentHash, LastSeen: now})
		if err != nil {
			// The ad was sent; it will be sent again next time, which
			// consumers tolerate (they are idempotent by ID and hash).
			s.log.Error("crawler: state", "url", a.URL, "err", err)
		}
	}
}

func (s *siteCrawl) onError(r *colly.Response, err error) {
	if s.ctx.Err() != nil {
		return // cancelled: not the site's failure
	}
	u := r.Request.URL.String()
	reason := ReasonOther
	var ne net.Error
	switch {
	case r.Ctx != nil && r.Ctx.GetAny(keyTooLarge) != nil:
		reason = ReasonTooLarge
	case r.StatusCode >= 300:
		reason = ReasonBadStatus
		err = fmt.Errorf("status %d", r.StatusCode)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		reason = ReasonTimeout
	}
	s.fail(u, reason, err)
}

// fail counts and logs one failed page.
func (s *siteCrawl) fail(u, reason string, err error) {
	s.opts.Metrics.Failures.WithLabelValues(s.p.Site, reason).Inc()
	s.log.Warn("crawler: page failed", "url", u, "reason", reason, "err", err)
}
