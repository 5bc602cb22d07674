package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// GoBench is one result line of `go test -bench`.
type GoBench struct {
	Name string
	N    int64
	// Metrics maps units (ns/op, ads/s, B/op, x-slower, …) to values.
	Metrics map[string]float64
}

// ParseGoBench reads the result lines of `go test -bench` output; other
// lines are skipped. The -N GOMAXPROCS suffix stays in Name.
func ParseGoBench(r io.Reader) ([]GoBench, error) {
	var out []GoBench
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		b := GoBench{Name: f[0], N: n, Metrics: map[string]float64{}}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("bench: %s: bad value %q", f[0], f[i])
			}
			b.Metrics[f[i+1]] = v
		}
		out = append(out, b)
	}
	return out, sc.Err()
}

// PipelineResult is the pipeline benchmark's result for one broker
// (scripts/kafka/bench -json). Times are in seconds.
type PipelineResult struct {
	Broker string `json:"broker"`
	Ads    int    `json:"ads"`
	// AdsPerS is the throughput at saturation (every ad produced at once),
	// P50S and P95S its produce→indexed latencies.
	AdsPerS float64 `json:"ads_per_s"`
	P50S    float64 `json:"p50_s"`
	P95S    float64 `json:"p95_s"`
	// BrokerMsgsPerS is the raw broker limit measured in the same run:
	// the same messages produced and consumed with no work between.
	BrokerMsgsPerS float64 `json:"broker_msgs_per_s"`
	// Rate is the fixed offered rate (ads/s) of the second run, and
	// P50SAtRate and P95SAtRate its produce→indexed latencies.
	Rate       float64 `json:"rate"`
	P50SAtRate float64 `json:"p50_s_at_rate"`
	P95SAtRate float64 `json:"p95_s_at_rate"`
}

// PipelineReport is what scripts/kafka/bench -json prints: one JSON
// object whose top-level fields are the first broker's (the embedded
// one), for scripts, and Brokers every broker measured.
type PipelineReport struct {
	PipelineResult
	Brokers []PipelineResult `json:"brokers"`
}

// maxPipelineJSON bounds the report ParsePipeline reads.
const maxPipelineJSON = 1 << 20

// ParsePipeline reads the report of scripts/kafka/bench -json and returns
// its brokers' results, each checked: a broker name, ads > 0 and finite,
// non-negative numbers.
func ParsePipeline(r io.Reader) ([]PipelineResult, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPipelineJSON+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPipelineJSON {
		return nil, fmt.Errorf("bench: pipeline report larger than %d bytes", maxPipelineJSON)
	}
	var rep PipelineReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("bench: pipeline report: %w", err)
	}
	if len(rep.Brokers) == 0 {
		return nil, fmt.Errorf("bench: no pipeline results in the report")
	}
	for _, p := range rep.Brokers {
		if p.Broker == "" || p.Ads <= 0 {
			return nil, fmt.Errorf("bench: pipeline result %+v: no broker or no ads", p)
		}
		for _, v := range []float64{p.AdsPerS, p.P50S, p.P95S, p.BrokerMsgsPerS, p.Rate, p.P50SAtRate, p.P95SAtRate} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("bench: pipeline result of %s: bad number %v", p.Broker, v)
			}
		}
	}
	return rep.Brokers, nil
}

// Seconds turns seconds into a duration rounded for a table.
func Seconds(s float64) time.Duration {
	d := time.Duration(s * float64(time.Second))
	if d >= time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}
