// Command bench runs lure's benchmark suite and prints one Markdown table
// with the machine it ran on: classifier ads/s per core against the naive
// one-regexp-per-rule baseline, pipeline ads/s and produce→indexed latency
// on the embedded broker, Bleve indexing rate and search latency at
// several index sizes, crawler pages/s on the demo sites, the network
// engine assigning 1M ads to clusters (per-ad cost against the first 10k,
// LSH against brute force), and the peak memory of each. Every
// measurement runs in its own process so that its peak resident memory is
// its own.
//
//	go run ./scripts/bench                        # defaults, ≈ 8 min on 2 cores
//	go run ./scripts/bench -sizes 10000 -network-n 100000 -out ''   # quick
//	go run ./scripts/bench -out BENCHMARKS.md     # and rewrite BENCHMARKS.md
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lurewatch/lure/bench"
)

func main() {
	part := flag.String("part", "", "internal: run one measurement (index, dashboard, crawler, network) and print its rows as JSON")
	n := flag.Int("n", 10000, "internal: ads for -part index, dashboard and network")
	networkN := flag.Int("network-n", 1_000_000, "ads assigned to clusters by the network benchmark")
	sizes := flag.String("sizes", "10000,100000", "flagged-ad counts of the Bleve measurements")
	queries := flag.Int("queries", 300, "searches timed per index size")
	pipelineN := flag.Int("pipeline-n", 5000, "ads through the pipeline benchmark (scripts/kafka/bench)")
	benchtime := flag.String("benchtime", "2s", "go test -benchtime of the classifier benchmark")
	out := flag.String("out", "", "also write the table with how to reproduce it to this file (BENCHMARKS.md)")
	cpuprofile := flag.String("cpuprofile", "", "with -part: write a CPU profile of the measurement to this file")
	flag.Parse()
	if *cpuprofile != "" && *part != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *part != "" {
		err = runPart(ctx, *part, *n, *queries)
	} else {
		err = runAll(ctx, *sizes, *queries, *pipelineN, *networkN, *benchtime, *out, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runPart measures in this process and prints the rows as JSON.
func runPart(ctx context.Context, part string, n, queries int) error {
	var rows []bench.Row
	var err error
	switch part {
	case "index":
		dir, derr := os.MkdirTemp("", "lure-bench-index-")
		if derr != nil {
			return derr
		}
		defer os.RemoveAll(dir)
		rows, err = bench.Index(ctx, bench.IndexOptions{Dir: filepath.Join(dir, "ix"), N: n, Queries: queries})
	case "dashboard":
		dir, derr := os.MkdirTemp("", "lure-bench-dashboard-")
		if derr != nil {
			return derr
		}
		defer os.RemoveAll(dir)
		rows, err = dashboardRows(ctx, dir, n)
	case "crawler":
		rows, err = bench.Crawler(ctx)
	case "network":
		rows, err = bench.Network(ctx, bench.NetworkOptions{N: n})
	default:
		return fmt.Errorf("unknown part %q", part)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(rows)
}

// measured runs a command and returns its stdout and peak RSS in bytes.
func measured(ctx context.Context, dir string, name string, args ...string) ([]byte, int64, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	var rss int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss * 1024 // kilobytes on Linux
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	return stdout.Bytes(), rss, nil
}

func runAll(ctx context.Context, sizes string, queries, pipelineN, networkN int, benchtime, out string, args []string) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "lure-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	build := func(out string, args ...string) error {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building %s: %w", out, err)
		}
		return nil
	}
	step := func(s string) { fmt.Fprintf(os.Stderr, "bench: %s (%s)\n", s, time.Now().Format("15:04:05")) }
	var rows []bench.Row

	step("classifier: lure vs naive baseline")
	ctest := filepath.Join(tmp, "classifier.test")
	if err := build(ctest, "test", "-c", "-o", ctest, "./classifier"); err != nil {
		return err
	}
	b, rss, err := measured(ctx, filepath.Join(root, "classifier"), ctest, "-test.run", "^$", "-test.bench", "^BenchmarkScore$/^corpus$", "-test.benchtime", benchtime, "-test.cpu", "1")
	if err != nil {
		return err
	}
	r, err := classifierRow(b)
	if err != nil {
		return err
	}
	r.PeakRSS = rss
	rows = append(rows, r)

	step("language detection (ads whose site gives no language)")
	ltest := filepath.Join(tmp, "langid.test")
	if err := build(ltest, "test", "-c", "-o", ltest, "./langid"); err != nil {
		return err
	}
	b, rss, err = measured(ctx, filepath.Join(root, "langid"), ltest, "-test.run", "^$", "-test.bench", "^BenchmarkDetect$", "-test.benchtime", benchtime, "-test.cpu", "1")
	if err != nil {
		return err
	}
	if r, err = langidRow(b, rows[0]); err != nil {
		return err
	}
	r.PeakRSS = rss
	rows = append(rows, r)

	step("screening API: POST /api/v1/score vs the classifier called directly")
	dtest := filepath.Join(tmp, "dashboard.test")
	if err := build(dtest, "test", "-c", "-o", dtest, "./dashboard"); err != nil {
		return err
	}
	b, rss, err = measured(ctx, filepath.Join(root, "dashboard"), dtest, "-test.run", "^$", "-test.bench", "^BenchmarkScoreAPI$", "-test.benchtime", benchtime, "-test.cpu", "1")
	if err != nil {
		return err
	}
	if r, err = screeningRow(b); err != nil {
		return err
	}
	r.PeakRSS = rss
	rows = append(rows, r)

	step("sitemap reader: a gzipped sitemap index of 200,000 URLs")
	stest := filepath.Join(tmp, "crawler.test")
	if err := build(stest, "test", "-c", "-o", stest, "./crawler"); err != nil {
		return err
	}
	b, rss, err = measured(ctx, filepath.Join(root, "crawler"), stest, "-test.run", "^$", "-test.bench", "^BenchmarkReadSitemapIndex200k$", "-test.benchtime", "1x", "-test.cpu", "1")
	if err != nil {
		return err
	}
	if r, err = sitemapRow(b, rss); err != nil {
		return err
	}
	rows = append(rows, r)

	step(fmt.Sprintf("pipeline: %d ads on the embedded broker", pipelineN))
	pbin := filepath.Join(tmp, "pipeline-bench")
	if err := build(pbin, "build", "-o", pbin, "./scripts/kafka/bench"); err != nil {
		return err
	}
	b, rss, err = measured(ctx, root, pbin, "-n", strconv.Itoa(pipelineN), "-rate", strconv.Itoa(pipelineRate), "-json", "-kafka", "")
	if err != nil {
		return err
	}
	prs, err := bench.ParsePipeline(bytes.NewReader(b))
	if err != nil {
		return err
	}
	for _, p := range prs {
		rows = append(rows, bench.Row{Name: "pipeline, " + p.Broker + " broker (produce → classify → store + index), saturation",
			Result:   fmt.Sprintf("%.0f ads/s · produce→indexed p50 %v p95 %v", p.AdsPerS, bench.Seconds(p.P50S), bench.Seconds(p.P95S)),
			Baseline: fmt.Sprintf("%.0f msgs/s (raw broker: produce + consume, no work)", p.BrokerMsgsPerS),
			Ratio:    fmt.Sprintf("%.2f×", p.AdsPerS/p.BrokerMsgsPerS),
			PeakRSS:  rss, Note: fmt.Sprintf("%d ads, scripts/kafka/bench -json", p.Ads)})
		if p.Rate > 0 {
			rows = append(rows, bench.Row{Name: fmt.Sprintf("pipeline, %s broker, fixed offered rate %d ads/s", p.Broker, pipelineRate),
				Result:  fmt.Sprintf("produce→indexed p50 %v p95 %v", bench.Seconds(p.P50SAtRate), bench.Seconds(p.P95SAtRate)),
				PeakRSS: rss, Note: fmt.Sprintf("%d ads offered at %.0f ads/s (measured)", p.Ads, p.Rate)})
		}
	}

	for _, s := range strings.Split(sizes, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		step("index: " + s + " flagged ads")
		b, rss, err := measured(ctx, root, self, "-part", "index", "-n", s, "-queries", strconv.Itoa(queries))
		if err != nil {
			return err
		}
		if rows, err = appendRows(rows, b, rss); err != nil {
			return err
		}
	}
	if largest := largestSize(sizes); largest > 0 {
		step(fmt.Sprintf("dashboard: %d users at %d flagged ads", dashboardUsers, largest))
		b, rss, err := measured(ctx, root, self, "-part", "dashboard", "-n", strconv.Itoa(largest))
		if err != nil {
			return err
		}
		if rows, err = appendRows(rows, b, rss); err != nil {
			return err
		}
	}
	step("crawler: demo sites")
	b, rss, err = measured(ctx, root, self, "-part", "crawler")
	if err != nil {
		return err
	}
	if rows, err = appendRows(rows, b, rss); err != nil {
		return err
	}

	step(fmt.Sprintf("network: %d ads to clusters", networkN))
	b, rss, err = measured(ctx, root, self, "-part", "network", "-n", strconv.Itoa(networkN))
	if err != nil {
		return err
	}
	if rows, err = appendRows(rows, b, rss); err != nil {
		return err
	}

	m := bench.Machine()
	var table bytes.Buffer
	fmt.Fprintf(&table, "Measured %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	if err := bench.Table(&table, m, rows); err != nil {
		return err
	}
	os.Stdout.Write(table.Bytes())
	if out == "" {
		return nil
	}
	doc := "# lure benchmarks\n\nThe latest run of `make bench` (`go run ./scripts/bench -out BENCHMARKS.md`). " +
		"Each measurement runs in its own process; peak RSS is that process's maximum resident set size (getrusage). " +
		"Baselines run in the same process and the same run, so ratios compare like with like.\n\n" + table.String() + reproduce(args)
	return os.WriteFile(out, []byte(doc), 0o644)
}

