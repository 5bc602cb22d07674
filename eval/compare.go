package eval

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
)

// SliceChange is the quality of one slice of the data under a baseline
// and a candidate scorer.
type SliceChange struct {
	Slice           string  `json:"slice"`
	Base            Summary `json:"base"`
	Candidate       Summary `json:"candidate"`
	NewlyFlagged    int     `json:"newly_flagged"`
	NoLongerFlagged int     `json:"no_longer_flagged"`
}

// FlagChange is one ad whose flag differs between the two scorers.
type FlagChange struct {
	Result
	BaseScore float64 `json:"base_score"`
	// Flagged is the candidate's flag (the baseline's is the opposite).
	Flagged bool `json:"flagged"`
}

// Comparison is a shadow evaluation: the same records scored by a
// baseline (the pack in use) and a candidate (a pack to promote).
type Comparison struct {
	BaseThreshold, CandidateThreshold float64
	Slices                            []SliceChange
	// Changes lists the ads whose flag would change, those that would
	// become wrong first, then by the size of the score change.
	Changes []FlagChange
}

// Compare measures base and candidate, the results of the same records
// in the same order, per slice: overall, per file, per language, per
// kind and per group of Groups.
func Compare(base, cand []Result, baseTh, candTh float64) (Comparison, error) {
	if len(base) != len(cand) {
		return Comparison{}, fmt.Errorf("eval: %d baseline results, %d candidate results", len(base), len(cand))
	}
	for i := range base {
		if base[i].Source != cand[i].Source || base[i].ID != cand[i].ID {
			return Comparison{}, fmt.Errorf("eval: result %d is %s in the baseline, %s in the candidate", i, base[i].Source, cand[i].Source)
		}
	}
	c := Comparison{BaseThreshold: baseTh, CandidateThreshold: candTh}
	slice := func(name string, idx []int) {
		b := make([]Result, len(idx))
		n := make([]Result, len(idx))
		sc := SliceChange{Slice: name}
		for k, i := range idx {
			b[k], n[k] = base[i], cand[i]
			bf, nf := base[i].Score >= baseTh, cand[i].Score >= candTh
			if nf && !bf {
				sc.NewlyFlagged++
			} else if bf && !nf {
				sc.NoLongerFlagged++
			}
		}
		sc.Base = summarise(b, ReportOptions{Threshold: baseTh})
		sc.Candidate = summarise(n, ReportOptions{Threshold: candTh})
		c.Slices = append(c.Slices, sc)
	}
	all := make([]int, len(base))
	for i := range all {
		all[i] = i
	}
	slice("all", all)
	for _, by := range []struct {
		prefix string
		key    func(Result) string
	}{{"file ", fileOf}, {"lang ", func(r Result) string { return r.Lang }}, {"kind ", func(r Result) string { return r.Kind }}} {
		groups := map[string][]int{}
		for i, r := range base {
			groups[by.key(r)] = append(groups[by.key(r)], i)
		}
		if len(groups) < 2 {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(groups)) {
			slice(by.prefix+k, groups[k])
		}
	}
	for _, g := range Groups {
		var idx []int
		for i, r := range base {
			if g.Match(r) {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 && len(idx) < len(base) {
			slice("group "+g.Name, idx)
		}
	}
	for i := range base {
		bf, nf := base[i].Score >= baseTh, cand[i].Score >= candTh
		if bf != nf {
			c.Changes = append(c.Changes, FlagChange{Result: cand[i], BaseScore: base[i].Score, Flagged: nf})
		}
	}
	slices.SortStableFunc(c.Changes, func(a, b FlagChange) int {
		aw, bw := a.Flagged != a.Deceptive, b.Flagged != b.Deceptive
		if aw != bw {
			if aw {
				return -1
			}
			return 1
		}
		return cmp.Compare(math.Abs(b.Score-b.BaseScore), math.Abs(a.Score-a.BaseScore))
	})
	return c, nil
}

// WriteMarkdown prints the comparison: a table of slices and the ads
// whose flag would change (at most maxChanges; 0: all).
func (c Comparison) WriteMarkdown(w io.Writer, maxChanges int) error {
	fmt.Fprintf(w, "## Shadow comparison: baseline → candidate (thresholds %g → %g)\n\n", c.BaseThreshold, c.CandidateThreshold)
	fmt.Fprintf(w, "| slice | ads | deceptive | F1 | precision | recall | legit flagged | PR-AUC | ROC-AUC | newly flagged | no longer flagged |\n|---|---:|---:|---|---|---|---|---|---|---:|---:|\n")
	for _, s := range c.Slices {
		b, n := s.Base, s.Candidate
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %d → %d | %s | %s | %d | %d |\n", s.Slice, n.N, n.Positives,
			arrow(b.F1, n.F1), arrow(b.Precision, n.Precision), arrow(b.Recall, n.Recall), b.Counts.FP, n.Counts.FP,
			arrow(float64(b.PRAUC), float64(n.PRAUC)), arrow(float64(b.ROCAUC), float64(n.ROCAUC)), s.NewlyFlagged, s.NoLongerFlagged)
	}
	fmt.Fprintf(w, "\n### Ads whose flag would change (%d)\n\n", len(c.Changes))
	if len(c.Changes) == 0 {
		_, err := fmt.Fprintln(w, "None: the candidate flags exactly the ads the baseline flags.")
		return err
	}
	fmt.Fprintf(w, "| ad | source | lang | label | score | change | title |\n|---|---|---|---|---:|---|---|\n")
	for i, ch := range c.Changes {
		if maxChanges > 0 && i == maxChanges {
			fmt.Fprintf(w, "\n… and %d more.\n", len(c.Changes)-maxChanges)
			break
		}
		label, change := "legit", "no longer flagged"
		if ch.Deceptive {
			label = "deceptive"
		}
		if ch.Flagged {
			change = "newly flagged"
		}
		if ch.Flagged != ch.Deceptive {
			change += " (wrong)"
		} else {
			change += " (right)"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.2f → %.2f | %s | %s |\n", cell(ch.ID), ch.Source, ch.Lang, label, ch.BaseScore, ch.Score, change, cell(ch.Title))
	}
	return nil
}

func arrow(a, b float64) string {
	f := func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		return fmt.Sprintf("%.3f", v)
	}
	if f(a) == f(b) {
		return f(b)
	}
	return f(a) + " → " + f(b)
}
