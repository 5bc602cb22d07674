package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/demo"
)

// demoProfiles returns the embedded profiles pointed at a demo server.
func demoProfiles(t testing.TB, base string) []Profile {
	t.Helper()
	ps, err := DefaultProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		ps[i].BaseURL = base
	}
	return ps
}

// TestRunAllDemoSites crawls every demo site once with the embedded
// profiles, politeness delays included, as `lure run` does: every sound ad
// arrives, each broken page fails with its reason, the traps are bounded,
// and the 50 MB page never sits in memory.
func TestRunAllDemoSites(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	m := NewMetrics(prometheus.NewRegistry())
	sink := &collector{}
	progress := new(Progress)
	opts := Options{Profiles: demoProfiles(t, srv.URL()), Sink: sink, State: openState(t), Metrics: m, Progress: progress}

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	start := time.Now()
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	close(stop)
	<-done
	t.Logf("one pass over the demo sites took %v; peak heap %.1f MB; %s", took.Round(time.Millisecond), float64(peak.Load())/1e6, progress.Stats())
	if took > 20*time.Second {
		t.Errorf("a demo crawl pass took %v, want under 20s", took)
	}
	if p := peak.Load(); p > 40<<20 {
		t.Errorf("peak heap %d bytes: the 50 MB page was not cut at the limit", p)
	}
	got := map[string]int{}
	for _, a := range sink.take() {
		got[a.Site]++
	}
	for _, site := range []string{"rabota-md", "doska-ua", "svaha-intl", "tg-kordon"} {
		want, _ := demo.SiteAds(site)
		if got[site] != len(want) {
			t.Errorf("%s: %d ads, want %d", site, got[site], len(want))
		}
		t.Logf("%s: %d ads", site, got[site])
	}
	wantFail := map[string]map[string]float64{
		"rabota-md":  {ReasonMissingField: 1},
		"doska-ua":   {ReasonTimeout: 1, ReasonBadStatus: 1, ReasonUnparseable: 1},
		"svaha-intl": {ReasonRedirectLoop: 1, ReasonTooLarge: 1, ReasonMissingField: 1},
		"tg-kordon":  {},
	}
	for site, want := range wantFail {
		for _, r := range Reasons {
			if v := counter(t, m.Failures.WithLabelValues(site, r)); v != want[r] {
				t.Errorf("%s: failures{%s} = %v, want %v", site, r, v, want[r])
			}
		}
	}
	// The endless category stops at max_pages.
	if v := counter(t, m.PagesFetched.WithLabelValues("doska-ua")); v > 25+66 {
		t.Errorf("doska-ua: %v pages fetched: the pagination trap was not bounded", v)
	}
}

// BenchmarkCrawlDemo measures pages per second over every demo site with
// politeness delays off and the broken pages answering at once.
func BenchmarkCrawlDemo(b *testing.B) {
	old := demo.SlowDelay
	demo.SlowDelay = 0
	defer func() { demo.SlowDelay = old }()
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ps := demoProfiles(b, srv.URL())
	for i := range ps {
		ps[i].Delay, ps[i].Parallelism = 0, 8
	}
	progress := new(Progress)
	b.ResetTimer()
	for range b.N {
		opts := Options{Profiles: ps, Sink: SinkFunc(func(context.Context, ad.Ad) error { return nil }), Progress: progress,
			MaxRetries: -1, MaxBodyBytes: 1 << 20}
		if err := Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer() // closing the demo server is not crawling
	b.ReportMetric(float64(progress.Stats().Pages)/b.Elapsed().Seconds(), "pages/s")
}

// bigSite serves a generated rabota-md style site of lists pages, each
// linking per ads.
func bigSite(lists, per int) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var paths []string
		for i := range per {
			paths = append(paths, fmt.Sprintf("/rabota-md/ad/%d-%d", n, i))
		}
		page := listOf(paths...)
		if n+1 < lists {
			page = strings.Replace(page, "</ul>", fmt.Sprintf(`</ul><nav class="pager"><a rel="next" href="/rabota-md/?page=%d">next</a></nav>`, n+1), 1)
		}
		w.Write([]byte(page))
	})
	body := strings.Repeat("Работа на складе в Польше, упаковка и сортировка. ", 40)
	mux.HandleFunc("GET /rabota-md/ad/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(adPage("Объявление "+r.PathValue("id"), body)))
	})
	return mux
}

// BenchmarkCrawl10k crawls a generated site of 10,000 pages (100 list
// pages of 99 ads) with politeness delays off, into a State and a
// snapshot store, and reports pages/s and the peak heap.
func BenchmarkCrawl10k(b *testing.B) {
	srv := httptest.NewServer(bigSite(100, 99))
	defer srv.Close()
	p := testProfile(b, srv.URL)
	p.Parallelism, p.MaxPages, p.MaxDepth = 8, 200, 0
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	progress := new(Progress)
	b.ResetTimer()
	for range b.N {
		dir := b.TempDir()
		st, err := OpenState(filepath.Join(dir, "state.db"))
		if err != nil {
			b.Fatal(err)
		}
		snaps, err := OpenSnapshots(filepath.Join(dir, "snapshots"), SnapshotOptions{})
		if err != nil {
			b.Fatal(err)
		}
		opts := Options{Profiles: []Profile{p}, Sink: SinkFunc(func(context.Context, ad.Ad) error { return nil }),
			State: st, Snapshots: snaps, Progress: progress}
		if err := Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(progress.Stats().Pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(peak.Load())/1e6, "peak-heap-MB")
}
