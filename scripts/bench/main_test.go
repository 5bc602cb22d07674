package main

import (
	"strings"
	"testing"

	"github.com/lurewatch/lure/bench"
)

func TestScreeningRow(t *testing.T) {
	for _, tc := range []struct{ name, suffix string }{{"one core", ""}, {"two cores", "-2"}} {
		t.Run(tc.name, func(t *testing.T) {
			out := "goos: linux\n" +
				"BenchmarkScoreAPI/direct" + tc.suffix + "  22748  54342 ns/op  18000 ads/s  0.04158 p50-ms  0.1811 p99-ms\n" +
				"BenchmarkScoreAPI/api" + tc.suffix + "  5103  238622 ns/op  4500 ads/s  0.1936 p50-ms  0.7750 p99-ms\n" +
				"BenchmarkScoreAPI/api-batch20" + tc.suffix + "  739  1725849 ns/op  9000 ads/s  1.528 p50-ms  5.504 p99-ms\nPASS\n"
			r, err := screeningRow([]byte(out))
			if err != nil {
				t.Fatal(err)
			}
			if r.Result != "4500 ads/s · p50 0.194ms p99 0.775ms" || r.Ratio != "0.25× ads/s · 4.7× p50 latency" ||
				!strings.HasPrefix(r.Baseline, "18000 ads/s") || !strings.Contains(r.Note, "9000 ads/s (0.50× direct)") {
				t.Errorf("row = %+v", r)
			}
		})
	}
	if _, err := screeningRow([]byte("BenchmarkScoreAPI/api 1 2 ns/op 3 ads/s\n")); err == nil {
		t.Error("a run without baseline gave a row")
	}
}

func TestLangidRow(t *testing.T) {
	out := "goos: linux\nBenchmarkDetect  3000  48019 ns/op  20000 ads/s  6177 B/op  184 allocs/op\nPASS\n"
	r, err := langidRow([]byte(out), bench.Row{Result: "25000 ads/s"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Result != "20000 ads/s" || r.Ratio != "0.80×" || !strings.HasPrefix(r.Baseline, "25000 ads/s") {
		t.Errorf("row = %+v", r)
	}
	if _, err := langidRow([]byte("PASS\n"), bench.Row{}); err == nil {
		t.Error("a run without results gave a row")
	}
}
