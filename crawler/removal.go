package crawler

import (
	"net/http"
	"time"

	"github.com/lurewatch/lure/ad"
)

// gone handles a 404 or 410 answer for an ad page. If State knows the
// page's ad as live, the ad is reported removed and gone returns true;
// an ad already removed is not reported again (also true). An unknown
// page is a plain bad_status failure (false).
func (s *siteCrawl) gone(u string, status int) bool {
	st := s.opts.State
	if st == nil {
		return false
	}
	canon, err := ad.CanonicalURL(u)
	if err != nil {
		return false
	}
	s.visit(canon)
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	prev, ok, err := st.Get(s.ctx, canon)
	if err != nil {
		s.log.Error("crawler: state", "url", u, "err", err)
		return false
	}
	if !ok || prev.AdID == "" || prev.ContentHash == "" {
		return false
	}
	if prev.Removed() {
		return true
	}
	reason := ad.RemovedGone404
	if status == http.StatusGone {
		reason = ad.RemovedGone410
	}
	s.remove(prev, reason, time.Now().UTC())
	return true
}

// detectDelisted reports removed every live ad of the site that no list
// page linked in this crawl, when the listing was complete: no list page
// failed and max_pages or max_depth did not cut it.
func (s *siteCrawl) detectDelisted(now time.Time) {
	st := s.opts.State
	if st == nil {
		return
	}
	s.mu.Lock()
	incomplete, listed := s.incomplete, len(s.listed)
	s.mu.Unlock()
	if incomplete || listed == 0 {
		if incomplete {
			s.log.Info("crawler: listing incomplete; delisted ads not checked")
		}
		return
	}
	s.sinkMu.Lock()
	defer s.sinkMu.Unlock()
	live, err := st.Live(s.ctx, s.p.Site)
	if err != nil {
		s.log.Error("crawler: state", "err", err)
		return
	}
	s.mu.Lock()
	var gone []PageState
	for _, p := range live {
		if !s.listed[p.URL] {
			gone = append(gone, p)
		}
	}
	s.mu.Unlock()
	for _, p := range gone {
		if s.ctx.Err() != nil {
			return
		}
		s.remove(p, ad.RemovedDelisted, now)
	}
}

// remove reports one removal and records it in State once accepted.
// The caller holds sinkMu.
func (s *siteCrawl) remove(p PageState, reason string, now time.Time) {
	r := ad.Removal{V: ad.Version, ID: p.AdID, Site: s.p.Site, URL: p.URL, Reason: reason, LastSeen: p.LastSeen, DetectedAt: now}
	if s.opts.Removals != nil {
		if err := s.opts.Removals.Removed(s.ctx, r); err != nil {
			if s.ctx.Err() == nil {
				s.fail(p.URL, "ad", ReasonSink, err)
			}
			return
		}
	}
	if err := s.opts.State.MarkRemoved(s.ctx, p.URL, reason, now); err != nil {
		s.log.Error("crawler: state", "url", p.URL, "err", err)
	}
	s.m.Removals.WithLabelValues(s.p.Site, reason).Inc()
	s.count(OutcomeRemoved)
	s.log.Info("crawler: ad removed", "id", p.AdID, "url", p.URL, "reason", reason)
}
