package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/demo"
	"github.com/lurewatch/lure/store"
)

// apiList is the shape of GET /api/v1/ads.
type apiList struct {
	Total int     `json:"total"`
	Ads   []apiAd `json:"ads"`
}

// apiAd is the part of an ad summary the test reads.
type apiAd struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Score   float64  `json:"score"`
	Band    ad.Band  `json:"band"`
	Flagged bool     `json:"flagged"`
	Hits    []ad.Hit `json:"hits"`
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// apiToken is the bearer token the API calls of a test send.
var apiToken string

// makeToken creates an analyst API token in the store under dir before the
// app starts, as `lure users token` does.
func makeToken(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Accounts().CreateToken(ctx, "e2e", auth.Analyst, hash); err != nil {
		t.Fatal(err)
	}
	return secret
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+apiToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", u, resp.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, b)
	}
}

func listAll(t *testing.T, base, query string) apiList {
	t.Helper()
	var out apiList
	getJSON(t, base+"/api/v1/ads?limit=500&"+query, &out)
	return out
}

func findBySlug(ads []apiAd, slug string) *apiAd {
	for i := range ads {
		if strings.HasSuffix(strings.TrimSuffix(ads[i].URL, "/"), "/"+slug) {
			return &ads[i]
		}
	}
	return nil
}

func startApp(t *testing.T, opts Options) (*App, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := Start(ctx, opts)
	if err != nil {
		cancel()
		t.Fatalf("start: %v", err)
	}
	return a, cancel
}

// waitFor polls f until it returns true or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if f() {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("timed out after %v waiting for %s", d, what)
}

