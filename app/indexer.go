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
	// batchHooks run like hooks, once per batch, before them; an error
	// fails every verdict of the batch.
	batchHooks []batchHook
}

// verdictHook is told of each verdict the indexer wrote; changed reports
// whether the store saw a new or changed verdict.
type verdictHook func(ctx context.Context, v ad.Verdict, changed bool) error

// batchHook is told of the verdicts of a batch the indexer wrote, in
// order; changed[i] reports whether the store saw vs[i] new or changed.
type batchHook func(ctx context.Context, vs []ad.Verdict, changed []bool) error

// Handle implements stream.Handler: HandleBatch for one message.
func (ix *indexer) Handle(ctx context.Context, m stream.Message) error {
	if errs := ix.HandleBatch(ctx, []stream.Message{m}); errs != nil {
		return errs[0]
	}
	return nil
}

// HandleBatch implements stream.BatchHandler. It writes the verdicts of
// a batch to the store in one transaction and to the index in one batch,
// then runs the batch hooks and the hooks verdict by verdict, in order.
// An undecodable verdict is a permanent error (a dead letter) and the rest
// of the batch goes on. A store, index or batch-hook failure fails every
// verdict of the batch, and a hook failure the verdict and those after
// it; the consumer retries them (the writes are idempotent, so a retry
// changes nothing that was written).
func (ix *indexer) HandleBatch(ctx context.Context, ms []stream.Message) []error {
	var errs []error
	fail := func(i int, err error) {
		if errs == nil {
			errs = make([]error, len(ms))
		}
		errs[i] = err
	}
	vs := make([]ad.Verdict, 0, len(ms))
	at := make([]int, 0, len(ms)) // index in ms of each verdict in vs
	for i, m := range ms {
		v, err := ad.DecodeVerdict(m.Value)
		if err != nil {
			fail(i, stream.Permanent(err))
			continue
		}
		vs = append(vs, v)
		at = append(at, i)
	}
	if len(vs) == 0 {
		return errs
	}
	failAll := func(err error) []error {
		for _, i := range at {
			fail(i, err)
		}
		return errs
	}
	changed, err := ix.store.UpsertBatch(ctx, vs)
	if err != nil {
		return failAll(fmt.Errorf("app: indexer: store: %w", err))
	}
	// The index is written even when the store saw no change: a crash
	// between the two writes must heal on replay.
	// PutAll removes ads that are no longer flagged, so the index holds
	// exactly the flagged ads.
	if err := ix.index.PutAll(ctx, vs); err != nil {
		return failAll(fmt.Errorf("app: indexer: index: %w", err))
	}
	for _, hook := range ix.batchHooks {
		if err := hook(ctx, vs, changed); err != nil {
			return failAll(fmt.Errorf("app: indexer: %w", err))
		}
	}
	for j, v := range vs {
		for _, hook := range ix.hooks {
			if err := hook(ctx, v, changed[j]); err != nil {
				err = fmt.Errorf("app: indexer: %s: %w", v.Ad.ID, err)
				for _, i := range at[j:] {
					fail(i, err)
				}
				return errs
			}
		}
		switch {
		case !changed[j]:
			ix.metrics.ads.WithLabelValues(outcomeUnchanged).Inc()
		case v.Flagged:
			ix.metrics.ads.WithLabelValues(outcomeIndexed).Inc()
		default:
			ix.metrics.ads.WithLabelValues(outcomeStored).Inc()
		}
	}
	return errs
}
