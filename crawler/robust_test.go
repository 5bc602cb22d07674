package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
)

// listOf returns a rabota-md style list page linking the given ad paths.
func listOf(paths ...string) string {
	var b strings.Builder
	b.WriteString(`<html><body><ul class="ads-list">`)
	for _, p := range paths {
		fmt.Fprintf(&b, `<li class="ads-list__item"><a class="ads-list__title" href="%s">ad</a></li>`, p)
	}
	b.WriteString(`</ul></body></html>`)
	return b.String()
}

// adPage returns a rabota-md style ad page.
func adPage(title, body string) string {
	return `<html><body><article class="ad-view" lang="ru"><h1 class="ad-title">` + title +
		`</h1><div class="ad-text"><p>` + body + `</p></div></article></body></html>`
}

func TestCharsets(t *testing.T) {
	const (
		ru   = "Работа в Польше: склад, зарплата 1500 €"
		ruNE = "Работа в Польше: склад, зарплата 1500 EUR"
		pl   = "Praca w Łodzi: magazyn, płaca 25 zł/godz., źródło"
	)
	tests := []struct {
		file, contentType, want string
	}{
		{"windows-1251-header.html", "text/html; charset=windows-1251", ru},
		{"windows-1251-meta.html", "text/html", ru},
		{"windows-1251-bare.html", "text/html", ru}, // the profile's charset
		{"koi8-r-header.html", "text/html; charset=KOI8-R", ruNE},
		{"koi8-r-meta.html", "", ruNE},
		{"iso-8859-2-header.html", "text/html; charset=iso-8859-2", pl},
		{"iso-8859-5-meta.html", "text/html", ruNE},
		{"utf-8-bare.html", "text/html", ru},
		{"utf-8-bom.html", "text/html", ru},
		{"utf-8-meta.html", "text/html; charset=utf-8", ru},
	}
	mux := http.NewServeMux()
	var paths []string
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", "charset", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		p := "/rabota-md/ad/" + strings.TrimSuffix(tt.file, ".html")
		paths = append(paths, p)
		mux.HandleFunc("GET "+p, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{tt.contentType}
			w.Write(b)
		})
	}
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(listOf(paths...)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := testProfile(t, srv.URL)
	p.Charset = "windows-1251"
	sink := &collector{}
	if err := Run(context.Background(), Options{Profiles: []Profile{p}, Sink: sink}); err != nil {
		t.Fatal(err)
	}
	got := map[string]ad.Ad{}
	for _, a := range sink.take() {
		got[a.URL] = a
	}
	for i, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, ok := got[srv.URL+paths[i]]
			if !ok {
				t.Fatal("no ad")
			}
			if a.Title != tt.want || a.Body != tt.want {
				t.Errorf("title %q body %q, want %q", a.Title, a.Body, tt.want)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	var flaky, always, long atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(listOf("/rabota-md/ad/flaky", "/rabota-md/ad/always", "/rabota-md/ad/long")))
	})
	mux.HandleFunc("GET /rabota-md/ad/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(adPage("Склад", "Работа на складе")))
	})
	mux.HandleFunc("GET /rabota-md/ad/always", func(w http.ResponseWriter, r *http.Request) {
		always.Add(1)
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /rabota-md/ad/long", func(w http.ResponseWriter, r *http.Request) {
		long.Add(1)
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "come back tomorrow", http.StatusServiceUnavailable)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	m := NewMetrics(prometheus.NewRegistry())
	sink := &collector{}
	start := time.Now()
	err := Run(context.Background(), Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, Metrics: m,
		RetryBackoff: 10 * time.Millisecond, MaxRetries: 2, MaxRetryWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("crawl took %v", d)
	}
	if got := sink.take(); len(got) != 1 || got[0].Title != "Склад" {
		t.Errorf("got %d ads, want the flaky one", len(got))
	}
	if flaky.Load() != 3 || always.Load() != 3 {
		t.Errorf("flaky fetched %d times (want 3), always %d times (want 3)", flaky.Load(), always.Load())
	}
	if long.Load() != 1 {
		t.Errorf("a Retry-After of an hour was retried: %d fetches", long.Load())
	}
	if v := counter(t, m.Retries.WithLabelValues("rabota-md")); v != 4 {
		t.Errorf("retries %v, want 4", v)
	}
	if v := counter(t, m.Failures.WithLabelValues("rabota-md", ReasonBadStatus)); v != 2 {
		t.Errorf("bad_status %v, want 2", v)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 11, 21, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Fri, 21 Nov 2025 10:00:30 GMT", 30 * time.Second, true},
		{"Fri, 21 Nov 2025 09:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRedirectLoopAndUnparseable(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(listOf("/rabota-md/ad/loop", "/rabota-md/ad/chain", "/rabota-md/ad/image", "/rabota-md/ad/moved")))
	})
	mux.HandleFunc("GET /rabota-md/ad/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rabota-md/loop/b", http.StatusFound)
	})
	mux.HandleFunc("GET /rabota-md/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rabota-md/loop/c", http.StatusFound)
	})
	mux.HandleFunc("GET /rabota-md/loop/c", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rabota-md/loop/b", http.StatusFound)
	})
	mux.HandleFunc("GET /rabota-md/ad/chain", func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Query().Get("n"))
		http.Redirect(w, r, "/rabota-md/ad/chain?n="+strings.Repeat("x", n+1), http.StatusFound)
	})
	mux.HandleFunc("GET /rabota-md/ad/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	})
	mux.HandleFunc("GET /rabota-md/ad/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/rabota-md/ad/new-home", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /rabota-md/ad/new-home", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(adPage("Переехавшее объявление", "Текст")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	m := NewMetrics(prometheus.NewRegistry())
	sink := &collector{}
	if err := Run(context.Background(), Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, Metrics: m, MaxRedirects: 5, Logger: testLogger(t)}); err != nil {
		t.Fatal(err)
	}
	if got := sink.take(); len(got) != 1 || got[0].Title != "Переехавшее объявление" {
		t.Errorf("got %+v, want the moved ad", got)
	}
	for r, want := range map[string]float64{ReasonRedirectLoop: 2, ReasonUnparseable: 1, ReasonOther: 0, ReasonBadStatus: 0} {
		if v := counter(t, m.Failures.WithLabelValues("rabota-md", r)); v != want {
			t.Errorf("failures{%s} = %v, want %v", r, v, want)
		}
	}
}

