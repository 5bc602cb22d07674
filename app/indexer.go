package app

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// indexerMetrics count what the indexer did with each verdict.
type indexerMetrics struct {
	ads *prometheus.CounterVec
}

// Indexer outcomes, the fixed label values of lure_indexer_ads_total.
const (
	outcomeStored    = "stored"    // new or changed, not flagged
	outcomeIndexed   = "indexed"   // new or changed, flagged: stored and indexed
	outcomeUnchanged = "unchanged" // replay of a verdict already stored
)

func newIndexerMetrics(reg prometheus.Registerer) *indexerMetrics {
	m := &indexerMetrics{
		ads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure",
			Subsystem: "indexer",
			Name:      "ads_total",
			Help:      "Verdicts handled by the indexer, by outcome (stored, indexed, unchanged).",
		}, []string{"outcome"}),
	}
	for _, o := range []string{outcomeStored, outcomeIndexed, outcomeUnchanged} {
		m.ads.WithLabelValues(o)
	}
	if reg != nil {
		reg.MustRegister(m.ads)
	}
	return m
}

// indexer writes every verdict to the store and keeps the search index
// holding exactly the flagged ads. It is idempotent: a replayed verdict
// changes nothing.
type indexer struct {
	store   *store.Store
	index   searchIndex
	metrics *indexerMetrics
	// hooks run after the store and index writes of every verdict, in
	// order, changed or not (a replay must heal a crash between the store
	// write and a hook). An error fails the message, which is retried, so
	// a hook must be idempotent.
	hooks []verdictHook
}

// verdictHook is told of each verdict the indexer wrote; changed reports
// whether the store saw a new or changed verdict.
type verdictHook func(ctx context.Context, v ad.Verdict, changed bool) error

// Handle implements stream.Handler. Undecodable verdicts are permanent
// errors (dead letters); store and index failures are retried.
func (ix *indexer) Handle(ctx context.Context, m stream.Message) error {
	v, err := ad.DecodeVerdict(m.Value)
	if err != nil {
		return stream.Permanent(err)
	}
	changed, err := ix.store.Upsert(ctx, v)
	if err != nil {
		return fmt.Errorf("app: indexer: store %s: %w", v.Ad.ID, err)
	}
	// The index is written even when the store saw no change: a crash
	// between the two writes must heal on replay.
	// Put removes an ad that is no longer flagged, so the index holds
	// exactly the flagged ads.
	if err := ix.index.Put(ctx, v); err != nil {
		return fmt.Errorf("app: indexer: index %s: %w", v.Ad.ID, err)
	}
	for _, hook := range ix.hooks {
		if err := hook(ctx, v, changed); err != nil {
			return fmt.Errorf("app: indexer: %s: %w", v.Ad.ID, err)
		}
	}
	switch {
	case !changed:
		ix.metrics.ads.WithLabelValues(outcomeUnchanged).Inc()
	case v.Flagged:
		ix.metrics.ads.WithLabelValues(outcomeIndexed).Inc()
	default:
		ix.metrics.ads.WithLabelValues(outcomeStored).Inc()
	}
	return nil
}
