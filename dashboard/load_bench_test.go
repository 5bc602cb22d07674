package dashboard

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// benchAds is how many flagged ads BenchmarkLoad indexes: LURE_BENCH_ADS,
// default 20000 (the target is 100000; building that index takes
// minutes on a small machine).
func benchAds(b *testing.B) int {
	if s := os.Getenv("LURE_BENCH_ADS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("LURE_BENCH_ADS=%q", s)
		}
		return n
	}
	return 20000
}

// benchKeywords are the words the benchmark searches for; each occurs in a
// few percent of the ads, as risk words do in real postings.
var benchKeywords = []string{"виза", "хостес", "strainatate", "waitress", "Dubai", "Турция", "билеты", "девушки"}

var benchTitles = []string{"Продавец", "Водитель", "Официант", "Строитель", "Муncitor", "Bucătar", "Nurse", "Cleaner", "Склад", "Охранник"}

// benchVocab is a synthetic vocabulary, drawn from with a Zipf law.
var benchVocab = func() []string {
	out := make([]string, 5000)
	syl := []string{"ра", "бо", "та", "ми", "ко", "не", "ло", "ва", "ду", "си", "pa", "lu", "cre", "mo", "ti"}
	for i := range out {
		w := ""
		for n := i; ; n /= len(syl) {
			w += syl[n%len(syl)]
			if n < len(syl) {
				break
			}
		}
		out[i] = w + syl[i%7]
	}
	return out
}()

func benchVerdict(i int, r *rand.Rand) ad.Verdict {
	z := rand.NewZipf(r, 1.1, 1, uint64(len(benchVocab)-1))
	body := ""
	for range 60 {
		body += benchVocab[z.Uint64()] + " "
	}
	title := benchTitles[r.IntN(len(benchTitles))] + " " + benchVocab[z.Uint64()]
	for _, k := range benchKeywords {
		if r.IntN(100) < 3 {
			body += k + " "
		}
	}
	a := ad.Ad{V: ad.Version, ID: fmt.Sprintf("b%07d", i), Site: fmt.Sprintf("site%d.example", i%12), Kind: ad.KindJob,
		Lang: []string{"ru", "ro", "en", "uk"}[i%4], Title: title, Body: body,
		Contact: fmt.Sprintf("+7999%07d", i%5000), Crawled: t0.Add(time.Duration(i) * time.Minute)}
	a.URL = "https://" + a.Site + "/ad/" + a.ID
	a.ContentHash = a.Hash()
	score := 40 + float64(r.IntN(60))
	band := ad.BandMedium
	if score >= 70 {
		band = ad.BandHigh
	}
	return ad.Verdict{V: ad.Version, Ad: a, Score: score, Band: band, Flagged: true, RulePack: "bench",
		Hits:     []ad.Hit{{Rule: "r" + strconv.Itoa(i%7), Weight: 1, Signal: []string{"free_travel", "young_women", "high_pay"}[i%3]}},
		Entities: ad.Entities{Phones: []string{a.Contact}, Destinations: []string{[]string{"DE", "TR", "AE"}[i%3]}}}
}

// benchCleanup removes the benchmarks' temporary data directory.
var benchCleanup = func() {}

func TestMain(m *testing.M) {
	code := m.Run()
	benchCleanup()
	os.Exit(code)
}

var benchSrv struct {
	once  sync.Once
	url   string
	token string
	n     int
	err   error
}

