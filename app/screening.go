package app

import (
	"context"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/langid"
	"github.com/lurewatch/lure/webhook"
)

// screenRulesPoll is how often the score API's rules directory is checked
// for changes.
var screenRulesPoll = classifier.DefaultWatchInterval

// startScreening wires the screening capability into the serve role: the
// score API gets a classifier of the node's rule pack (reloaded like the
// classify role's when --rules names a directory), every flagged
// verdict the indexer writes is queued for the webhook subscriptions
// covering its site, and a webhook worker delivers the queue until
// shutdown. Subscriptions cover the sites of the crawler profiles.
func (a *App) startScreening(sc serveContext) error {
	c, err := classifier.New(sc.pack, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}
	h := classifier.NewHolder(c)
	if a.opts.RulesDir != "" {
		classifier.Watch(sc.consumeCtx, h, a.opts.RulesDir, screenRulesPoll, a.opts.Logger)
	}
	sc.dashboard.Scorer = h
	sc.dashboard.Screening.Rate = a.opts.ScoreRate
	sc.dashboard.Screening.Burst = a.opts.ScoreBurst
	sc.dashboard.Screening.Concurrency = a.opts.ScoreConcurrency
	sc.dashboard.WebhookAllowPrivate = a.opts.WebhookAllowPrivate
	profiles, err := loadProfiles(a.opts.SitesDir)
	if err != nil {
		return err
	}
	sc.dashboard.Sites = dashboardSites(profiles)
	w, err := webhook.New(webhook.Options{Queue: sc.store.Webhooks(), Metrics: webhook.NewMetrics(a.registry), Logger: a.opts.Logger,
		AllowPrivate: a.opts.WebhookAllowPrivate})
	if err != nil {
		return err
	}
	sc.indexer.hooks = append(sc.indexer.hooks, webhookHook(w))
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		w.Run(sc.consumeCtx) //nolint:errcheck // returns nil at shutdown
	}()
	return nil
}

// webhookHook queues the events of a flagged verdict. It runs for
// unchanged verdicts too (a replay heals a crash between the store write
// and the queue); the queue keeps one delivery per subscription, ad and
// content hash.
func webhookHook(w *webhook.Worker) verdictHook {
	return func(ctx context.Context, v ad.Verdict, changed bool) error {
		_, err := w.Enqueue(ctx, v) // Enqueue ignores verdicts that are not flagged
		return err
	}
}

// dashboardSites are the sites of the crawler profiles, for the sites of
// webhook subscriptions.
func dashboardSites(profiles []crawler.Profile) []dashboard.Site {
	out := make([]dashboard.Site, len(profiles))
	for i, p := range profiles {
		out[i] = dashboard.Site{Name: p.Site, Hosts: p.Hosts()}
	}
	return out
}
