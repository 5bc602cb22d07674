package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lure/ad"
)

// Context keys of colly requests.
const (
	keyKind        = "lure.kind" // "list" or "ad"
	keyDepth       = "lure.depth"
	keyTooLarge    = "lure.too_large"
	keyAttempt     = "lure.attempt"
	keyStart       = "lure.start"
	keyContentType = "lure.content_type"
	keyLastMod     = "lure.lastmod" // time.Time: the date a sitemap or feed gave the page
)

// errRedirectLoop is returned by the redirect policy.
var errRedirectLoop = errors.New("redirect loop or too many redirects")

// siteCrawl is one crawl of one site.
type siteCrawl struct {
	ctx    context.Context
	opts   *Options
	m      *Metrics
	p      Profile
	log    *slog.Logger
	sinkMu *sync.Mutex
	c      *colly.Collector
	lists  atomic.Int64 // list pages queued
	// adsQueued counts the ad pages a sitemap or feed crawl queued.
	adsQueued atomic.Int64

	requested sync.Map // URLs queued in this crawl

	// Colly starts a goroutine per request at once, even when the limit
	// rule makes it wait; a large site would hold thousands. The crawl
	// keeps at most maxInflight requests in colly and the rest, as plain
	// URLs, in backlog.
	qmu         sync.Mutex
	inflight    int
	maxInflight int
	backlog     []queued

	filter *urlFilter // the profile's include and exclude patterns

	mu         sync.Mutex
	listed     map[string]bool // canonical ad URLs linked from list pages, sitemaps or feeds
	visited    map[string]bool // canonical URLs of ads read or found gone
	incomplete bool            // a list page failed or max_pages cut the listing
}

// queued is a request waiting for a place in colly.
type queued struct {
	u, kind string
	depth   int
	lastmod time.Time // the sitemap or feed date of an ad page, or zero
}

func newSiteCrawl(ctx context.Context, opts *Options, p Profile, sinkMu *sync.Mutex) *siteCrawl {
	par := p.Parallelism
	for _, d := range p.Domains {
		par = max(par, d.Parallelism)
	}
	return &siteCrawl{ctx: ctx, opts: opts, m: opts.Metrics, p: p, sinkMu: sinkMu,
		log: opts.Logger.With("site", p.Site), listed: map[string]bool{}, visited: map[string]bool{}, maxInflight: max(8, 2*par)}
}

// newCollector builds the Colly collector for a profile: robots.txt on,
// only the profile's hosts, per-host limits, bounded time, size and
// redirects, and no charset conversion (decodeBody does it).
func newCollector(ctx context.Context, p *Profile, opts *Options) (*colly.Collector, error) {
	base, err := p.baseURL()
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	// A bare Collector, not NewCollector: that one reads COLLY_* from the
	// environment, and only main reads the environment.
	c := &colly.Collector{}
	c.Init()
	c.UserAgent = opts.UserAgent
	if p.UserAgent != "" {
		c.UserAgent = p.UserAgent
	}
	c.AllowedDomains = p.hosts(base)
	c.IgnoreRobotsTxt = false
	// The crawl remembers what it requested itself (siteCrawl.requested):
	// colly's own memory would also refuse a redirect to a page seen
	// before, which hides redirect loops as duplicates.
	c.AllowURLRevisit = true
	c.MaxBodySize = opts.MaxBodyBytes + 1 // one more byte tells a too-large page
	c.DetectCharset = false
	c.Context = ctx
	timeout := p.timeout(opts)
	c.WithTransport(newTransport(opts, timeout))
	c.SetRequestTimeout(timeout)
	c.SetRedirectHandler(redirectPolicy(opts.MaxRedirects))
	// Host rules first: colly uses the first rule that matches the
	// request's host (with port).
	for _, h := range sortedKeys(p.Domains) {
		d := p.Domains[h]
		par := d.Parallelism
		if par == 0 {
			par = p.Parallelism
		}
		for _, g := range []string{h, h + ":*"} {
			if err := c.Limit(&colly.LimitRule{DomainGlob: g, Delay: d.Delay, Parallelism: par}); err != nil {
				return nil, fmt.Errorf("crawler: limit rule: %w", err)
			}
		}
	}
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Delay: p.Delay, Parallelism: p.Parallelism}); err != nil {
		return nil, fmt.Errorf("crawler: limit rule: %w", err)
	}
	return c, nil
}

