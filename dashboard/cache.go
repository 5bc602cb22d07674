package dashboard

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/lurewatch/lure/store"
)

// CountsTTL is how long the queue's filter counts and the statistics are
// served before they are counted again. They are shown to every analyst
// on every queue page, and counting takes long on a large store, so a
// stale copy is served while one background recount runs.
const CountsTTL = 15 * time.Second

// counts caches store.Stats and store.QueueFacets, and the number of
// ads each queue filter matches.
type counts struct {
	mu         sync.Mutex
	at         time.Time
	stats      store.Stats
	facets     map[string][]store.Facet
	refreshing bool
	first      sync.Mutex // serialises the first, synchronous count

	// totals are the queue's match counts by filter (queueKey), each
	// served for CountsTTL: paging through a filter, or many analysts
	// opening the queue, count it once. A decision drops them all; gen
	// counts the drops, so a count that began before one is not kept.
	totals map[string]queueTotal
	gen    uint64
}

type queueTotal struct {
	n  int
	at time.Time
}

// maxTotals bounds the cached queue totals; past it they are all dropped.
const maxTotals = 1000

// total returns the cached total of a queue filter, if fresh, and the
// generation to hand back to putTotal.
func (c *counts) total(key string, now time.Time) (n int, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.totals[key]
	if !ok || now.Sub(t.at) >= CountsTTL || now.Before(t.at) {
		return 0, false, c.gen
	}
	return t.n, true, c.gen
}

// putTotal caches the total of a queue filter counted since total
// returned gen, unless a decision came in between.
func (c *counts) putTotal(key string, n int, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.totals == nil || len(c.totals) >= maxTotals {
		c.totals = map[string]queueTotal{}
	}
	c.totals[key] = queueTotal{n: n, at: now}
}

func count(ctx context.Context, db Store) (store.Stats, map[string][]store.Facet, error) {
	st, err := db.Stats(ctx)
	if err != nil {
		return store.Stats{}, nil, err
	}
	f, err := db.QueueFacets(ctx)
	if err != nil {
		return store.Stats{}, nil, err
	}
	return st, f, nil
}

// get returns the counts. Fresh ones are returned as they are; stale ones
// too, after starting one background recount; with none yet, it counts.
func (c *counts) get(ctx context.Context, db Store, now time.Time, log *slog.Logger) (store.Stats, map[string][]store.Facet, error) {
	c.mu.Lock()
	if c.facets != nil {
		st, f := c.stats, c.facets
		if (now.Sub(c.at) >= CountsTTL || now.Before(c.at)) && !c.refreshing {
			c.refreshing = true
			go c.refresh(db, log)
		}
		c.mu.Unlock()
		return st, f, nil
	}
	c.mu.Unlock()

	c.first.Lock()
	defer c.first.Unlock()
	c.mu.Lock()
	if c.facets != nil { // counted while we waited
		st, f := c.stats, c.facets
		c.mu.Unlock()
		return st, f, nil
	}
	c.mu.Unlock()
	st, f, err := count(ctx, db)
	if err != nil {
		return store.Stats{}, nil, err
	}
	c.mu.Lock()
	c.stats, c.facets, c.at = st, f, time.Now()
	c.mu.Unlock()
	return st, f, nil
}

func (c *counts) refresh(db Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, f, err := count(ctx, db)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err != nil {
		log.Error("dashboard: recount", "err", err)
		return
	}
	c.stats, c.facets, c.at = st, f, time.Now()
}

// invalidate makes the next get recount (after a decision changes the
// review-status counts) and drops the queue totals.
func (c *counts) invalidate() {
	c.mu.Lock()
	c.at = time.Time{}
	c.totals = nil
	c.gen++
	c.mu.Unlock()
}
