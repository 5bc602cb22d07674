package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestParseGoBench(t *testing.T) {
	bs, err := ParseGoBench(open(t, "gobench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 {
		t.Fatalf("%d results", len(bs))
	}
	if bs[0].Name != "BenchmarkScore/corpus/lure" || bs[0].N != 15418 || bs[0].Metrics["ads/s"] != 7484 || bs[0].Metrics["allocs/op"] != 52 {
		t.Errorf("lure: %+v", bs[0])
	}
	if bs[1].Metrics["x-slower"] != 173.5 || bs[1].Metrics["ads/s"] != 43.14 {
		t.Errorf("naive: %+v", bs[1])
	}
}

func TestParsePipeline(t *testing.T) {
	ps, err := ParsePipeline(open(t, "pipeline.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Broker != "embedded" || ps[0].Ads != 2000 || ps[0].AdsPerS != 1273 ||
		ps[0].BrokerMsgsPerS != 21000 || ps[0].P95SAtRate != 0.48 || ps[1].P95S != 1.2 || ps[1].Rate != 1000 {
		t.Fatalf("%+v", ps)
	}
	if got := Seconds(ps[0].P95S); got != 3010*time.Millisecond {
		t.Errorf("Seconds(3.01) = %v", got)
	}
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"no brokers", `{"ads_per_s": 5}`},
		{"negative", `{"brokers":[{"broker":"x","ads":1,"ads_per_s":-1}]}`},
		{"no ads", `{"brokers":[{"broker":"x","ads":0}]}`},
		{"markdown", "| embedded | 10 | 5 | 1s | 1s |\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParsePipeline(strings.NewReader(tc.in)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestMachine(t *testing.T) {
	if got := cpuModel(open(t, "cpuinfo.txt")); got != "Intel(R) Xeon(R) Processor" {
		t.Errorf("cpu model %q", got)
	}
	m := Machine()
	if m.Cores < 1 || !strings.HasPrefix(m.Go, "go") {
		t.Errorf("%+v", m)
	}
}

func TestTableAndPercentile(t *testing.T) {
	var b bytes.Buffer
	err := Table(&b, MachineInfo{CPU: "cpu", Cores: 2, Go: "go1", OS: "linux/amd64"},
		[]Row{{Name: "x", Result: "5 ads/s", Baseline: "1 ads/s", Ratio: "5.0×", PeakRSS: 50e6}, {Name: "y", Result: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Machine: cpu, 2 cores, go1, linux/amd64", "| x | 5 ads/s | 1 ads/s | 5.0× | 50 MB |", "| y | 1 | – | – | – |"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	if p := Percentile(ds, 50); p != 5 {
		t.Errorf("p50 %v", p)
	}
	if p := Percentile(ds, 95); p != 10 {
		t.Errorf("p95 %v", p)
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty percentile")
	}
}

func TestIndexSmall(t *testing.T) {
	rows, err := Index(context.Background(), IndexOptions{Dir: filepath.Join(t.TempDir(), "ix"), N: 300, Batch: 100, Queries: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.HasSuffix(rows[0].Result, "ads/s") || !strings.Contains(rows[1].Baseline, "linear scan") {
		t.Fatalf("%+v", rows)
	}
}

func TestCrawler(t *testing.T) {
	rows, err := Crawler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.HasSuffix(rows[0].Result, "pages/s") || !strings.Contains(rows[0].Name, "without the 1 deliberately slow page") ||
		!strings.Contains(rows[0].Baseline, "with the slow pages") || !strings.Contains(rows[1].Name, "slow pages included") {
		t.Fatalf("%+v", rows)
	}
}

func FuzzParseGoBench(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "gobench.txt"))
	f.Add(string(b))
	f.Add("BenchmarkX 1 2 ns/op x y")
	f.Fuzz(func(t *testing.T, s string) {
		bs, err := ParseGoBench(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, r := range bs {
			if !strings.HasPrefix(r.Name, "Benchmark") {
				t.Fatalf("%+v", r)
			}
		}
	})
}

func FuzzParsePipeline(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "pipeline.json"))
	f.Add(string(b))
	f.Add(`{"brokers":[{"broker":"a","ads":1}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParsePipeline(strings.NewReader(s))
		if err == nil && len(ps) == 0 {
			t.Fatal("no rows and no error")
		}
	})
}

func ExampleTable() {
	_ = Table(os.Stdout, MachineInfo{CPU: "Example CPU", Cores: 2, Go: "go1.26", OS: "linux/amd64"},
		[]Row{{Name: "classifier", Result: "7000 ads/s", Baseline: "40 ads/s", Ratio: "175.0×"}})
	// Output:
	// Machine: Example CPU, 2 cores, go1.26, linux/amd64
	//
	// | measurement | result | baseline (same run) | ratio | peak RSS | note |
	// |---|---:|---:|---:|---:|---|
	// | classifier | 7000 ads/s | 40 ads/s | 175.0× | – |  |
}