// mutableSite serves a rabota-md style site whose list and ad pages a
// test can change between crawls.
type mutableSite struct {
	mu     sync.Mutex
	listed []string          // slugs on the list page
	pages  map[string]string // slug -> body
	status map[string]int    // slug -> status, when not 200
	listOK bool
}

func (s *mutableSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/rabota-md/" {
		if !s.listOK {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		var paths []string
		for _, sl := range s.listed {
			paths = append(paths, "/rabota-md/ad/"+sl)
		}
		w.Write([]byte(listOf(paths...)))
		return
	}
	slug, ok := strings.CutPrefix(r.URL.Path, "/rabota-md/ad/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if st := s.status[slug]; st != 0 {
		http.Error(w, http.StatusText(st), st)
		return
	}
	body, ok := s.pages[slug]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write([]byte(body))
}

func (s *mutableSite) edit(f func(s *mutableSite)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

type removals struct {
	mu  sync.Mutex
	got []ad.Removal
}

func (r *removals) Removed(ctx context.Context, x ad.Removal) error {
	if err := x.Validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, x)
	return nil
}

func (r *removals) take() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for _, x := range r.got {
		out[x.URL[strings.LastIndexByte(x.URL, '/')+1:]] = x.Reason
	}
	r.got = nil
	return out
}

