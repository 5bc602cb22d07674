package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Table writes the rows as one Markdown table under a line naming the
// machine.
func Table(w io.Writer, m MachineInfo, rows []Row) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s\n\n", m)
	b.WriteString("| measurement | result | baseline (same run) | ratio | peak RSS | note |\n|---|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		rss := "–"
		if r.PeakRSS > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(r.PeakRSS)/1e6)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.Name, r.Result, dash(r.Baseline), dash(r.Ratio), rss, r.Note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Percentile returns the p-th percentile (0–100, nearest rank) of ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(k, 0), len(s)-1)]
}

// Rate formats a count per second.
func Rate(n int, d time.Duration, unit string) string {
	return fmt.Sprintf("%.0f %s", float64(n)/d.Seconds(), unit)
}