// timeout is the bound of one request to the site.
func (p *Profile) timeout(opts *Options) time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return opts.Timeout
}

// newTransport is the HTTP transport of every request of a crawl.
func newTransport(opts *Options, timeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// redirectPolicy stops after maxRedirects redirects or at a loop.
func redirectPolicy(maxRedirects int) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("%w: stopped after %d", errRedirectLoop, len(via))
		}
		for _, v := range via[1:] {
			if v.URL.String() == req.URL.String() {
				return fmt.Errorf("%w: %s again", errRedirectLoop, req.URL)
			}
		}
		return nil
	}
}

func (s *siteCrawl) run() {
	base, err := s.p.baseURL()
	if err != nil { // Validate checked it; keep going safely anyway.
		s.log.Error("crawler: bad base url", "err", err)
		return
	}
	c, err := newCollector(s.ctx, &s.p, s.opts)
	if err != nil {
		s.log.Error("crawler: collector", "err", err)
		return
	}
	c.Async = true
	c.OnRequest(func(r *colly.Request) {
		if s.ctx.Err() != nil {
			r.Abort()
			return
		}
		r.Ctx.Put(keyStart, time.Now())
	})
	c.OnResponseHeaders(func(r *colly.Response) {
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > int64(s.opts.MaxBodyBytes) {
			r.Ctx.Put(keyTooLarge, true)
			r.Request.Abort()
		}
		// decodeBody converts charsets itself, from the raw bytes, so
		// colly must not: keep the header aside and hide its charset.
		ct := r.Headers.Get("Content-Type")
		r.Ctx.Put(keyContentType, ct)
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			r.Headers.Set("Content-Type", mt)
		}
	})
	if s.filter, err = newURLFilter(&s.p); err != nil {
		s.log.Error("crawler: url patterns", "err", err)
		return
	}
	c.OnResponse(s.onResponse)
	c.OnError(func(r *colly.Response, err error) {
		if !s.onError(r, err) {
			s.finished()
		}
	})
	c.OnScraped(func(*colly.Response) { s.finished() })
	s.c = c

	start := time.Now()
	if s.p.structured() {
		s.readSources(base)
	}
	for _, su := range s.p.StartURLs {
		u, err := s.p.resolve(base, su)
		if err != nil {
			s.log.Error("crawler: bad start url", "url", su, "err", err)
			continue
		}
		if s.lists.Add(1) > int64(s.p.MaxPages) {
			s.markIncomplete()
			break
		}
		s.enqueue(u.String(), "list", 1)
	}
	c.Wait()
	switch {
	case s.ctx.Err() != nil:
	case s.needsRecheck():
		if s.recheck() > 0 {
			c.Wait()
		}
	case !s.p.IsTelegram():
		s.detectDelisted(time.Now().UTC())
	}
	s.m.CrawlSeconds.WithLabelValues(s.p.Site).Observe(time.Since(start).Seconds())
}

func (s *siteCrawl) markIncomplete() {
	s.mu.Lock()
	s.incomplete = true
	s.mu.Unlock()
}

// enqueue schedules a GET of u as a page of the given kind and depth.
func (s *siteCrawl) enqueue(u, kind string, depth int) {
	s.enqueueDated(u, kind, depth, time.Time{})
}

// enqueueDated is enqueue for an ad page a sitemap or feed dated lastmod.
func (s *siteCrawl) enqueueDated(u, kind string, depth int, lastmod time.Time) {
	if s.ctx.Err() != nil {
		return
	}
	if s.p.MaxDepth > 0 && depth > s.p.MaxDepth {
		if kind == "list" {
			s.markIncomplete()
		}
		return
	}
	if pu, err := url.Parse(u); err == nil && (pu.Fragment != "" || pu.RawFragment != "") {
		pu.Fragment, pu.RawFragment = "", ""
		u = pu.String()
	}
	if _, dup := s.requested.LoadOrStore(u, true); dup {
		return
	}
	q := queued{u: u, kind: kind, depth: depth, lastmod: lastmod}
	s.qmu.Lock()
	if s.inflight >= s.maxInflight {
		s.backlog = append(s.backlog, q)
		s.qmu.Unlock()
		return
	}
	s.inflight++
	s.qmu.Unlock()
	s.request(q)
}