func TestRecrawlChangesAndRemovals(t *testing.T) {
	site := &mutableSite{listOK: true, listed: []string{"a", "b", "c", "d", "e"}, pages: map[string]string{}, status: map[string]int{}}
	for _, sl := range site.listed {
		site.pages[sl] = adPage("Объявление "+sl, "Текст объявления "+sl)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	st := openState(t)
	snaps, err := OpenSnapshots(t.TempDir(), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sink, rem := &collector{}, &removals{}
	m := NewMetrics(prometheus.NewRegistry())
	opts := Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: sink, Removals: rem, State: st, Snapshots: snaps, Metrics: m}
	ctx := context.Background()
	run := func() ([]ad.Ad, map[string]string) {
		t.Helper()
		if err := Run(ctx, opts); err != nil {
			t.Fatal(err)
		}
		return sink.take(), rem.take()
	}
	first, gone := run()
	if len(first) != 5 || len(gone) != 0 {
		t.Fatalf("first crawl: %d ads, %d removals", len(first), len(gone))
	}
	for _, a := range first {
		page, _, err := snaps.Get(a.Snapshot)
		if err != nil || !strings.Contains(string(page), "Текст объявления") {
			t.Errorf("snapshot of %s: %v", a.URL, err)
		}
		ps, _, _ := st.Get(ctx, a.URL)
		if ps.Snapshot != a.Snapshot || ps.Fetched.IsZero() {
			t.Errorf("state of %s: snapshot %q fetched %v", a.URL, ps.Snapshot, ps.Fetched)
		}
	}

	// a changes, b answers 404, c answers 410, d leaves the listing, e
	// stays as it is.
	site.edit(func(s *mutableSite) {
		s.pages["a"] = adPage("Объявление a", "Новый текст")
		s.status["b"] = http.StatusNotFound
		s.status["c"] = http.StatusGone
		s.listed = []string{"a", "b", "c", "e"}
	})
	changed, gone := run()
	if len(changed) != 1 || !strings.HasSuffix(changed[0].URL, "/a") || changed[0].Body != "Новый текст" {
		t.Errorf("second crawl sent %+v, want the changed a", changed)
	}
	want := map[string]string{"b": ad.RemovedGone404, "c": ad.RemovedGone410, "d": ad.RemovedDelisted}
	if fmt.Sprint(gone) != fmt.Sprint(want) {
		t.Errorf("removals %v, want %v", gone, want)
	}
	for outcome, n := range map[string]float64{OutcomeNew: 5, OutcomeChanged: 1, OutcomeUnchanged: 1, OutcomeRemoved: 3} {
		if v := counter(t, m.Ads.WithLabelValues("rabota-md", outcome)); v != n {
			t.Errorf("ads{%s} = %v, want %v", outcome, v, n)
		}
	}
	if v := counter(t, m.Failures.WithLabelValues("rabota-md", ReasonBadStatus)); v != 0 {
		t.Errorf("removed ads counted as bad_status: %v", v)
	}

	// Nothing changes: nothing is sent, nothing is removed again.
	if again, gone := run(); len(again) != 0 || len(gone) != 0 {
		t.Errorf("third crawl: %d ads, removals %v", len(again), gone)
	}

	// A failed listing removes nothing, even though e is no longer seen.
	site.edit(func(s *mutableSite) { s.listOK = false })
	if again, gone := run(); len(again) != 0 || len(gone) != 0 {
		t.Errorf("crawl with the list down: %d ads, removals %v", len(again), gone)
	}

	// d comes back: it is sent again although its text is the same.
	site.edit(func(s *mutableSite) { s.listOK = true; s.listed = append(s.listed, "d") })
	back, gone := run()
	if len(back) != 1 || !strings.HasSuffix(back[0].URL, "/d") || len(gone) != 0 {
		t.Errorf("after d came back: %d ads, removals %v", len(back), gone)
	}
	counts, err := st.Counts(ctx, "rabota-md")
	if err != nil {
		t.Fatal(err)
	}
	if counts[StatusOK] != 3 || counts[ad.RemovedGone404] != 1 || counts[ad.RemovedGone410] != 1 {
		t.Errorf("state counts %v", counts)
	}
}

func TestRemovalSinkFailureKeepsAdLive(t *testing.T) {
	site := &mutableSite{listOK: true, listed: []string{"a"}, pages: map[string]string{"a": adPage("A", "a")}, status: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	st := openState(t)
	refuse := atomic.Bool{}
	rem := &removals{}
	opts := Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: &collector{}, State: st,
		Removals: RemovalSinkFunc(func(ctx context.Context, r ad.Removal) error {
			if refuse.Load() {
				return fmt.Errorf("broker down")
			}
			return rem.Removed(ctx, r)
		})}
	ctx := context.Background()
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	site.edit(func(s *mutableSite) { s.status["a"] = http.StatusNotFound })
	refuse.Store(true)
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	refuse.Store(false)
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := rem.take(); got["a"] != ad.RemovedGone404 {
		t.Errorf("removal not offered again after the sink recovered: %v", got)
	}
}

// TestNoGoroutineLeak crawls a site with slow, failing and retried pages
// and checks that every goroutine the crawl started has ended.
func TestNoGoroutineLeak(t *testing.T) {
	var hits sync.Map
	srv := failureSite(t, &hits)
	before := runtime.NumGoroutine()
	for range 2 {
		opts := Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: &collector{}, State: openState(t),
			Timeout: 300 * time.Millisecond, MaxBodyBytes: 64 << 10}
		if err := Run(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
	}
	srv.CloseClientConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf)
	}
}

// testLogger logs to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestAllowedDomainsAndHostLimits(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		// Ads on a sister host: the same server reached as "localhost".
		w.Write([]byte(listOf("http://localhost"+port+"/rabota-md/ad/1", "http://localhost"+port+"/rabota-md/ad/2",
			"http://localhost"+port+"/rabota-md/ad/3")))
	})
	mux.HandleFunc("GET /rabota-md/ad/{n}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.Write([]byte(adPage("Объявление "+r.PathValue("n"), "Текст")))
	})
	p := testProfile(t, srv.URL)
	sink := &collector{}
	if err := Run(context.Background(), Options{Profiles: []Profile{p}, Sink: sink}); err != nil {
		t.Fatal(err)
	}
	if got := sink.take(); len(got) != 0 {
		t.Fatalf("followed %d links to a host not allowed", len(got))
	}
	p.AllowedDomains = []string{"localhost"}
	p.Domains = map[string]DomainLimit{"localhost": {Delay: 150 * time.Millisecond, Parallelism: 1}}
	if err := Run(context.Background(), Options{Profiles: []Profile{p}, Sink: sink}); err != nil {
		t.Fatal(err)
	}
	if got := sink.take(); len(got) != 3 {
		t.Fatalf("got %d ads from the allowed host, want 3", len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 140*time.Millisecond {
			t.Errorf("requests %d and %d to localhost %v apart, want the host's 150ms delay", i-1, i, gap)
		}
	}
}
