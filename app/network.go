package app

import (
	"context"
	"log/slog"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// startNetwork links ads into recruiter networks: it resumes the network
// engine from the store, assigns every verdict the indexer writes (all
// ads, flagged or not; a replay changes nothing), assigns in the
// background the ads stored before the engine existed, and gives the
// dashboard its cluster views.
func (a *App) startNetwork(sc serveContext) error {
	// Ads saved before cities were keyed on the canonical region take it
	// now, from their stored verdicts; after the first start this only
	// reads.
	nets := sc.store.Networks()
	n, err := nets.BackfillNetworkCities(sc.ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		a.opts.Logger.Info("network: canonical cities", "ads", n)
	}
	e, err := network.New(sc.ctx, network.Options{Store: nets, Metrics: network.NewMetrics(a.registry), Logger: a.opts.Logger})
	if err != nil {
		return err
	}
	sc.indexer.hooks = append(sc.indexer.hooks, e.Hook)
	sc.dashboard.Networks = dashboard.NewNetworkViews(nets, sc.store, network.Weights{})
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		backfillNetwork(sc.consumeCtx, e, nets, a.opts.Logger)
	}()
	return nil
}

// backfillNetwork assigns the stored ads the engine has not seen, in
// batches, until there are none or ctx ends.
func backfillNetwork(ctx context.Context, e *network.Engine, st *store.Networks, log *slog.Logger) {
	n := 0
	for ctx.Err() == nil {
		vs, err := st.NetworkBacklog(ctx, store.MaxLimit)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("network: backlog", "err", err)
			}
			return
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
				return
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
}