func reproduce(args []string) string {
	return "\n## Reproduce\n\n    go run ./scripts/bench " + strings.Join(args, " ") + `

- **classifier**: ` + "`go test -run '^$' -bench '^BenchmarkScore$/^corpus$' -cpu 1 ./classifier`" + ` — scores the development corpus
  (testdata/corpus/dev.jsonl) on one core; the naive baseline runs every rule and every gazetteer country as
  its own regular expression over the normalised text, without extraction or combination rules.
- **sitemap index**: ` + "`go test -run '^$' -bench '^BenchmarkReadSitemapIndex200k$' -benchtime 1x -cpu 1 ./crawler`" + ` — writes a
  gzipped sitemap index naming 4 gzipped sitemaps of 50,000 URLs each and reads all 200,000 entries with
  crawler.ReadSitemap as a crawl does (one file at a time, streaming); peak RSS is the whole test process,
  set against the 100 MB the sitemap reader may cost, and the note gives the Go heap's peak while reading.
- **screening API**: ` + "`go test -run '^$' -bench '^BenchmarkScoreAPI$' -cpu 1 ./dashboard`" + ` — POST /api/v1/score over
  loopback HTTP with a viewer token, one development-corpus ad per request (and batches of 20, in the note); the
  baseline is classifier.Score called directly on the same ads in the same process. Latencies are per request.
- **pipeline**: ` + "`go run ./scripts/kafka/bench -n 5000 -rate 1000 -json`" + ` (add a real Apache Kafka with scripts/kafka/bench.sh):
  the raw broker limit first (the same messages produced and consumed by a group that does nothing), then the
  pipeline at saturation (every ad produced at once; the ratio is ads/s over the broker's msgs/s), then the
  pipeline at a fixed offered rate of 1,000 ads/s (ticks of 10 ms), whose latency is what a steady stream of
  crawled ads sees.
- **dashboard**: ` + "`go run ./scripts/bench -part dashboard -n 100000`" + ` — fills a store and an index with that many
  generated flagged ads, serves the dashboard over loopback HTTP and has 50 users, each with an analyst API
  token, open 40 pages each at once (queue, queue filtered by site and page, a one/two-word search, an ad
  page, in turn); the baseline is one user alone in the same run. ` + "`-cpuprofile FILE`" + ` profiles a part.
- **Bleve**: generated flagged ads (internal/pipelinetest templates scored by the default pack) indexed with
  index.PutAll, then one/two-word searches through index.Search; ` + "`-sizes 10000,100000`" + ` sets the sizes.
  The generator varies few templates, so postings are longer than on real data.
- **crawler**: crawler.Run with the embedded site profiles over the demo sites (demo.Start), politeness
  delays set to 0, retries off: once with the demo's deliberately slow page left out (an exclude pattern),
  which measures the crawler, and once with it, which measures mostly the profile timeout it waits for.
- **network**: ` + "`go run ./scripts/bench -part network -n 1000000`" + ` — bench.Network assigns generated templated
  ads (internal/netgen) to clusters with a memory-only network.Engine on one goroutine; the baseline is the
  per-ad cost over the first 10k ads of the same run (ratio ≈ 1 means the per-ad cost does not grow with
  size), and LSH is compared with brute-force pairwise signature comparison at 5k ads. ` + "`-network-n`" + ` sets the size.
`
}

