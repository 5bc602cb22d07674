package crawler

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lure/ad"
)

// Kinds of the documents a sitemap or feed site is read from.
const (
	kindSitemap = "sitemap"
	kindFeed    = "feed"
)

// maxSitemapNesting bounds sitemap indexes naming indexes.
const maxSitemapNesting = 3

// readSources reads the sitemaps or feeds of a sitemap or feed site and
// queues the ad pages they name. Each document read counts against
// max_pages. A document that fails, or a limit that cuts the reading,
// makes the listing incomplete, so no ad is taken as delisted.
func (s *siteCrawl) readSources(base *url.URL) {
	f := newDocFetcher(&s.p, s.opts)
	switch s.p.Type {
	case TypeSitemap:
		roots, err := s.sitemapRoots(f, base)
		if err != nil {
			s.fail(base.String(), kindSitemap, ReasonOther, err)
			return
		}
		for _, u := range roots {
			s.readSitemap(f, u, 0)
		}
	case TypeFeed:
		for _, fu := range s.p.Feeds {
			u, err := s.p.resolve(base, fu)
			if err != nil { // Validate checked it
				s.fail(fu, kindFeed, ReasonOther, err)
				continue
			}
			s.readFeed(f, u.String())
		}
	}
}

// sitemapRoots returns the profile's sitemaps, or those robots.txt names
// on the site's hosts, or /sitemap.xml.
func (s *siteCrawl) sitemapRoots(f *docFetcher, base *url.URL) ([]string, error) {
	var out []string
	for _, su := range s.p.Sitemaps {
		u, err := s.p.resolve(base, su)
		if err != nil {
			return nil, err
		}
		out = append(out, u.String())
	}
	if len(out) > 0 {
		return out, nil
	}
	r, err := f.robotsOf(s.ctx, base)
	if err != nil {
		return nil, err
	}
	for _, su := range r.sitemaps {
		if u, err := s.p.resolve(base, su); err == nil {
			out = append(out, u.String())
		}
	}
	if len(out) == 0 {
		out = append(out, base.ResolveReference(&url.URL{Path: "/sitemap.xml"}).String())
	}
	return out, nil
}

// countDocument counts one sitemap or feed against max_pages, and
// reports whether it may be read.
func (s *siteCrawl) countDocument() bool {
	if s.lists.Add(1) > int64(s.p.MaxPages) {
		s.markIncomplete()
		s.log.Info("crawler: max_pages reached", "max_pages", s.p.MaxPages)
		return false
	}
	return true
}

// readSitemap reads one sitemap, queueing its ad pages, or one sitemap
// index, reading the sitemaps it names.
func (s *siteCrawl) readSitemap(f *docFetcher, u string, nesting int) {
	if s.ctx.Err() != nil || !s.countDocument() {
		return
	}
	resp, err := f.open(s.ctx, u)
	if err != nil {
		s.docFailed(u, kindSitemap, err)
		return
	}
	defer resp.Body.Close()
	s.m.PagesFetched.WithLabelValues(s.p.Site).Inc()
	s.opts.Progress.pages.Add(1)
	var children []string
	_, err = ReadSitemap(resp.Body, func(e SitemapEntry) error {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if e.Sitemap {
			children = append(children, e.Loc)
			return nil
		}
		s.offer(e.Loc, e.LastMod)
		return nil
	})
	if err != nil {
		s.docFailed(u, kindSitemap, err)
	}
	for _, c := range children {
		if nesting+1 > maxSitemapNesting {
			s.markIncomplete()
			s.log.Warn("crawler: sitemap indexes nested too deep", "url", c)
			break
		}
		if cu, err := url.Parse(c); err != nil || !s.p.allowsHost(mustURL(s.p.BaseURL), cu.Hostname()) {
			s.log.Debug("crawler: skipped sitemap on another host", "url", c)
			continue
		}
		s.readSitemap(f, c, nesting+1)
	}
}

// readFeed reads one RSS or Atom feed, queueing the pages it links.
func (s *siteCrawl) readFeed(f *docFetcher, u string) {
	if s.ctx.Err() != nil || !s.countDocument() {
		return
	}
	resp, err := f.open(s.ctx, u)
	if err != nil {
		s.docFailed(u, kindFeed, err)
		return
	}
	defer resp.Body.Close()
	s.m.PagesFetched.WithLabelValues(s.p.Site).Inc()
	s.opts.Progress.pages.Add(1)
	_, err = ReadFeed(resp.Body, func(it FeedItem) error {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		date := it.Updated
		if date.IsZero() {
			date = it.Published
		}
		if link := resolveIn(resp.Request.URL, it.Link); link != "" {
			s.offer(link, date)
		}
		return nil
	})
	if err != nil {
		s.docFailed(u, kindFeed, err)
	}
}

func (s *siteCrawl) docFailed(u, kind string, err error) {
	if s.ctx.Err() != nil {
		return
	}
	reason := ReasonOther
	var se *StatusError
	switch {
	case errors.Is(err, ErrRobotsDisallowed):
		s.m.RobotsBlocked.WithLabelValues(s.p.Site).Inc()
		s.markIncomplete()
		s.log.Info("crawler: robots.txt disallows", "url", u)
		return
	case errors.As(err, &se):
		reason = ReasonBadStatus
	case errors.Is(err, ErrBadSitemap), errors.Is(err, ErrBadFeed):
		reason = ReasonUnparseable
	}
	s.fail(u, kind, reason, err)
}

