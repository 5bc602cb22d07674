package crawler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/demo"
)

// collector is a Sink that keeps what it gets.
type collector struct {
	mu   sync.Mutex
	ads  []ad.Ad
	fail func(ad.Ad) error // optional
}

func (c *collector) Put(ctx context.Context, a ad.Ad) error {
	if c.fail != nil {
		if err := c.fail(a); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ads = append(c.ads, a)
	return nil
}

func (c *collector) take() []ad.Ad {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.ads
	c.ads = nil
	return out
}

func openState(t *testing.T) *State {
	t.Helper()
	st, err := OpenState(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testProfile is the rabota-md profile pointed at base, without delay.
func testProfile(t testing.TB, base string) Profile {
	p := rabotaProfile(t)
	p.BaseURL = base
	p.Delay = 0
	p.Parallelism = 4
	p.Timeout = 0 // Options.Timeout applies
	return p
}

func counter(t *testing.T, c prometheus.Collector) float64 {
	t.Helper()
	return testutil.ToFloat64(c)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestRunDemoSite(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	demoAds, err := demo.SiteAds("rabota-md")
	if err != nil {
		t.Fatal(err)
	}
	all, brokenTitle := siteAds(t, "rabota-md")
	sink := &collector{}
	st := openState(t)
	m := NewMetrics(prometheus.NewRegistry())
	opts := Options{Profiles: []Profile{testProfile(t, srv.URL())}, Sink: sink, State: st, Metrics: m}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got := map[string]ad.Ad{}
	for _, a := range sink.take() {
		if _, dup := got[a.ID]; dup {
			t.Errorf("ad %s sent twice", a.URL)
		}
		got[a.ID] = a
	}
	if len(got) != len(demoAds) {
		t.Errorf("got %d ads, want %d", len(got), len(demoAds))
	}
	for _, d := range demoAds {
		id, err := ad.MakeID("rabota-md", srv.URL()+demo.AdPath(d.Site, d.Slug))
		if err != nil {
			t.Fatal(err)
		}
		a, ok := got[id]
		if !ok {
			t.Errorf("ad %s missing", d.Slug)
			continue
		}
		var paras []string
		for _, p := range d.Paragraphs() {
			paras = append(paras, collapse(p))
		}
		want := ad.Ad{
			V: ad.Version, ID: id, Site: "rabota-md", URL: srv.URL() + demo.AdPath(d.Site, d.Slug), Kind: ad.KindJob,
			Lang: d.Lang, Title: collapse(d.Title), Body: strings.Join(paras, "\n"), Salary: collapse(d.Salary),
			Location: collapse(d.Location), Contact: collapse(d.Contact),
		}
		if a.V != want.V || a.Site != want.Site || a.URL != want.URL || a.Kind != want.Kind || a.Lang != want.Lang ||
			a.Title != want.Title || a.Body != want.Body || a.Salary != want.Salary || a.Location != want.Location ||
			a.Contact != want.Contact || !a.Posted.Equal(d.Posted) || a.Crawled.IsZero() || a.ContentHash != a.Hash() {
			t.Errorf("ad %s:\n got %+v\nwant %+v (posted %v)", d.Slug, a, want, d.Posted)
		}
	}
	lists := (all + demo.PageSize - 1) / demo.PageSize
	if v := counter(t, m.PagesFetched.WithLabelValues("rabota-md")); v != float64(all+lists) {
		t.Errorf("pages fetched %v, want %d", v, all+lists)
	}
	if v := counter(t, m.AdsProduced.WithLabelValues("rabota-md")); v != float64(len(demoAds)) {
		t.Errorf("ads produced %v", v)
	}
	for _, r := range Reasons {
		want := 0
		if r == ReasonMissingField {
			want = brokenTitle
		}
		if v := counter(t, m.Failures.WithLabelValues("rabota-md", r)); v != float64(want) {
			t.Errorf("failures{%s} = %v, want %d", r, v, want)
		}
	}

	// A second crawl with the same state sends nothing.
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if again := sink.take(); len(again) != 0 {
		t.Errorf("second crawl sent %d ads, want 0", len(again))
	}
	if v := counter(t, m.AdsUnchanged.WithLabelValues("rabota-md")); v != float64(len(demoAds)) {
		t.Errorf("ads unchanged %v, want %d", v, len(demoAds))
	}
	// State remembers the hostess-turkey page under its canonical URL.
	ps, ok, err := st.Get(context.Background(), srv.URL()+demo.AdPath("rabota-md", "hostess-turkey"))
	if err != nil || !ok || ps.Status != StatusOK || ps.AdID == "" || ps.LastSeen.Before(ps.FirstSeen) {
		t.Errorf("state of hostess-turkey: %+v %v %v", ps, ok, err)
	}
}

// siteAds returns the number of ads a demo site lists, and how many of
// them have a page without title.
func siteAds(t *testing.T, site string) (all, missingTitle int) {
	t.Helper()
	ads, err := demo.AllAds()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range ads {
		if a.Site == site {
			all++
			if a.Broken == demo.BrokenMissingTitle {
				missingTitle++
			}
		}
	}
	return all, missingTitle
}

// rewriter serves demo.Handler with the page at Path rewritten by Edit.
type rewriter struct {
	mu   sync.Mutex
	edit map[string]func([]byte) []byte
}

func (rw *rewriter) set(path string, f func([]byte) []byte) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.edit == nil {
		rw.edit = map[string]func([]byte) []byte{}
	}
	rw.edit[path] = f
}

func (rw *rewriter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw.mu.Lock()
		f := rw.edit[r.URL.Path]
		rw.mu.Unlock()
		if f == nil {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		w.Write(f(rec.Body.Bytes()))
	})
}

func TestRunChangedAndBrokenAds(t *testing.T) {
	rw := &rewriter{}
	srv := httptest.NewServer(rw.wrap(demo.Handler()))
	defer srv.Close()
	sink := &collector{}
	st := openState(t)
	m := NewMetrics(prometheus.NewRegistry())
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))
	opts := Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, State: st, Metrics: m, Logger: logger}
	ctx := context.Background()
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	first := sink.take()
	if len(first) == 0 {
		t.Fatal("first crawl sent nothing")
	}

	hostess := demo.AdPath("rabota-md", "hostess-turkey")
	rw.set(hostess, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("от 3000 €"), []byte("от 3500 €")) })
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	changed := sink.take()
	if len(changed) != 1 || changed[0].URL != srv.URL+hostess || !strings.Contains(changed[0].Salary, "3500") {
		t.Fatalf("after a change got %d ads: %+v", len(changed), changed)
	}
	wantID, _ := ad.MakeID("rabota-md", srv.URL+hostess)
	if changed[0].ID != wantID {
		t.Errorf("changed ad has ID %s, want the same ID %s", changed[0].ID, wantID)
	}
	if v := counter(t, m.AdsUnchanged.WithLabelValues("rabota-md")); v != float64(len(first)-1) {
		t.Errorf("unchanged %v, want %d", v, len(first)-1)
	}

	// Break another page: its title disappears.
	accountant := demo.AdPath("rabota-md", "accountant-chisinau")
	rw.set(accountant, func(b []byte) []byte {
		i := bytes.Index(b, []byte(`<h1 class="ad-title"`))
		j := bytes.Index(b, []byte(`</h1>`))
		if i < 0 || j < i {
			t.Error("demo page has no ad-title to remove")
			return b
		}
		return append(append([]byte{}, b[:i]...), b[j+len("</h1>"):]...)
	})
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := sink.take(); len(got) != 0 {
		t.Errorf("third crawl sent %d ads, want 0", len(got))
	}
	_, brokenTitle := siteAds(t, "rabota-md")
	if v := counter(t, m.Failures.WithLabelValues("rabota-md", ReasonMissingField)); v != float64(3*brokenTitle+1) {
		t.Errorf("missing_field failures %v, want %d", v, 3*brokenTitle+1)
	}
	logMu.Lock()
	n := 0
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, srv.URL+accountant) {
			n++
		}
	}
	logMu.Unlock()
	if n != 1 {
		t.Errorf("broken page logged %d times, want once:\n%s", n, logs.String())
	}
	ps, ok, err := st.Get(ctx, srv.URL+accountant)
	if err != nil || !ok || ps.Status != ReasonMissingField || ps.ContentHash == "" {
		t.Errorf("state of broken page: %+v %v %v", ps, ok, err)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// failureSite serves testdata/site: one good ad and pages that fail in
// each way the crawler counts.
func failureSite(t *testing.T, hits *sync.Map) *httptest.Server {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	list, robots := read("site/list.html"), read("site/robots.txt")
	okPage, missing := read("extract/messy.html"), read("extract/missing-title.html")
	huge := bytes.Repeat([]byte("<p>много текста</p>"), 10000)
	mux := http.NewServeMux()
	page := func(path string, body []byte) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		})
	}
	page("/robots.txt", robots)
	page("/rabota-md/{$}", list)
	page("/rabota-md/ad/ok", okPage)
	page("/rabota-md/ad/missing", missing)
	page("/rabota-md/ad/huge", huge)
	page("/rabota-md/private/secret", okPage)
	cp1251 := read("extract/cp1251.html")
	mux.HandleFunc("GET /rabota-md/ad/cp1251", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // the charset is only in <meta>
		w.Write(cp1251)
	})
	mux.HandleFunc("GET /rabota-md/ad/huge-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 20 {
			w.Write(huge[:len(huge)/10])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /rabota-md/ad/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRunCountsFailures(t *testing.T) {
	var hits sync.Map
	srv := failureSite(t, &hits)
	sink := &collector{}
	m := NewMetrics(prometheus.NewRegistry())
	opts := Options{
		Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, State: openState(t), Metrics: m,
		Timeout: 500 * time.Millisecond, MaxBodyBytes: 64 << 10, UserAgent: "lure-test/1",
	}
	start := time.Now()
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("crawl took %v; the slow page should have timed out", d)
	}
	titles := map[string]bool{}
	for _, a := range sink.take() {
		titles[a.Title] = true
	}
	if len(titles) != 2 || !titles["Muncă în Germania — urgent"] || !titles["Работа в Польше на складе"] {
		t.Errorf("got ads %v, want the two good ones", titles)
	}
	want := map[string]float64{
		ReasonMissingField: 1, ReasonBadStatus: 1, ReasonTooLarge: 2, ReasonTimeout: 1, ReasonSink: 0, ReasonOther: 0,
	}
	for r, w := range want {
		if v := counter(t, m.Failures.WithLabelValues("rabota-md", r)); v != w {
			t.Errorf("failures{%s} = %v, want %v", r, v, w)
		}
	}
	count := func(path string) int64 {
		if v, ok := hits.Load(path); ok {
			return v.(*atomic.Int64).Load()
		}
		return 0
	}
	if n := count("/rabota-md/private/secret"); n != 0 {
		t.Errorf("fetched a page robots.txt disallows %d times", n)
	}
	if n := count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if n := count("/rabota-md/ad/ok"); n != 1 {
		t.Errorf("ok page fetched %d times, want 1 (fragment links are the same page)", n)
	}
	if n := count("/rabota-md/"); n != 1 {
		t.Errorf("list page fetched %d times, want 1", n)
	}
}