func appendRows(rows []bench.Row, b []byte, rss int64) ([]bench.Row, error) {
	var got []bench.Row
	if err := json.Unmarshal(b, &got); err != nil {
		return nil, fmt.Errorf("reading a measurement: %w", err)
	}
	for i := range got {
		got[i].PeakRSS = rss
	}
	return append(rows, got...), nil
}

// largestSize is the largest of the comma-separated sizes, or 0.
func largestSize(sizes string) int {
	n := 0
	for _, s := range strings.Split(sizes, ",") {
		if v, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			n = max(n, v)
		}
	}
	return n
}

// pipelineRate is the offered rate (ads/s) of the fixed-rate pipeline run.
const pipelineRate = 1000

// sitemapLimitMB is the peak memory a 200,000-URL sitemap index may cost.
const sitemapLimitMB = 100

// sitemapRow reads BenchmarkReadSitemapIndex200k: URLs/s, and the peak
// memory of the process (rss, bytes) against sitemapLimitMB.
func sitemapRow(out []byte, rss int64) (bench.Row, error) {
	bs, err := bench.ParseGoBench(bytes.NewReader(out))
	if err != nil {
		return bench.Row{}, err
	}
	if len(bs) != 1 || bs[0].Metrics["urls/s"] == 0 {
		return bench.Row{}, fmt.Errorf("sitemap benchmark: no urls/s result in:\n%s", out)
	}
	m := bs[0].Metrics
	peak := float64(rss) / 1e6
	return bench.Row{Name: "sitemap index, 4 gzipped sitemaps of 50,000 URLs, streaming read, 1 core",
		Result: fmt.Sprintf("%.0f URLs/s", m["urls/s"]), Baseline: fmt.Sprintf("peak memory limit %d MB", sitemapLimitMB),
		Ratio: fmt.Sprintf("%.1f× under", sitemapLimitMB/peak), PeakRSS: rss,
		Note: fmt.Sprintf("heap peak %.1f MB while reading", m["peak-MB"])}, nil
}

