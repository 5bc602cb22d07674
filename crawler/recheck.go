package crawler

import (
	"time"

	"github.com/lurewatch/lure/ad"
)

// kindRecheck is the request kind of a live ad's page fetched again from
// its own URL because the crawl did not see the ad.
const kindRecheck = "recheck"

// needsRecheck reports whether this crawl cannot tell removed ads by
// their absence from the listing: a Telegram preview drops older posts,
// and an incomplete or empty listing misses ads that are still there.
func (s *siteCrawl) needsRecheck() bool {
	if s.opts.State == nil || s.p.RecheckMax < 0 {
		return false
	}
	if s.p.IsTelegram() || s.p.Type == TypeFeed {
		return true // a preview or feed shows only the latest posts
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.incomplete || len(s.listed) == 0
}

// recheck queues, for at most RecheckMax live ads of the site that this
// crawl neither listed nor fetched, a GET of the ad's own page, the ads
// checked least recently first. The answers go through the crawl's
// collector (robots.txt, per-host limits, timeouts, size bound,
// retries): 404 or 410 reports the ad removed, an ad page read as usual
// is delivered or recorded as seen, and for a Telegram post, whose page
// is no channel preview, any other success only counts as seen. It
// returns the number queued; the caller waits for the collector.
func (s *siteCrawl) recheck() int {
	stale, err := s.opts.State.Stale(s.ctx, s.p.Site)
	if err != nil {
		s.log.Error("crawler: state", "err", err)
		return 0
	}
	n := 0
	for _, p := range stale {
		if n >= s.p.RecheckMax || s.ctx.Err() != nil {
			break
		}
		s.mu.Lock()
		skip := s.listed[p.URL] || s.visited[p.URL]
		s.mu.Unlock()
		if _, dup := s.requested.Load(p.URL); skip || dup {
			continue
		}
		n++
		s.enqueue(p.URL, kindRecheck, 1)
	}
	if n > 0 {
		s.log.Info("crawler: rechecking unseen live ads", "ads", n, "live", len(stale))
	}
	return n
}

// visit records that the crawl saw the ad at canonical URL u, so it is
// not rechecked.
func (s *siteCrawl) visit(u string) {
	s.mu.Lock()
	s.visited[u] = true
	s.mu.Unlock()
}

// stillThere records a recheck of a Telegram post answered with a page:
// the post counts as seen. The page is not read: Telegram's post page is
// no channel preview, and it may answer 200 with an empty widget for a
// deleted post, so only 404 and 410 are taken as removal there.
func (s *siteCrawl) stillThere(u string) {
	s.m.Rechecks.WithLabelValues(s.p.Site, recheckLive).Inc()
	canon, err := ad.CanonicalURL(u)
	if err != nil {
		return
	}
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	if prev, ok, err := s.opts.State.Get(s.ctx, canon); err != nil || !ok || prev.Removed() {
		return
	}
	if err := s.opts.State.Seen(s.ctx, canon, time.Now().UTC()); err != nil {
		s.log.Error("crawler: state", "url", u, "err", err)
	}
}

// recheckFailed records a recheck that learnt nothing: the ad stays live
// with its last-seen time, and goes to the back of the recheck order.
func (s *siteCrawl) recheckFailed(u string) {
	s.m.Rechecks.WithLabelValues(s.p.Site, recheckFailed).Inc()
	canon, err := ad.CanonicalURL(u)
	if err != nil {
		return
	}
	if err := s.opts.State.Checked(s.ctx, canon, time.Now().UTC()); err != nil {
		s.log.Error("crawler: state", "url", u, "err", err)
	}
}

// Outcomes of a recheck, the values of the outcome label of
// lure_crawler_rechecks_total.
const (
	recheckLive   = "live"
	recheckGone   = "gone"
	recheckFailed = "failed"
)

var recheckOutcomes = []string{recheckLive, recheckGone, recheckFailed}
