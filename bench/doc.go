// Package bench measures lure's throughput, latency and memory for
// `make bench`: it runs each measurement (Index, Crawler) on generated or
// demo data through the public APIs of the packages measured, reads the
// results of the Go benchmarks of other packages (ParseGoBench) and of the
// pipeline benchmark (ParsePipeline), describes the machine (Machine) and
// renders one Markdown table (Table).
//
// It leaves the measuring of peak memory to its caller, which runs each
// measurement in its own process (scripts/bench), and the code measured to
// the packages that own it.
package bench

// Row is one line of the benchmark table.
type Row struct {
	// Name says what was measured, Result the number with its unit.
	Name   string `json:"name"`
	Result string `json:"result"`
	// Baseline is what the same run measured for the baseline, and Ratio
	// how many times better lure is; empty when there is none.
	Baseline string `json:"baseline,omitempty"`
	Ratio    string `json:"ratio,omitempty"`
	// PeakRSS is the peak resident memory of the process that measured,
	// in bytes; 0 when unknown.
	PeakRSS int64 `json:"peak_rss,omitempty"`
	// Note qualifies the numbers.
	Note string `json:"note,omitempty"`
}