// finished frees the place of a request that colly is done with, and
// hands it to the next queued request. It is called from the request's
// last callback, while colly still counts it, so c.Wait cannot return in
// between.
func (s *siteCrawl) finished() {
	for {
		s.qmu.Lock()
		if len(s.backlog) == 0 || s.ctx.Err() != nil {
			s.inflight--
			s.qmu.Unlock()
			return
		}
		q := s.backlog[0]
		s.backlog[0] = queued{}
		s.backlog = s.backlog[1:]
		s.qmu.Unlock()
		if s.request(q) {
			return // q took the place
		}
	}
}

// request hands q to colly and reports whether colly took it; if not, the
// failure is handled here.
func (s *siteCrawl) request(q queued) bool {
	u, kind := q.u, q.kind
	cc := colly.NewContext()
	cc.Put(keyKind, kind)
	cc.Put(keyDepth, q.depth)
	cc.Put(keyLastMod, q.lastmod)
	err := s.c.Request(http.MethodGet, u, nil, cc, s.conditional(u, kind))
	switch {
	case err == nil:
	case errors.Is(err, colly.ErrForbiddenDomain):
		s.log.Debug("crawler: skipped link to another host", "url", u)
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		s.m.RobotsBlocked.WithLabelValues(s.p.Site).Inc()
		s.log.Info("crawler: robots.txt disallows", "url", u)
	default:
		s.fail(u, kind, ReasonOther, err)
	}
	if err != nil {
		s.qmu.Lock()
		s.inflight--
		s.qmu.Unlock()
		switch kind {
		case "list":
			s.markIncomplete()
		case kindRecheck:
			s.recheckFailed(u)
		}
	}
	return err == nil
}

func (s *siteCrawl) observeLatency(r *colly.Response) {
	if t, ok := r.Ctx.GetAny(keyStart).(time.Time); ok {
		s.m.FetchSeconds.WithLabelValues(s.p.Site).Observe(time.Since(t).Seconds())
	}
}

func (s *siteCrawl) onResponse(r *colly.Response) {
	u := r.Request.URL.String()
	kind := r.Ctx.Get(keyKind)
	s.observeLatency(r)
	s.m.PagesFetched.WithLabelValues(s.p.Site).Inc()
	s.m.BytesFetched.WithLabelValues(s.p.Site).Add(float64(len(r.Body)))
	s.opts.Progress.pages.Add(1)
	s.opts.Progress.bytes.Add(int64(len(r.Body)))
	if len(r.Body) > s.opts.MaxBodyBytes {
		s.fail(u, kind, ReasonTooLarge, fmt.Errorf("body larger than %d bytes", s.opts.MaxBodyBytes))
		return
	}
	ct := r.Ctx.Get(keyContentType)
	if !isHTML(ct, r.Body) {
		s.fail(u, kind, ReasonUnparseable, fmt.Errorf("not an HTML page (Content-Type %q)", ct))
		return
	}
	raw := r.Body
	body, err := decodeBody(raw, ct, s.p.Charset)
	if err != nil {
		s.fail(u, kind, ReasonUnparseable, err)
		return
	}
	depth, _ := r.Ctx.GetAny(keyDepth).(int)
	switch {
	case kind == "list" && s.p.IsTelegram():
		s.onChannel(r, body, depth)
	case kind == "list":
		s.onList(r, body, depth)
	case kind == kindRecheck && s.p.IsTelegram():
		s.stillThere(u)
	case kind == "ad" || kind == kindRecheck:
		if kind == kindRecheck {
			s.m.Rechecks.WithLabelValues(s.p.Site, recheckLive).Inc()
		}
		s.onAd(u, ct, raw, body, validatorsOf(r))
	}
}

func (s *siteCrawl) onList(r *colly.Response, body []byte, depth int) {
	u := r.Request.URL.String()
	doc, err := parseHTML(body)
	if err != nil {
		s.fail(u, "list", ReasonUnparseable, err)
		return
	}
	items := doc.Find(s.p.List.Item)
	for i, n := 0, 0; i < items.Length() && n < maxItemsPerPage; i++ {
		href, ok := items.Eq(i).Find(s.p.List.Link).Attr("href")
		if !ok || href == "" {
			continue
		}
		n++
		abs := r.Request.AbsoluteURL(href)
		if abs == "" || !s.filter.keep(abs) {
			continue
		}
		if canon, err := ad.CanonicalURL(abs); err == nil {
			s.mu.Lock()
			s.listed[canon] = true
			s.mu.Unlock()
		}
		s.enqueue(abs, "ad", depth+1)
	}
	if s.p.List.Next == "" {
		return
	}
	href, ok := doc.Find(s.p.List.Next).First().Attr("href")
	if !ok || href == "" {
		return
	}
	s.next(r.Request.AbsoluteURL(href), depth)
}

