package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// startNotices wires takedown notices into the serve role: the notifier,
// overdue period and each site's platform name and notice contact (from
// the crawler profiles) for the dashboard, a consumer of the crawler's
// removals (lure.ads.removed) that verifies notified ads are gone, and an
// indexer hook that notices an ad coming back.
func (a *App) startNotices(sc serveContext) error {
	sc.dashboard.Notices = notice.Options{
		NotifierName:  a.opts.NotifierName,
		NotifierEmail: a.opts.NotifierEmail,
		Overdue:       a.opts.NoticeOverdue,
		Platforms:     sitePlatforms(a.opts.SitesDir),
	}
	if a.opts.NotifierName == "" || a.opts.NotifierEmail == "" {
		a.opts.Logger.Warn("takedown notices cannot be sent until --notifier-name and --notifier-email are set")
	}
	h := &removals{store: sc.store.Notices(), log: a.opts.Logger, metrics: newRemovalMetrics(a.registry)}
	sc.indexer.hooks = append(sc.indexer.hooks, h.verdictHook)
	return a.startConsumer(sc.consumeCtx, stream.Removed, defaultRemovalsGroup, h)
}

// removalMetrics count removal messages and the notices they closed.
type removalMetrics struct {
	removals prometheus.Counter
	closed   prometheus.Counter
	back     prometheus.Counter
}

func newRemovalMetrics(reg prometheus.Registerer) *removalMetrics {
	m := &removalMetrics{
		removals: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "lure", Subsystem: "notices",
			Name: "removals_total", Help: "Ad removals from lure.ads.removed recorded in the store (replays included)."}),
		closed: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "lure", Subsystem: "notices",
			Name: "closed_removed_total", Help: "Notices closed as removed because the crawler found every ad gone."}),
		back: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "lure", Subsystem: "notices",
			Name: "reappeared_total", Help: "Removed ads seen on their site again."}),
	}
	if reg != nil {
		reg.MustRegister(m.removals, m.closed, m.back)
	}
	return m
}

// removals records each removal the crawler reports and closes the
// notices whose ads are all gone. It is idempotent by ad ID.
type removals struct {
	store   *store.Notices
	log     *slog.Logger
	metrics *removalMetrics
}

// Handle implements stream.Handler: undecodable removals are dead
// letters, store failures are retried.
func (h *removals) Handle(ctx context.Context, m stream.Message) error {
	r, err := ad.DecodeRemoval(m.Value)
	if err != nil {
		return stream.Permanent(err)
	}
	closed, err := h.store.RecordRemoval(ctx, r)
	if err != nil {
		return fmt.Errorf("app: removals: %s: %w", r.ID, err)
	}
	h.metrics.removals.Inc()
	for _, id := range closed {
		h.metrics.closed.Inc()
		h.log.Info("takedown notice closed: every ad verified removed", "notice", id, "site", r.Site)
	}
	return nil
}

// verdictHook clears the removal of an ad crawled again after it was
// found removed, reopening the notices that counted it removed.
func (h *removals) verdictHook(ctx context.Context, v ad.Verdict, _ bool) error {
	seen := v.Ad.Crawled
	if seen.IsZero() {
		return nil
	}
	// A plain read first: almost no verdict is of a removed ad.
	r, ok, err := h.store.RemovalOf(ctx, v.Ad.ID)
	if err != nil || !ok || !seen.After(r.DetectedAt) {
		return err
	}
	cleared, err := h.store.ClearRemoval(ctx, v.Ad.ID, seen)
	if err != nil {
		return err
	}
	if cleared {
		h.metrics.back.Inc()
		h.log.Info("removed ad is on its site again", "ad", v.Ad.ID, "site", v.Ad.Site)
	}
	return nil
}
