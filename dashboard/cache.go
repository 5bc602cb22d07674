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

// counts caches store.Stats and store.QueueFacets.
type counts struct {
	mu         sync.Mutex
	at         time.Time
	stats      store.Stats
	facets     map[string][]store.Facet
	refreshing bool
	first      sync.Mutex // serialises the first, synchronous count
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
// review-status counts).
func (c *counts) invalidate() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}