func benchServer(b *testing.B) {
	benchSrv.once.Do(func() {
		ctx := context.Background()
		n := benchAds(b)
		// LURE_BENCH_DIR keeps the seeded store and index between runs.
		dir := os.Getenv("LURE_BENCH_DIR")
		reuse := false
		if dir == "" {
			d, err := os.MkdirTemp("", "lure-bench")
			if err != nil {
				benchSrv.err = err
				return
			}
			dir = d
			benchCleanup = func() { os.RemoveAll(d) }
		} else if _, err := os.Stat(filepath.Join(dir, "seeded")); err == nil {
			reuse = true
		}
		st, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
		if err != nil {
			benchSrv.err = err
			return
		}
		ix, err := index.Open(filepath.Join(dir, "index"))
		if err != nil {
			benchSrv.err = err
			return
		}
		r := rand.New(rand.NewPCG(1, 2))
		batch := make([]ad.Verdict, 0, 1000)
		if reuse {
			n = 0
			if c, err := ix.Count(); err == nil {
				benchSrv.n = int(c)
			}
		}
		for i := range n {
			v := benchVerdict(i, r)
			if _, err := st.Upsert(ctx, v); err != nil {
				benchSrv.err = err
				return
			}
			batch = append(batch, v)
			if len(batch) == cap(batch) || i == n-1 {
				if err := ix.PutAll(ctx, batch); err != nil {
					benchSrv.err = err
					return
				}
				batch = batch[:0]
			}
		}
		if !reuse {
			benchSrv.n = n
			os.WriteFile(filepath.Join(dir, "seeded"), nil, 0o600)
		}
		secret, hash, _ := auth.NewToken()
		if _, err := st.Accounts().CreateToken(ctx, "bench", auth.Analyst, hash); err != nil {
			benchSrv.err = err
			return
		}
		h, err := New(Options{Store: st, Index: ix, Logger: discardLogger()})
		if err != nil {
			benchSrv.err = err
			return
		}
		benchSrv.url, benchSrv.token = httptest.NewServer(h).URL, secret
	})
	if benchSrv.err != nil {
		b.Fatal(benchSrv.err)
	}
}

// BenchmarkLoad has 50 concurrent analysts browse the queue (filtered and
// paged), search and open ads, and reports latency percentiles over all
// requests (p50_ms, p95_ms, p99_ms). One op is one request. "saturated":
// every analyst sends the next request as soon as the last one answered
// (a worst case); "think": each waits 0.5–1.5 s between requests, as
// people reading ads do.
func BenchmarkLoad(b *testing.B) {
	benchServer(b)
	b.Run("saturated", func(b *testing.B) { loadRun(b, 0) })
	b.Run("think", func(b *testing.B) { loadRun(b, time.Second) })
}

func loadRun(b *testing.B, think time.Duration) {
	const users = 50
	paths := []string{"/", "/?page=3", "/?band=high", "/?signal=young_women&order=newest", "/?country=TR&status=new",
		"/search?q=" + "виза", "/search?q=waitress+Dubai", "/search?q=" + "хостес&band=high",
		"/ads/b0000042", "/ads/b0001234", "/api/v1/ads?limit=50", "/api/v1/search?q=strainatate", "/api/v1/ads?status=new&limit=50"}
	var mu sync.Mutex
	var lat []time.Duration
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: users}}
	work := make(chan string)
	var wg sync.WaitGroup
	var failed error
	for range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			for p := range work {
				if think > 0 {
					time.Sleep(think/2 + time.Duration(r.Int64N(int64(think))))
				}
				req, _ := http.NewRequest("GET", benchSrv.url+p, nil)
				req.Header.Set("Authorization", "Bearer "+benchSrv.token)
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("GET %s: %s", p, resp.Status)
					}
				}
				d := time.Since(start)
				mu.Lock()
				lat = append(lat, d)
				if err != nil && failed == nil {
					failed = err
				}
				mu.Unlock()
			}
		}()
	}
	b.ResetTimer()
	for i := range b.N {
		work <- paths[i%len(paths)]
	}
	close(work)
	wg.Wait()
	b.StopTimer()
	if failed != nil {
		b.Fatal(failed)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(.50), "p50_ms")
	b.ReportMetric(pct(.95), "p95_ms")
	b.ReportMetric(pct(.99), "p99_ms")
	b.ReportMetric(float64(benchSrv.n), "ads")
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// BenchmarkRoutes measures each page of BenchmarkLoad alone, one request
// at a time, to find the slow one.
func BenchmarkRoutes(b *testing.B) {
	benchServer(b)
	for _, p := range []string{"/", "/?page=3", "/?band=high", "/?signal=young_women&order=newest",
		"/?country=TR&status=new", "/search?q=виза", "/search?q=waitress+Dubai", "/ads/b0000042", "/api/v1/ads?limit=50"} {
		b.Run(strings.NewReplacer("/", "_", "?", "_").Replace(p), func(b *testing.B) {
			for range b.N {
				req, _ := http.NewRequest("GET", benchSrv.url+p, nil)
				req.Header.Set("Authorization", "Bearer "+benchSrv.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %s", p, resp.Status)
				}
			}
		})
	}
}