// next queues the next list page unless max_pages is reached.
func (s *siteCrawl) next(abs string, depth int) {
	if abs == "" {
		return
	}
	if s.lists.Add(1) > int64(s.p.MaxPages) {
		s.markIncomplete()
		s.log.Info("crawler: max_pages reached", "max_pages", s.p.MaxPages)
		return
	}
	s.enqueue(abs, "list", depth+1)
}

func (s *siteCrawl) onAd(u, contentType string, raw, body []byte, v validators) {
	doc, err := parseHTML(body)
	if err != nil {
		s.fail(u, "ad", ReasonUnparseable, err)
		return
	}
	now := time.Now().UTC()
	a, info, err := s.p.extractPage(u, doc, now)
	if err != nil {
		reason := ReasonOther
		if errors.Is(err, ErrMissingField) {
			reason = ReasonMissingField
		}
		s.fail(u, "ad", reason, err)
		s.recordFailure(u, reason, now)
		return
	}
	if info.expired(now) {
		s.expired(a.URL, now)
		return
	}
	s.deliver(a, contentType, raw, now, v)
}

func (s *siteCrawl) recordFailure(u, reason string, now time.Time) {
	st := s.opts.State
	if st == nil {
		return
	}
	if canon, err := ad.CanonicalURL(u); err == nil {
		if err := st.Failed(s.ctx, canon, s.p.Site, reason, now); err != nil {
			s.log.Error("crawler: state", "url", u, "err", err)
		}
	}
}

// deliver sends a to the sink unless State has it unchanged, and records
// it in State only after the sink accepted it, with the page's
// validators v. page, served with contentType, is the raw page kept as
// the ad's snapshot.
func (s *siteCrawl) deliver(a ad.Ad, contentType string, page []byte, now time.Time, v validators) {
	s.visit(a.URL)
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	st := s.opts.State
	outcome := OutcomeNew
	if st != nil {
		prev, ok, err := st.Get(s.ctx, a.URL)
		if err != nil {
			s.fail(a.URL, "ad", ReasonOther, err)
			return
		}
		switch {
		case ok && prev.ContentHash == a.ContentHash && !prev.Removed():
			if err := st.Revalidated(s.ctx, a.URL, now, v.etag, v.lastModified, v.lastmod); err != nil {
				s.log.Error("crawler: state", "url", a.URL, "err", err)
			}
			s.count(OutcomeUnchanged)
			return
		case ok && prev.ContentHash != "":
			outcome = OutcomeChanged
		}
	}
	var snap SnapshotRef
	if s.opts.Snapshots != nil {
		ref, err := s.opts.Snapshots.PutTyped(page, contentType, now)
		if err != nil {
			// The ad still goes out: evidence is lost, the signal is not.
			s.m.SnapshotFailures.WithLabelValues(s.p.Site).Inc()
			s.log.Warn("crawler: snapshot failed", "url", a.URL, "err", err)
		} else {
			snap = ref
			a.Snapshot = ref.String()
		}
	}
	if err := s.opts.Sink.Put(s.ctx, a); err != nil {
		if s.ctx.Err() == nil {
			s.fail(a.URL, "ad", ReasonSink, err)
		}
		return
	}
	s.count(outcome)
	s.log.Debug("crawler: ad sent", "url", a.URL, "id", a.ID, "outcome", outcome)
	if st != nil {
		err := st.Sent(s.ctx, PageState{URL: a.URL, Site: a.Site, AdID: a.ID, ContentHash: a.ContentHash,
			LastSeen: now, Snapshot: a.Snapshot, Fetched: snap.Fetched,
			ETag: v.etag, LastModified: v.lastModified, LastMod: v.lastmod})
		if err != nil {
			// The ad was sent; it will be sent again next time, which
			// consumers tolerate (they are idempotent by ID and hash).
			s.log.Error("crawler: state", "url", a.URL, "err", err)
		}
	}
}

