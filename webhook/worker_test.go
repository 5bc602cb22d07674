package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

const testSecret = "whsec-test-0123456789"

// receiver is a platform's endpoint answering the given codes in turn
// (the last one forever) and keeping what it got.
type receiver struct {
	mu     sync.Mutex
	codes  []int
	bodies [][]byte
	heads  []http.Header
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.bodies = append(rc.bodies, b)
	rc.heads = append(rc.heads, r.Header.Clone())
	code := rc.codes[min(len(rc.bodies), len(rc.codes))-1]
	if code == http.StatusFound {
		http.Redirect(w, r, "/elsewhere", code)
		return
	}
	w.WriteHeader(code)
	w.Write([]byte("answer"))
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	st    *store.Store
	w     *Worker
	clk   *clock
	rc    *receiver
	reg   *prometheus.Registry
	m     *Metrics
	subID int64
}

func newEnv(t *testing.T, maxAttempts int, codes ...int) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rc := &receiver{codes: codes}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	sub, err := st.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "platform-x", URL: srv.URL + "/hook",
		Sites: []string{"rabota.example"}, MinScore: 60, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	e := &env{st: st, clk: &clock{t: time.Now()}, rc: rc, reg: reg, m: NewMetrics(reg), subID: sub.ID}
	e.w, err = New(Options{Queue: st.Webhooks(), Client: srv.Client(), AllowPrivate: true, MaxAttempts: maxAttempts, BaseDelay: time.Second,
		MaxDelay: 4 * time.Second, Jitter: func(d time.Duration) time.Duration { return d }, Now: e.clk.Now, Metrics: e.m, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func flagged(id, site string, score float64) ad.Verdict {
	a := ad.Ad{V: ad.Version, ID: id, Site: site, URL: "https://" + site + "/ad/" + id, Kind: ad.KindJob,
		Title: "Работа в Германии", Body: "Билеты оплачиваем", Contact: "+7 999 123-45-67"}
	a.ContentHash = a.Hash()
	return ad.Verdict{V: ad.Version, Ad: a, Score: score, Band: ad.BandHigh, Flagged: true, RulePack: "test-1",
		Hits:     []ad.Hit{{Rule: "ru.free-travel", Weight: 1.5, Signal: "free_travel"}, {Rule: "ru.dup", Weight: 0, Signal: "free_travel"}},
		ScoredAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// flush runs one pass and checks how many deliveries it attempted.
func (e *env) flush(t *testing.T, want int) {
	t.Helper()
	n, err := e.w.Flush(context.Background())
	if err != nil || n != want {
		t.Fatalf("Flush = %d, %v; want %d", n, err, want)
	}
}

func (e *env) log(t *testing.T) store.Delivery {
	t.Helper()
	ds, err := e.st.Webhooks().Deliveries(context.Background(), store.DeliveryFilter{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("Deliveries = %+v, %v", ds, err)
	}
	return ds[0]
}

func TestEnqueueIdempotentAndScoped(t *testing.T) {
	e := newEnv(t, 3, 204)
	ctx := context.Background()
	v := flagged("a1", "rabota.example", 90)
	for i, want := range []int{1, 0} { // a replay queues nothing
		if n, err := e.w.Enqueue(ctx, v); err != nil || n != want {
			t.Fatalf("Enqueue #%d = %d, %v; want %d", i, n, err, want)
		}
	}
	for _, tc := range []struct {
		name string
		v    ad.Verdict
	}{
		{"other site", flagged("a2", "other.example", 90)},
		{"below min score", flagged("a3", "rabota.example", 59)},
		{"not flagged", func() ad.Verdict { v := flagged("a4", "rabota.example", 90); v.Flagged = false; return v }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := e.w.Enqueue(ctx, tc.v); err != nil || n != 0 {
				t.Errorf("Enqueue = %d, %v; want 0", n, err)
			}
		})
	}
	changed := v
	changed.Ad.Body += " Срочно!"
	changed.Ad.ContentHash = changed.Ad.Hash()
	if n, err := e.w.Enqueue(ctx, changed); err != nil || n != 1 {
		t.Fatalf("Enqueue of changed content = %d, %v; want 1", n, err)
	}
	if got := testutil.ToFloat64(e.m.Enqueued); got != 2 {
		t.Errorf("enqueued_total = %v, want 2", got)
	}
}

func TestDeliverRetriesThenSucceeds(t *testing.T) {
	e := newEnv(t, 5, 500, 500, 204)
	if _, err := e.w.Enqueue(context.Background(), flagged("a1", "rabota.example", 90)); err != nil {
		t.Fatal(err)
	}
	e.flush(t, 1)
	if d := e.log(t); d.Status != store.DeliveryPending || d.Attempts != 1 || d.LastCode != 500 || d.LastError != "HTTP 500: answer" {
		t.Fatalf("after a 500: %+v", d)
	}
	e.flush(t, 0) // not due before the backoff
	e.clk.Add(time.Second)
	e.flush(t, 1)
	e.flush(t, 0) // second backoff is 2s
	e.clk.Add(2 * time.Second)
	e.flush(t, 1)
	d := e.log(t)
	if d.Status != store.DeliveryDelivered || d.Attempts != 3 || d.LastCode != 204 || d.LastError != "" {
		t.Fatalf("after success: %+v", d)
	}
	e.clk.Add(time.Hour)
	e.flush(t, 0)

	// Every attempt carries the same event, signed, with no contact details.
	if len(e.rc.bodies) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(e.rc.bodies))
	}
	for i, b := range e.rc.bodies {
		h := e.rc.heads[i]
		if err := Verify(testSecret, h.Get(SignatureHeader), b, e.clk.Now(), 2*time.Hour); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
		if h.Get(EventIDHeader) != d.EventID || h.Get("Content-Type") != "application/json" {
			t.Errorf("request %d headers: %v", i, h)
		}
	}
	var ev map[string]any
	if err := json.Unmarshal(e.rc.bodies[0], &ev); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "type", "ad_id", "url", "site", "score", "band", "signals", "rules", "detected_at", "rule_pack"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("payload lacks %q: %s", k, e.rc.bodies[0])
		}
	}
	if len(ev) != 11 {
		t.Errorf("payload has %d fields, want 11: %s", len(ev), e.rc.bodies[0])
	}
	if rules := ev["rules"].([]any); len(rules) != 1 || rules[0] != "ru.free-travel" {
		t.Errorf("rules = %v, want the weighted hit only", rules)
	}
	if got := testutil.ToFloat64(e.m.Deliveries.WithLabelValues(OutcomeRetry)); got != 2 {
		t.Errorf("retry outcomes = %v", got)
	}
	if got := testutil.ToFloat64(e.m.Deliveries.WithLabelValues(OutcomeDelivered)); got != 1 {
		t.Errorf("delivered outcomes = %v", got)
	}
}

func TestDeliverGivesUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int
	}{
		{"server errors", 500},
		{"redirects are not followed", http.StatusFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, 3, tc.code)
			if _, err := e.w.Enqueue(context.Background(), flagged("a1", "rabota.example", 90)); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				e.flush(t, 1)
				e.clk.Add(time.Minute)
			}
			e.flush(t, 0)
			d := e.log(t)
			if d.Status != store.DeliveryFailed || d.Attempts != 3 || d.LastCode != tc.code {
				t.Fatalf("after max attempts: %+v", d)
			}
			if len(e.rc.bodies) != 3 {
				t.Errorf("receiver got %d requests, want 3 (redirects followed?)", len(e.rc.bodies))
			}
			if got := testutil.ToFloat64(e.m.Deliveries.WithLabelValues(OutcomeFailed)); got != 1 {
				t.Errorf("failed outcomes = %v", got)
			}
		})
	}
}

func TestBackoffCapped(t *testing.T) {
	w, err := New(Options{Queue: &store.Webhooks{}, BaseDelay: time.Second, MaxDelay: 5 * time.Second,
		Jitter: func(d time.Duration) time.Duration { return d }})
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 40: 5 * time.Second} {
		if got := w.backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
	def, _ := New(Options{Queue: &store.Webhooks{}})
	for range 100 {
		if d := def.backoff(1); d < DefaultBaseDelay/2 || d > DefaultBaseDelay {
			t.Fatalf("jittered backoff %v outside [%v, %v]", d, DefaultBaseDelay/2, DefaultBaseDelay)
		}
	}
}

func TestRunDeliversOnNotify(t *testing.T) {
	e := newEnv(t, 3, 204)
	e.w.opts.Poll = time.Hour // only Notify can wake it
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	if _, err := e.w.Enqueue(ctx, flagged("a1", "rabota.example", 90)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.log(t).Status != store.DeliveryDelivered {
		if time.Now().After(deadline) {
			t.Fatal("not delivered after Notify")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A receiver that is down gets one request per pass and does not hold up
// another subscription's events.
func TestFlushIsolatesSubscriptions(t *testing.T) {
	e := newEnv(t, 5, 500) // platform-x is down
	ctx := context.Background()
	up := &receiver{codes: []int{204}}
	srv := httptest.NewServer(up)
	defer srv.Close()
	if _, err := e.st.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "platform-y", URL: srv.URL,
		Sites: []string{"doska.example"}, Secret: testSecret}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a1", "a2", "a3"} {
		if _, err := e.w.Enqueue(ctx, flagged(id, "rabota.example", 90)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.w.Enqueue(ctx, flagged("b1", "doska.example", 90)); err != nil {
		t.Fatal(err)
	}
	e.flush(t, 2)
	if len(e.rc.bodies) != 1 || len(up.bodies) != 1 {
		t.Fatalf("down receiver got %d requests (want 1), up receiver %d (want 1)", len(e.rc.bodies), len(up.bodies))
	}
	// The two events not tried are still due; the failed one waits.
	e.flush(t, 1)
	if len(e.rc.bodies) != 2 {
		t.Fatalf("down receiver got %d requests after two passes, want 2", len(e.rc.bodies))
	}
}

func TestRunPurgesOldDeliveries(t *testing.T) {
	e := newEnv(t, 3, 204)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := e.w.Enqueue(ctx, flagged("a1", "rabota.example", 90)); err != nil {
		t.Fatal(err)
	}
	e.flush(t, 1)
	e.clk.Add(DefaultRetention + time.Hour)
	e.w.opts.Poll = time.Hour
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ds, err := e.st.Webhooks().Deliveries(ctx, store.DeliveryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery older than the retention not purged: %+v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