func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	opts := Options{
		DataDir:      dir,
		HTTPAddr:     "127.0.0.1:0",
		BrokerAddr:   "127.0.0.1:0",
		Demo:         true,
		DemoAddr:     freeAddr(t), // the same on restart, so ad URLs and IDs stay stable
		DrainTimeout: 20 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	apiToken = makeToken(t, dir)
	a, stop := startApp(t, opts)
	base := a.HTTPURL()

	// The API refuses anonymous callers; users exist (the token's store
	// had none, so the first admin was created with its password in a
	// private file).
	if resp, err := http.Get(base + "/api/v1/ads"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous API call: %v %v, want 401", resp, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, dashboard.InitialPasswordFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("initial admin password file: %v %v", fi, err)
	}

	// A known risky demo ad is found through the search API with its hits.
	var risky *apiAd
	waitFor(t, 60*time.Second, "the risky demo ad in search", func() bool {
		var res apiList
		getJSON(t, base+"/api/v1/ads?flagged=true&q="+url.QueryEscape("хостес"), &res)
		risky = findBySlug(res.Ads, "hostess-turkey")
		return risky != nil
	})
	if !risky.Flagged || risky.Band == ad.BandLow || len(risky.Hits) < 2 {
		t.Fatalf("risky ad: flagged=%v band=%s hits=%d", risky.Flagged, risky.Band, len(risky.Hits))
	}
	// Evidence points at the original text of the ad.
	var full ad.Verdict
	getJSON(t, base+"/api/v1/ads/"+risky.ID, &full)
	if len(full.Hits) != len(risky.Hits) {
		t.Fatalf("ad page has %d hits, list %d", len(full.Hits), len(risky.Hits))
	}
	for _, h := range full.Hits {
		for _, sp := range h.Evidence {
			if got := full.Ad.Field(sp.Field)[sp.Start:sp.End]; got != sp.Text {
				t.Errorf("rule %s: evidence %q does not point at %q", h.Rule, sp.Text, got)
			}
		}
	}

	// Wait until the whole demo corpus is stored (demo.Ads: every ad of
	// every demo site except the pages broken on purpose), then check a
	// benign ad.
	corpus, err := demo.Ads()
	if err != nil {
		t.Fatal(err)
	}
	var first apiList
	waitFor(t, 60*time.Second, "all demo ads stored", func() bool {
		first = listAll(t, base, "")
		return first.Total == len(corpus)
	})
	benign := findBySlug(first.Ads, "accountant-chisinau")
	if benign.Flagged {
		t.Errorf("benign ad flagged with score %.1f: %+v", benign.Score, benign.Hits)
	}
	flagged := listAll(t, base, "flagged=true")
	if findBySlug(flagged.Ads, "accountant-chisinau") != nil {
		t.Error("benign ad listed among flagged ads")
	}
	if flagged.Total == 0 || flagged.Total >= first.Total {
		t.Errorf("flagged %d of %d ads: want some but not all", flagged.Total, first.Total)
	}

	// Metrics and health answer.
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, name := range []string{"lure_crawler_pages_fetched_total", "lure_classifier_ads_scored_total", "lure_indexer_ads_total"} {
		if !strings.Contains(string(metrics), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v %v", resp, err)
	}

	stop()
	if err := a.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	// A second run on the same data dir loses nothing and duplicates nothing.
	a2, stop2 := startApp(t, opts)
	defer func() {
		stop2()
		if err := a2.Wait(); err != nil {
			t.Errorf("second shutdown: %v", err)
		}
	}()
	base2 := a2.HTTPURL()
	var second apiList
	waitFor(t, 30*time.Second, "second run to settle", func() bool {
		second = listAll(t, base2, "")
		return a2.crawlPasses() > 0 && a2.idle()
	})
	if second.Total != first.Total {
		t.Errorf("after restart: %d ads, before: %d", second.Total, first.Total)
	}
	seen := map[string]bool{}
	for _, v := range second.Ads {
		if seen[v.ID] {
			t.Errorf("ad %s listed twice", v.ID)
		}
		seen[v.ID] = true
	}
	// The second crawl found every ad unchanged and sent none again.
	resp2, err := http.Get(base2 + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	// demo.SiteAds: the rabota-md ads a crawl delivers (not its broken pages).
	rabota, err := demo.SiteAds("rabota-md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`lure_crawler_ads_produced_total{site="rabota-md"} 0`,
		fmt.Sprintf(`lure_crawler_ads_unchanged_total{site="rabota-md"} %d`, len(rabota)),
	} {
		if !strings.Contains(string(m2), want) {
			t.Errorf("second run /metrics lacks %q", want)
		}
	}
	flagged2 := listAll(t, base2, "flagged=true&q="+url.QueryEscape("хостес"))
	if findBySlug(flagged2.Ads, "hostess-turkey") == nil {
		t.Error("after restart the risky ad is not found by search")
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{name: "defaults", ok: true},
		{name: "unknown role", opts: Options{Roles: []Role{"dance"}}},
		{name: "bad http address", opts: Options{HTTPAddr: "8080"}},
		{name: "negative drain", opts: Options{DrainTimeout: -time.Second}},
		{name: "notifier", opts: Options{NotifierName: "NGO", NotifierEmail: "notices@ngo.example"}, ok: true},
		{name: "notifier e-mail with a name", opts: Options{NotifierEmail: "NGO <notices@ngo.example>"}},
		{name: "bad notifier e-mail", opts: Options{NotifierEmail: "notices"}},
		{name: "negative notice overdue", opts: Options{NoticeOverdue: -time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.setDefaults()
			if err := o.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, ok want %v", err, tt.ok)
			}
		})
	}
}

func TestConsumerGroups(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		o                      Options
		classify, index, remov string
	}{
		{"defaults", Options{}, "lure-classifier", "lure-indexer", "lure-removals"},
		{"flag defaults given", Options{ClassifierGroup: "lure-classifier", IndexerGroup: "lure-indexer"},
			"lure-classifier", "lure-indexer", "lure-removals"},
		{"named", Options{ClassifierGroup: "prod.c", IndexerGroup: "prod.i"}, "prod.c", "prod.i", "prod.i-removals"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := []string{tc.o.group(DefaultClassifierGroup), tc.o.group(DefaultIndexerGroup), tc.o.group(defaultRemovalsGroup)}
			if want := []string{tc.classify, tc.index, tc.remov}; strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("groups %v, want %v", got, want)
			}
		})
	}
}
