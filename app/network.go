package app

import (
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/network"
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
	sc.indexer.batchHooks = append(sc.indexer.batchHooks, e.BatchHook)
	sc.dashboard.Networks = dashboard.NewNetworkViews(nets, sc.store, network.Weights{})
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		e.Backfill(sc.consumeCtx, nets)
	}()
	return nil
}
