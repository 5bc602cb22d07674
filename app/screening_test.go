package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
	"github.com/lurewatch/lure/webhook"
)

// TestScreeningWiring: startScreening gives the dashboard a scorer, and a
// flagged verdict the indexer stores reaches a subscribed platform once,
// signed, replays included.
func TestScreeningWiring(t *testing.T) {
	ctx := context.Background()
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
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var got [][]byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := webhook.Verify("whsec_wiring-test-secret", r.Header.Get(webhook.SignatureHeader), b, time.Now(), time.Minute); err != nil {
			t.Errorf("delivery does not verify: %v", err)
		}
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
	}))
	defer recv.Close()
	if _, err := st.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "platform-x", URL: recv.URL, Sites: []string{"doska.example"},
		Secret: "whsec_wiring-test-secret"}); err != nil {
		t.Fatal(err)
	}

	// The receiver is on 127.0.0.1: private addresses must be allowed.
	a := &App{opts: Options{Logger: slog.New(slog.DiscardHandler), ScoreRate: 3, ScoreBurst: 7, ScoreConcurrency: 5,
		WebhookAllowPrivate: true}, registry: prometheus.NewRegistry()}
	consumeCtx, stop := context.WithCancel(ctx)
	h := &indexer{store: st, index: ix, metrics: newIndexerMetrics(nil)}
	var dopts dashboard.Options
	if err := a.startScreening(serveContext{ctx: ctx, consumeCtx: consumeCtx, store: st, pack: pack, indexer: h, dashboard: &dopts}); err != nil {
		t.Fatal(err)
	}
	defer func() { stop(); a.consumersWG.Wait() }()
	if dopts.Scorer == nil || len(h.hooks) != 1 || dopts.Screening.Rate != 3 || dopts.Screening.Burst != 7 ||
		dopts.Screening.Concurrency != 5 || !dopts.WebhookAllowPrivate || len(dopts.Sites) != 6 {
		t.Fatalf("scorer %v, %d hooks, limits %+v, allow private %v, sites %v", dopts.Scorer, len(h.hooks), dopts.Screening, dopts.WebhookAllowPrivate, dopts.Sites)
	}

	in := ad.Input{Title: "Работа за границей для девушек", Lang: "ru", Site: "doska.example", URL: "https://doska.example/ad/1",
		Body: "Приглашаем девушек 18-25 лет на работу в Турцию. Билеты и визу оплачиваем. Пишите только в Telegram", Contact: "+7 916 204 55 18"}
	a1, err := in.Ad("", "ad1")
	if err != nil {
		t.Fatal(err)
	}
	v := dopts.Scorer.Score(ctx, a1)
	if !v.Flagged {
		t.Fatalf("test ad not flagged: %v", v.Score)
	}
	msg, _ := json.Marshal(v)
	for range 2 { // the second is a replay
		if err := h.Handle(ctx, stream.Message{Value: msg}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("platform got %d deliveries, want 1", len(got))
	}
	var e webhook.Event
	if err := json.Unmarshal(got[0], &e); err != nil || e.AdID != "ad1" || e.Site != "doska.example" || len(e.Rules) == 0 {
		t.Errorf("event %s: %v", got[0], err)
	}
	if body := string(got[0]); strings.Contains(body, "204 55") || strings.Contains(body, "Telegram") || strings.Contains(body, "девушек") {
		t.Errorf("event carries ad text or contacts: %s", body)
	}
}

func TestScoreLimitOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		ok   bool
	}{
		{"defaults", Options{}, true},
		{"set", Options{ScoreRate: 0.5, ScoreBurst: 10}, true},
		{"negative rate", Options{ScoreRate: -1}, false},
		{"negative burst", Options{ScoreBurst: -1}, false},
		{"negative concurrency", Options{ScoreConcurrency: -1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.setDefaults()
			if err := o.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, ok want %v", err, tc.ok)
			}
		})
	}
}

// TestScreeningReloadsRules: with a rules directory, a valid change to it
// reaches POST /api/v1/score without a restart.
func TestScreeningReloadsRules(t *testing.T) {
	old := screenRulesPoll
	screenRulesPoll = 10 * time.Millisecond
	defer func() { screenRulesPoll = old }()
	ctx := context.Background()
	dir := copyRulesDir(t)
	st, err := store.Open(ctx, Paths(t.TempDir()).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Accounts().CreateToken(ctx, "platform", auth.Viewer, hash); err != nil {
		t.Fatal(err)
	}
	pack, err := loadRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := &App{opts: Options{Logger: slog.New(slog.DiscardHandler), RulesDir: dir, ScoreRate: 1000, ScoreBurst: 1000}, registry: prometheus.NewRegistry()}
	consumeCtx, stop := context.WithCancel(ctx)
	defer func() { stop(); a.consumersWG.Wait() }()
	dopts := dashboard.Options{Store: st, Logger: slog.New(slog.DiscardHandler)}
	if err := a.startScreening(serveContext{ctx: ctx, consumeCtx: consumeCtx, store: st, pack: pack,
		indexer: &indexer{store: st, metrics: newIndexerMetrics(nil)}, dashboard: &dopts}); err != nil {
		t.Fatal(err)
	}
	srv, err := dashboard.New(dopts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	score := func() string {
		t.Helper()
		req, _ := http.NewRequest("POST", hs.URL+"/api/v1/score", strings.NewReader(`{"title":"Работа в Германии","body":"Билеты оплачиваем","lang":"ru"}`))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			RulePack string `json:"rule_pack"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("score = %d, %v", resp.StatusCode, err)
		}
		return out.RulePack
	}
	if got := score(); got != pack.Version {
		t.Fatalf("rule_pack = %q before the change, want %q", got, pack.Version)
	}

	model := filepath.Join(dir, rules.ModelFile)
	orig, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(orig), "threshold: 50", "threshold: 55", 1)
	if changed == string(orig) {
		t.Fatal("model.yaml has no threshold: 50 line to change")
	}
	if err := os.WriteFile(model, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := loadRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want.Version == pack.Version {
		t.Fatal("the change did not change the pack's version")
	}
	// A reload compiles the whole pack and runs every rule's examples:
	// seconds under the race detector.
	for deadline := time.Now().Add(reloadWait); ; time.Sleep(20 * time.Millisecond) {
		got := score()
		if got == want.Version {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rule_pack = %q after the change, want %q", got, want.Version)
		}
	}
}

// TestDashboardSites: webhook subscriptions cover the sites of the
// crawler profiles, by site ID or host.
func TestDashboardSites(t *testing.T) {
	ps, err := loadProfiles("")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range dashboardSites(ps) {
		names = append(names, s.Name)
		if !slices.Equal(s.Hosts, []string{"127.0.0.1"}) { // the embedded profiles read the demo sites
			t.Errorf("%s: hosts %q", s.Name, s.Hosts)
		}
	}
	if !slices.Equal(names, []string{"bazar-kg", "doska-ua", "rabota-md", "svaha-intl", "tg-kordon", "vakansii-kz"}) {
		t.Errorf("sites %q", names)
	}
}
