package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("eval: write json: %w", err)
	}
	return nil
}

// WriteMarkdown writes the report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Overall (threshold %.4g)\n\n", r.Threshold)
	if !math.IsNaN(float64(r.Overall.F1CI.Low)) {
		p("Brackets: 95 %% bootstrap intervals.\n\n")
	}
	summaryTable(b, []string{"all"}, map[string]Summary{"all": r.Overall})
	if len(r.Overall.RecallAtFPR) > 0 {
		p("\n")
		for _, a := range r.Overall.RecallAtFPR {
			p("- recall at %.4g%% FPR: %s (threshold %s)\n", a.FPR*100, num(a.Recall), num(a.Threshold))
		}
	}
	p("\nConfusion: TP %d, FP %d, TN %d, FN %d\n", r.Overall.Counts.TP, r.Overall.Counts.FP, r.Overall.Counts.TN, r.Overall.Counts.FN)
	p("\n## Thresholds\n\nThe best-F1 threshold is the observed score with the highest F1 on these ads: tuned on them, so optimistic.\n\n")
	p("| threshold | score | precision | recall | F1 | TP | FP | FN |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range []struct {
		name string
		at   AtThreshold
	}{{"default", r.Thresholds.Default}, {"best F1", r.Thresholds.BestF1}} {
		p("| %s | %s | %.3f | %.3f | %.3f | %d | %d | %d |\n", t.name, num(t.at.Threshold), t.at.Precision, t.at.Recall, t.at.F1,
			t.at.Counts.TP, t.at.Counts.FP, t.at.Counts.FN)
	}
	p("\n## Calibration\n\nScores read as percent chances of being deceptive. Expected calibration error: %s.\n\n", num(r.Calibration.ECE))
	p("| band | n | deceptive | observed | mean score |\n|---|---:|---:|---:|---:|\n")
	for _, b := range r.Calibration.Bands {
		if b.N > 0 {
			p("| %g–%g | %d | %d | %s | %.1f |\n", b.Low, b.High, b.N, b.Deceptive, num(b.Observed), float64(b.MeanScore))
		}
	}
	p("\n## By language\n\n")
	summaryTable(b, sortedKeys(r.ByLang), r.ByLang)
	p("\n## By kind\n\n")
	summaryTable(b, sortedKeys(r.ByKind), r.ByKind)
	if len(r.ByFile) > 1 {
		p("\n## By file\n\n")
		summaryTable(b, sortedKeys(r.ByFile), r.ByFile)
	}
	groups, defs := map[string]Summary{}, []string(nil)
	for _, g := range r.Groups {
		if g.N > 0 {
			groups[g.Name] = g.Summary
			defs = append(defs, g.Name)
		}
	}
	if len(defs) > 0 {
		p("\n## By group\n\n")
		summaryTable(b, defs, groups)
		p("\n")
		for _, g := range r.Groups {
			if g.N > 0 {
				p("- %s: %s\n", g.Name, g.Definition)
			}
		}
	}
	if len(r.Indicators) > 0 {
		p("\n## By indicator\n\nRecall is over the deceptive ads carrying the indicator, FPR over the legit ones; wrong lists the deceptive ads missed and the legit ads flagged.\n\n")
		p("| indicator | n | deceptive | flagged | recall | FPR | wrong |\n|---|---:|---:|---:|---:|---:|---|\n")
		for _, s := range r.Indicators {
			p("| %s | %d | %d | %.1f%% | %s | %s | %s |\n", s.Indicator, s.N, s.Deceptive, s.FlaggedShare*100, num(s.Recall), num(s.FPR), strings.Join(s.Wrong, " "))
		}
	}
	if len(r.Signals) > 0 {
		p("\n## Recall per intended signal (deceptive ads)\n\n")
		recallTable(b, r.Signals, "missed")
	}
	if len(r.Variants) > 0 {
		p("\n## Recall per variant (deceptive ads)\n\n")
		recallTable(b, r.Variants, "missed")
	}
	if len(r.LegitVariants) > 0 {
		p("\n## Legit ads passed per variant\n\n")
		recallTable(b, r.LegitVariants, "flagged")
	}
	p("\n## Rules\n\nPrecision is the deceptive share of the ads a rule hit; rules with a negative weight should have a low one.\n\n")
	p("| rule | weight | hits | deceptive | legit | legit flagged | precision |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Rules {
		p("| %s | %.2f | %d | %d | %d | %d | %.3f |\n", s.Rule, s.Weight, s.Deceptive+s.Legit, s.Deceptive, s.Legit, s.FlaggedLegit, s.Precision)
	}
	p("\n## Highest-scored legit ads\n\n")
	resultTable(b, r.WorstLegit)
	p("\n## Lowest-scored deceptive ads\n\n")
	resultTable(b, r.WorstDeceptive)
	if err := b.Flush(); err != nil {
		return fmt.Errorf("eval: write markdown: %w", err)
	}
	return nil
}

func summaryTable(w io.Writer, keys []string, m map[string]Summary) {
	fmt.Fprint(w, "| slice | n | deceptive | flagged | precision | recall | F1 | PR-AUC | ROC-AUC |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range keys {
		s := m[k]
		fmt.Fprintf(w, "| %s | %d | %d | %.1f%% | %.3f | %.3f | %.3f%s | %s%s | %s |\n", k, s.N, s.Positives,
			s.FlaggedShare*100, s.Precision, s.Recall, s.F1, ci(s.F1CI), num(s.PRAUC), ci(s.PRAUCCI), num(s.ROCAUC))
	}
}

func recallTable(w io.Writer, rs []Recall, other string) {
	fmt.Fprintf(w, "| name | n | share | %s |\n|---|---:|---:|---|\n", other)
	for _, g := range rs {
		fmt.Fprintf(w, "| %s | %d | %.3f | %s |\n", g.Name, g.N, g.Recall, strings.Join(g.Missed, " "))
	}
}

func resultTable(w io.Writer, rs []Result) {
	fmt.Fprint(w, "| id | lang | score | rules | title |\n|---|---|---:|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %.1f | %s | %s |\n", r.ID, r.Lang, r.Score, strings.Join(r.Rules, " "), cell(r.Title))
	}
}

func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ").Replace(s)
}

// ci renders an interval as " (low–high)", or "" when there is none.
func ci(iv Interval) string {
	if math.IsNaN(float64(iv.Low)) || math.IsNaN(float64(iv.High)) {
		return ""
	}
	return fmt.Sprintf(" (%.2f–%.2f)", float64(iv.Low), float64(iv.High))
}

func num(f Float) string {
	x := float64(f)
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.IsInf(x, 0) {
		return "none"
	}
	return fmt.Sprintf("%.3f", x)
}

func sortedKeys(m map[string]Summary) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
