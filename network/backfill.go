package network

import (
	"context"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// Backlog lists the stored verdicts the engine has not seen yet.
// *store.Store implements it.
type Backlog interface {
	// NetworkBacklog returns up to limit such verdicts, oldest first.
	NetworkBacklog(ctx context.Context, limit int) ([]ad.Verdict, error)
}

// Backfill assigns the verdicts of b the engine has not seen, in batches,
// until there are none or ctx ends: the ads stored before the engine
// existed. Errors end it and are logged (unless ctx ended), as is the
// number of ads linked, which it returns. It may run beside Add.
func (e *Engine) Backfill(ctx context.Context, b Backlog) int {
	log := e.opts.Logger
	n := 0
	for ctx.Err() == nil {
		vs, err := b.NetworkBacklog(ctx, store.MaxLimit)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("network: backlog", "err", err)
			}
			return n
		}
		if len(vs) == 0 {
			break
		}
		progress := false
		for _, v := range vs {
			a, err := e.Add(ctx, v)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("network: backlog", "ad", v.Ad.ID, "err", err)
				}
				return n
			}
			if !a.Replay {
				progress = true
				n++
			}
		}
		if !progress {
			break // only ads the engine holds already: nothing left to do
		}
	}
	if n > 0 {
		log.Info("network: linked stored ads", "ads", n)
	}
	return n
}