func TestRunSinkFailureIsRetried(t *testing.T) {
	var hits sync.Map
	srv := failureSite(t, &hits)
	refuse := atomic.Bool{}
	refuse.Store(true)
	sink := &collector{fail: func(ad.Ad) error {
		if refuse.Load() {
			return errors.New("broker down")
		}
		return nil
	}}
	m := NewMetrics(prometheus.NewRegistry())
	opts := Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, State: openState(t), Metrics: m,
		Timeout: 300 * time.Millisecond, MaxBodyBytes: 64 << 10}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if v := counter(t, m.Failures.WithLabelValues("rabota-md", ReasonSink)); v != 2 {
		t.Errorf("sink failures %v, want 2", v)
	}
	refuse.Store(false)
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := sink.take(); len(got) != 2 {
		t.Errorf("after the sink recovered got %d ads, want the two refused ones again", len(got))
	}
}

func TestRunCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	err := Run(ctx, Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: &collector{}, Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run returned %v after cancel", d)
	}
}

func TestRunBadOptions(t *testing.T) {
	good := testProfile(t, "http://127.0.0.1:1")
	bad := good
	bad.BaseURL = "not a url"
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"no sink", Options{Profiles: []Profile{good}}, "no sink"},
		{"no profiles", Options{Sink: &collector{}}, "no profiles"},
		{"invalid profile", Options{Profiles: []Profile{bad}, Sink: &collector{}}, "base_url"},
		{"same site twice", Options{Profiles: []Profile{good, good}, Sink: &collector{}}, "given twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Run(context.Background(), c.opts)
			if err == nil || !strings.HasPrefix(err.Error(), "crawler: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error about %q", err, c.want)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		http.NotFound(w, r)
	}))
	defer srv.Close()
	if err := Run(context.Background(), Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: &collector{}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(agents) != 1 || !agents[DefaultUserAgent] {
		t.Errorf("user agents %v, want only %q", agents, DefaultUserAgent)
	}
}
