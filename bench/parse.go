package bench

import (
	"bufio"
	"fmt"
	"io"
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

// PipelineResult is one row of the pipeline benchmark's table
// (scripts/kafka/bench).
type PipelineResult struct {
	Broker   string
	Ads      int
	AdsPerS  float64
	P50, P95 time.Duration
}

// ParsePipeline reads the Markdown table printed by scripts/kafka/bench:
// | broker | ads | ads/s | p50 produce→indexed | p95 produce→indexed |.
func ParsePipeline(r io.Reader) ([]PipelineResult, error) {
	var out []PipelineResult
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 5 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		ads, err := strconv.Atoi(cells[1])
		if err != nil {
			continue // header or separator
		}
		var p PipelineResult
		p.Broker, p.Ads = cells[0], ads
		if p.AdsPerS, err = strconv.ParseFloat(cells[2], 64); err != nil {
			return nil, fmt.Errorf("bench: pipeline row %q: %w", line, err)
		}
		if p.P50, err = time.ParseDuration(cells[3]); err != nil {
			return nil, fmt.Errorf("bench: pipeline row %q: %w", line, err)
		}
		if p.P95, err = time.ParseDuration(cells[4]); err != nil {
			return nil, fmt.Errorf("bench: pipeline row %q: %w", line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: no pipeline results in the output")
	}
	return out, nil
}
