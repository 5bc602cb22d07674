package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// TestStartNetwork feeds verdicts through the indexer with the network
// hook: ads stored before start are linked by the backlog, new ones by
// the hook, a replay changes nothing, and the dashboard gets its views.
func TestStartNetwork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	st, err := store.Open(ctx, Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(Paths(dir).Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	mk := func(id, body string, phones ...string) ad.Verdict {
		v := ad.Verdict{V: ad.Version, Score: 20, Band: ad.BandLow, RulePack: "t",
			Ad: ad.Ad{V: ad.Version, ID: id, Site: "s", URL: "https://s.example/" + id, Kind: ad.KindJob, Body: body,
				Crawled: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
		v.Ad.ContentHash = v.Ad.Hash()
		v.Entities.Phones = phones
		return v
	}
	// Stored before the network engine existed.
	if _, err := st.Upsert(ctx, mk("old", "Продам гараж", "+37369123456")); err != nil {
		t.Fatal(err)
	}
	a := &App{opts: Options{Logger: slog.New(slog.DiscardHandler)}, registry: prometheus.NewRegistry()}
	h := &indexer{store: st, index: ix, metrics: newIndexerMetrics(nil)}
	var dopts dashboard.Options
	if err := a.startNetwork(serveContext{ctx: ctx, consumeCtx: ctx, store: st, indexer: h, dashboard: &dopts}); err != nil {
		t.Fatal(err)
	}
	if dopts.Networks == nil || len(h.batchHooks) != 2 || len(h.hooks) != 0 {
		t.Fatalf("startNetwork wired %d batch hooks and %d hooks, Networks %v", len(h.batchHooks), len(h.hooks), dopts.Networks)
	}
	a.consumersWG.Wait()     // the backlog
	for i := 0; i < 2; i++ { // the second round is a replay
		b, _ := json.Marshal(mk("new", "Куплю велосипед", "+37369123456"))
		if err := h.Handle(ctx, stream.Message{Value: b}); err != nil {
			t.Fatal(err)
		}
	}
	id, size, err := st.Networks().ClusterOf(ctx, "new")
	if err != nil || id != "old" || size != 2 {
		t.Errorf("ClusterOf(new) = %q, %d, %v; want old, 2", id, size, err)
	}
	var n int
	if err := st.Networks().LoadNetwork(ctx, func(store.NetworkAd) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("network holds %d ads, %v; want 2", n, err)
	}
}