// classifierRow reads BenchmarkScore/corpus/{lure,naive}.
func classifierRow(out []byte) (bench.Row, error) {
	bs, err := bench.ParseGoBench(bytes.NewReader(out))
	if err != nil {
		return bench.Row{}, err
	}
	var lure, naive *bench.GoBench
	for i := range bs {
		switch {
		case strings.Contains(bs[i].Name, "/corpus/lure"):
			lure = &bs[i]
		case strings.Contains(bs[i].Name, "/corpus/naive"):
			naive = &bs[i]
		}
	}
	if lure == nil || naive == nil {
		return bench.Row{}, fmt.Errorf("classifier benchmark: no corpus/lure and corpus/naive results in:\n%s", out)
	}
	l, nv := lure.Metrics["ads/s"], naive.Metrics["ads/s"]
	if l == 0 || nv == 0 {
		return bench.Row{}, fmt.Errorf("classifier benchmark: no ads/s metric")
	}
	return bench.Row{Name: "classifier, development corpus, 1 core", Result: fmt.Sprintf("%.0f ads/s", l),
		Baseline: fmt.Sprintf("%.0f ads/s (naive: one regexp per rule)", nv), Ratio: fmt.Sprintf("%.1f×", l/nv),
		Note: fmt.Sprintf("%.0f B/op, %.0f allocs/op", lure.Metrics["B/op"], lure.Metrics["allocs/op"])}, nil
}