// resolveIn resolves a feed link against the feed's URL; "" if it is not
// an http(s) URL.
func resolveIn(base *url.URL, ref string) string {
	r, err := url.Parse(ref)
	if err != nil || ref == "" {
		return ""
	}
	u := base.ResolveReference(r)
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	if u == nil {
		u = &url.URL{}
	}
	return u
}

// offer takes one ad URL from a sitemap or feed: it is listed, and
// fetched unless the include and exclude patterns drop it or State
// holds it live with the same or a later date.
func (s *siteCrawl) offer(raw string, lastmod time.Time) {
	if !s.filter.keep(raw) {
		return
	}
	canon, err := ad.CanonicalURL(raw)
	if err != nil {
		return
	}
	pu, err := url.Parse(raw)
	if err != nil || !s.p.allowsHost(mustURL(s.p.BaseURL), pu.Hostname()) {
		return
	}
	s.mu.Lock()
	s.listed[canon] = true
	s.mu.Unlock()
	if st := s.opts.State; st != nil && !lastmod.IsZero() {
		prev, ok, err := st.Get(s.ctx, canon)
		if err == nil && ok && prev.ContentHash != "" && !prev.Removed() && prev.Status == StatusOK &&
			!prev.LastMod.IsZero() && !lastmod.After(prev.LastMod) {
			s.visit(canon)
			s.count(OutcomeUnchanged)
			return
		}
	}
	if s.adsQueued.Add(1) > int64(s.p.MaxAds) {
		if s.adsQueued.Load() == int64(s.p.MaxAds)+1 {
			s.log.Info("crawler: max_ads reached; the other ad pages wait for the next crawl", "max_ads", s.p.MaxAds)
		}
		return
	}
	s.enqueueDated(raw, "ad", 2, lastmod.UTC())
}

// validators are what a page answer says about its version: its ETag and
// Last-Modified headers, and the date its sitemap or feed gave it.
type validators struct {
	etag, lastModified string
	lastmod            time.Time
}

func validatorsOf(r *colly.Response) validators {
	var v validators
	if r.Headers != nil {
		v.etag, v.lastModified = r.Headers.Get("ETag"), r.Headers.Get("Last-Modified")
	}
	if r.Ctx != nil {
		v.lastmod, _ = r.Ctx.GetAny(keyLastMod).(time.Time)
	}
	return v
}

// conditional returns the headers of a conditional GET of an ad page
// whose ad State holds live with validators, or nil.
func (s *siteCrawl) conditional(u, kind string) http.Header {
	st := s.opts.State
	if st == nil || (kind != "ad" && kind != kindRecheck) || s.p.IsTelegram() {
		return nil
	}
	canon, err := ad.CanonicalURL(u)
	if err != nil {
		return nil
	}
	prev, ok, err := st.Get(s.ctx, canon)
	if err != nil || !ok || prev.ContentHash == "" || prev.Status != StatusOK {
		return nil
	}
	h := http.Header{}
	if prev.ETag != "" {
		h.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		h.Set("If-Modified-Since", prev.LastModified)
	}
	if len(h) == 0 {
		return nil
	}
	return h
}

// notModified handles a 304 answer to a conditional GET: the ad is live
// and unchanged.
func (s *siteCrawl) notModified(u, kind string, v validators) {
	canon, err := ad.CanonicalURL(u)
	if err != nil {
		return
	}
	s.visit(canon)
	if kind == kindRecheck {
		s.m.Rechecks.WithLabelValues(s.p.Site, recheckLive).Inc()
	}
	now := time.Now().UTC()
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	if st := s.opts.State; st != nil {
		if err := st.Revalidated(s.ctx, canon, now, v.etag, v.lastModified, v.lastmod); err != nil {
			s.log.Error("crawler: state", "url", u, "err", err)
		}
	}
	s.count(OutcomeUnchanged)
}

// expired handles an ad page whose posting has ended: an ad State holds
// live is reported removed; one never sent is not sent.
func (s *siteCrawl) expired(canon string, now time.Time) {
	s.visit(canon)
	st := s.opts.State
	if st == nil {
		s.log.Debug("crawler: posting expired; not sent", "url", canon)
		return
	}
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	prev, ok, err := st.Get(s.ctx, canon)
	if err != nil {
		s.log.Error("crawler: state", "url", canon, "err", err)
		return
	}
	if ok && prev.AdID != "" && prev.ContentHash != "" && !prev.Removed() {
		s.remove(prev, ad.RemovedExpired, now)
		return
	}
	if !ok {
		if err := st.Failed(s.ctx, canon, s.p.Site, ad.RemovedExpired, now); err != nil {
			s.log.Error("crawler: state", "url", canon, "err", err)
		}
	}
	s.log.Debug("crawler: posting expired; not sent", "url", canon)
}