// count records one ad outcome in metrics and progress.
func (s *siteCrawl) count(outcome string) {
	s.m.Ads.WithLabelValues(s.p.Site, outcome).Inc()
	switch outcome {
	case OutcomeNew:
		s.m.AdsProduced.WithLabelValues(s.p.Site).Inc()
		s.opts.Progress.adsNew.Add(1)
	case OutcomeChanged:
		s.m.AdsProduced.WithLabelValues(s.p.Site).Inc()
		s.opts.Progress.adsChanged.Add(1)
	case OutcomeUnchanged:
		s.m.AdsUnchanged.WithLabelValues(s.p.Site).Inc()
		s.opts.Progress.adsUnchanged.Add(1)
	case OutcomeRemoved:
		s.opts.Progress.adsRemoved.Add(1)
	}
}

// onError handles a failed request and reports whether it was queued
// again.
func (s *siteCrawl) onError(r *colly.Response, err error) (retried bool) {
	if s.ctx.Err() != nil {
		return false // cancelled: not the site's failure
	}
	u := r.Request.URL.String()
	kind := r.Ctx.Get(keyKind)
	if r.StatusCode == http.StatusTooManyRequests || r.StatusCode >= 500 {
		if s.retry(r) {
			return true
		}
	}
	s.observeLatency(r)
	reason := ReasonOther
	var ne net.Error
	switch {
	case r.Ctx != nil && r.Ctx.GetAny(keyTooLarge) != nil:
		reason = ReasonTooLarge
	case errors.Is(err, errRedirectLoop):
		reason = ReasonRedirectLoop
	case (kind == "ad" || kind == kindRecheck) && r.StatusCode == http.StatusNotModified:
		s.notModified(u, kind, validatorsOf(r))
		return false
	case (kind == "ad" || kind == kindRecheck) && (r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusGone):
		if s.gone(u, r.StatusCode) {
			if kind == kindRecheck {
				s.m.Rechecks.WithLabelValues(s.p.Site, recheckGone).Inc()
			}
			return false
		}
		reason = ReasonBadStatus
		err = fmt.Errorf("status %d", r.StatusCode)
	case r.StatusCode >= 300:
		reason = ReasonBadStatus
		err = fmt.Errorf("status %d", r.StatusCode)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		reason = ReasonTimeout
	}
	s.fail(u, kind, reason, err)
	switch kind {
	case "ad":
		s.recordFailure(u, reason, time.Now().UTC())
	case kindRecheck:
		s.recheckFailed(u)
	}
	return false
}

// retry re-queues a request answered 429 or 5xx after a backoff that
// honours Retry-After, and reports whether it did.
func (s *siteCrawl) retry(r *colly.Response) bool {
	attempt, _ := r.Ctx.GetAny(keyAttempt).(int)
	if attempt >= s.opts.MaxRetries {
		return false
	}
	wait := s.opts.RetryBackoff << attempt
	if r.Headers != nil {
		if d, ok := parseRetryAfter(r.Headers.Get("Retry-After"), time.Now()); ok {
			wait = d
		}
	}
	if wait > s.opts.MaxRetryWait {
		s.log.Debug("crawler: Retry-After too long, giving up", "url", r.Request.URL.String(), "wait", wait)
		return false
	}
	// Wait here, holding the request's slot: this slows the site down,
	// which is what the site asked for.
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-s.ctx.Done():
		return true // cancelled: nothing to count
	case <-t.C:
	}
	r.Ctx.Put(keyAttempt, attempt+1)
	if err := r.Request.Retry(); err != nil {
		s.log.Debug("crawler: retry", "url", r.Request.URL.String(), "err", err)
		return false
	}
	s.m.Retries.WithLabelValues(s.p.Site).Inc()
	s.log.Debug("crawler: retrying", "url", r.Request.URL.String(), "status", r.StatusCode, "attempt", attempt+1)
	return true
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 1<<20)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// fail counts and logs one failed page. A failed list page makes the
// listing incomplete, so no ad is taken as delisted in this crawl.
func (s *siteCrawl) fail(u, kind, reason string, err error) {
	if kind == "list" || kind == kindSitemap || kind == kindFeed {
		s.markIncomplete()
	}
	s.m.Failures.WithLabelValues(s.p.Site, reason).Inc()
	s.opts.Progress.errors.Add(1)
	s.log.Warn("crawler: page failed", "url", u, "kind", kind, "reason", reason, "err", err)
}