// langidRow reads BenchmarkDetect and compares it with the classifier
// row: detection is an extra step for ads without a language.
func langidRow(out []byte, classifier bench.Row) (bench.Row, error) {
	bs, err := bench.ParseGoBench(bytes.NewReader(out))
	if err != nil {
		return bench.Row{}, err
	}
	if len(bs) != 1 || bs[0].Metrics["ads/s"] == 0 {
		return bench.Row{}, fmt.Errorf("language detection benchmark: no ads/s result in:\n%s", out)
	}
	d := bs[0].Metrics["ads/s"]
	var c float64
	fmt.Sscanf(classifier.Result, "%f ads/s", &c)
	ratio := "–"
	if c > 0 {
		ratio = fmt.Sprintf("%.2f×", d/c)
	}
	return bench.Row{Name: "language detection, 22 languages, 1 core", Result: fmt.Sprintf("%.0f ads/s", d),
		Baseline: fmt.Sprintf("%.0f ads/s (classifier, row above)", c), Ratio: ratio,
		Note: fmt.Sprintf("only for ads whose site profile gives no language; alphabet cues, then lingua-go; %.0f B/op", bs[0].Metrics["B/op"])}, nil
}

// screeningRow reads BenchmarkScoreAPI/{api,api-batch20,direct}.
func screeningRow(out []byte) (bench.Row, error) {
	bs, err := bench.ParseGoBench(bytes.NewReader(out))
	if err != nil {
		return bench.Row{}, err
	}
	byName := map[string]*bench.GoBench{}
	for i := range bs {
		name := strings.TrimPrefix(bs[i].Name, "BenchmarkScoreAPI/")
		if j := strings.LastIndex(name, "-"); j > 0 && !strings.HasPrefix(name[j:], "-batch") {
			if _, err := strconv.Atoi(name[j+1:]); err == nil {
				name = name[:j] // the -N GOMAXPROCS suffix
			}
		}
		byName[name] = &bs[i]
	}
	api, batch, direct := byName["api"], byName["api-batch20"], byName["direct"]
	if api == nil || batch == nil || direct == nil {
		return bench.Row{}, fmt.Errorf("screening benchmark: no api, api-batch20 and direct results in:\n%s", out)
	}
	if api.Metrics["ads/s"] == 0 || direct.Metrics["ads/s"] == 0 {
		return bench.Row{}, fmt.Errorf("screening benchmark: no ads/s metric")
	}
	lat := func(g *bench.GoBench) string {
		return fmt.Sprintf("%.0f ads/s · p50 %.3fms p99 %.3fms", g.Metrics["ads/s"], g.Metrics["p50-ms"], g.Metrics["p99-ms"])
	}
	return bench.Row{Name: "screening API, POST /api/v1/score, 1 ad per request, 1 core", Result: lat(api),
		Baseline: lat(direct) + " (classifier.Score called directly)",
		Ratio: fmt.Sprintf("%.2f× ads/s · %.1f× p50 latency", api.Metrics["ads/s"]/direct.Metrics["ads/s"],
			api.Metrics["p50-ms"]/direct.Metrics["p50-ms"]),
		Note: fmt.Sprintf("batches of 20: %.0f ads/s (%.2f× direct), p50 %.2fms p99 %.2fms per request; token auth, rate limit, JSON, loopback HTTP",
			batch.Metrics["ads/s"], batch.Metrics["ads/s"]/direct.Metrics["ads/s"], batch.Metrics["p50-ms"], batch.Metrics["p99-ms"])}, nil
}
