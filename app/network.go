package app

import (
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/exchange"
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
	// After the engine's hook, which saves the ads the matcher links to.
	m, err := exchange.NewMatcher(sc.store, a.opts.ShareKey)
	if err != nil {
		return err
	}
	sc.indexer.batchHooks = append(sc.indexer.batchHooks, m.BatchHook)
	sc.dashboard.Networks = dashboard.NewNetworkViews(nets, sc.store, network.Weights{})
	sc.dashboard.Indicators = a.newIndicatorExporter(sc.store)
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		e.Backfill(sc.consumeCtx, nets)
		// Ads that arrived while lure was stopped meet the partners'
		// indicators now.
		if res, err := exchange.Match(sc.consumeCtx, sc.store, a.opts.ShareKey); err != nil {
			a.opts.Logger.Warn("exchange: match partner indicators", "err", err)
		} else if res.New > 0 {
			a.opts.Logger.Info("exchange: ads newly known to partners", "links", res.New)
		}
	}()
	return nil
}
