package dashboard

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// devCorpus is the labelled development corpus of the repository.
const devCorpus = "../testdata/corpus/dev.jsonl"

// corpusInputs reads the development corpus as screening requests.
func corpusInputs(b *testing.B) []ad.Input {
	f, err := os.Open(devCorpus)
	if err != nil {
		b.Fatalf("the development corpus is part of the repository: %v", err)
	}
	defer f.Close()
	var out []ad.Input
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var in ad.Input
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			b.Fatal(err)
		}
		out = append(out, in)
	}
	if len(out) < 100 || sc.Err() != nil {
		b.Fatalf("%d corpus ads, %v", len(out), sc.Err())
	}
	return out
}

// latencyMetrics reports ads/s and the p50 and p99 latency (ms) of the
// timed operations, each covering perOp ads.
func latencyMetrics(b *testing.B, lat []time.Duration, perOp int) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		k := min(max(int(math.Ceil(p/100*float64(len(lat))))-1, 0), len(lat)-1)
		return float64(lat[k].Nanoseconds()) / 1e6
	}
	b.ReportMetric(float64(len(lat)*perOp)/b.Elapsed().Seconds(), "ads/s")
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
}

// BenchmarkScoreAPI measures POST /api/v1/score over loopback HTTP with a
// viewer token (token lookup in SQLite, rate limiting with limits high
// enough never to refuse, parsing, validation, scoring, explanation and
// JSON encoding) on the ads of the development corpus: one ad per request
// (api) and batches of 20 (api-batch20). The baseline in the same run is
// the classifier called directly on the same ads (direct), so the ratio
// is the API's overhead. Each reports ads/s and p50/p99 latency per
// operation.
func BenchmarkScoreAPI(b *testing.B) {
	c := defaultClassifier(b)
	ins := corpusInputs(b)
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		ads := make([]ad.Ad, len(ins))
		for i, in := range ins {
			a, err := inputAd(in, i)
			if err != nil {
				b.Fatal(err)
			}
			ads[i] = a
		}
		lat := make([]time.Duration, 0, 1<<16)
		i := 0
		for b.Loop() {
			t := time.Now()
			c.Score(ctx, ads[i%len(ads)])
			lat = append(lat, time.Since(t))
			i++
		}
		latencyMetrics(b, lat, 1)
	})
	for _, tc := range []struct {
		name  string
		batch int
	}{{"api", 1}, {"api-batch20", 20}} {
		b.Run(tc.name, func(b *testing.B) {
			f := newFixture(b, Options{Scorer: c,
				Screening: ScreenLimits{Rate: 1e9, Burst: 1 << 30, MaxAds: 100}})
			benchAPI(b, f, ins, tc.batch)
		})
	}
}

func benchAPI(b *testing.B, f *fixture, ins []ad.Input, batch int) {
	var bodies [][]byte
	for i := 0; i+batch <= len(ins); i += batch {
		var v any = ins[i]
		if batch > 1 {
			v = map[string]any{"ads": ins[i : i+batch]}
		}
		body, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	client := f.srv.Client()
	url, auth := f.srv.URL+"/api/v1/score", "Bearer "+f.tokens["viewer"]
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth)
		t := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t))
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		i++
	}
	latencyMetrics(b, lat, batch)
}
