package eval

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// DefaultWorst is how many of the worst misses a report lists each way
// when ReportOptions.Worst is 0.
const DefaultWorst = 10

// ReportOptions configure Compute. The zero value works except for
// Threshold, which callers take from the rule pack's model.
type ReportOptions struct {
	// Threshold is the score at or above which an ad counts as flagged.
	Threshold float64
	// FPRs are the false-positive rates to report recall at. Default 1 %
	// and 5 %.
	FPRs []float64
	// Worst is how many of the worst misses to list each way. Default
	// DefaultWorst.
	Worst int
	// Bootstrap is the number of bootstrap resamples for the confidence
	// intervals of F1 and PR-AUC; 0 computes none.
	Bootstrap int
	// Weights are the rule weights of the pack, shown beside each rule's
	// counts; nil shows none.
	Weights map[string]float64
}

// Summary is the quality of one slice of the data.
type Summary struct {
	N         int     `json:"n"`
	Positives int     `json:"positives"`
	Counts    Counts  `json:"confusion"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// FlaggedShare is the share of all ads flagged.
	FlaggedShare float64 `json:"flagged_share"`
	// PRAUC is average precision; NaN (null in JSON) without positives.
	PRAUC Float `json:"pr_auc"`
	// ROCAUC is NaN (null in JSON) without both classes.
	ROCAUC Float `json:"roc_auc"`
	// F1CI and PRAUCCI are 95 % bootstrap intervals (null when
	// ReportOptions.Bootstrap is 0): how much the numbers could move on
	// another sample of the same size.
	F1CI    Interval `json:"f1_ci"`
	PRAUCCI Interval `json:"pr_auc_ci"`
	// RecallAtFPR holds the recall at each of ReportOptions.FPRs.
	RecallAtFPR []AtFPR `json:"recall_at_fpr,omitempty"`
}

// AtFPR is the recall reachable at a false-positive rate.
type AtFPR struct {
	FPR       float64 `json:"fpr"`
	Recall    Float   `json:"recall"`
	Threshold Float   `json:"threshold"`
}

// RuleStat counts the hits of one rule.
type RuleStat struct {
	Rule string `json:"rule"`
	// Weight is the rule's weight in the pack (negative for rules that
	// speak for legitimacy), from ReportOptions.Weights; 0 when unknown.
	Weight float64 `json:"weight"`
	// Hits on deceptive and on legit ads.
	Deceptive int `json:"deceptive"`
	Legit     int `json:"legit"`
	// FlaggedLegit counts the legit ads the rule hit that were flagged:
	// the false positives it took part in.
	FlaggedLegit int `json:"flagged_legit"`
	// Precision is Deceptive/(Deceptive+Legit).
	Precision float64 `json:"precision"`
}

// Recall is the recall of the deceptive ads of one group (a signal or a
// variant).
type Recall struct {
	Name    string   `json:"name"`
	N       int      `json:"n"`
	Flagged int      `json:"flagged"`
	Recall  float64  `json:"recall"`
	Missed  []string `json:"missed,omitempty"`
}

// Report is the outcome of an evaluation.
type Report struct {
	Threshold float64 `json:"threshold"`
	Overall   Summary `json:"overall"`
	// Thresholds compares the flag threshold with the observed score of
	// the best F1.
	Thresholds struct {
		Default AtThreshold `json:"default"`
		BestF1  AtThreshold `json:"best_f1"`
	} `json:"thresholds"`
	Calibration Calibration        `json:"calibration"`
	ByLang      map[string]Summary `json:"by_lang"`
	ByKind      map[string]Summary `json:"by_kind"`
	// ByFile is keyed by the file part of Result.Source.
	ByFile map[string]Summary `json:"by_file"`
	// Groups are the slices defined by Groups, each with its definition.
	Groups []GroupStat `json:"groups"`
	// Indicators are per labelled indicator, worst first.
	Indicators []IndicatorStat `json:"indicators,omitempty"`
	Rules      []RuleStat      `json:"rules"`
	Signals    []Recall        `json:"signals,omitempty"`
	Variants   []Recall        `json:"variants,omitempty"`
	// LegitPassRate is the share of legit ads per variant not flagged.
	LegitVariants []Recall `json:"legit_variants,omitempty"`
	// WorstLegit are the highest-scored legit ads; WorstDeceptive the
	// lowest-scored deceptive ones.
	WorstLegit     []Result `json:"worst_legit"`
	WorstDeceptive []Result `json:"worst_deceptive"`
}

// Compute measures the results.
func Compute(results []Result, opts ReportOptions) Report {
	if opts.FPRs == nil {
		opts.FPRs = []float64{0.01, 0.05}
	}
	if opts.Worst <= 0 {
		opts.Worst = DefaultWorst
	}
	rep := Report{Threshold: opts.Threshold, ByLang: map[string]Summary{}, ByKind: map[string]Summary{}, ByFile: map[string]Summary{}}
	rep.Overall = summarise(results, opts)
	pts := make([]Point, len(results))
	for i, r := range results {
		pts[i] = Point{Score: r.Score, Positive: r.Deceptive}
	}
	rep.Thresholds.Default = atThreshold(opts.Threshold, rep.Overall.Counts)
	rep.Thresholds.BestF1 = atThreshold(BestF1(pts))
	rep.Calibration = calibrate(results)
	for _, g := range groupBy(results, func(r Result) string { return r.Lang }) {
		rep.ByLang[g.key] = summarise(g.rs, opts)
	}
	for _, g := range groupBy(results, func(r Result) string { return r.Kind }) {
		rep.ByKind[g.key] = summarise(g.rs, opts)
	}
	for _, g := range groupBy(results, fileOf) {
		rep.ByFile[g.key] = summarise(g.rs, opts)
	}
	rep.Groups = groupStats(results, opts)
	rep.Indicators = indicatorStats(results, opts.Threshold)
	rep.Rules = ruleStats(results, opts.Threshold, opts.Weights)
	var deceptive, legit []Result
	for _, r := range results {
		if r.Deceptive {
			deceptive = append(deceptive, r)
		} else {
			legit = append(legit, r)
		}
	}
	rep.Signals = recalls(deceptive, opts.Threshold, func(r Result) []string { return r.Signals }, true)
	rep.Variants = recalls(deceptive, opts.Threshold, variantOf, true)
	rep.LegitVariants = recalls(legit, opts.Threshold, variantOf, false)
	slices.SortStableFunc(legit, func(a, b Result) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID)) })
	slices.SortStableFunc(deceptive, func(a, b Result) int { return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(a.ID, b.ID)) })
	rep.WorstLegit = legit[:min(opts.Worst, len(legit))]
	rep.WorstDeceptive = deceptive[:min(opts.Worst, len(deceptive))]
	return rep
}

// fileOf is the file part of a "file:line" source.
func fileOf(r Result) string {
	if i := strings.LastIndexByte(r.Source, ':'); i >= 0 {
		return r.Source[:i]
	}
	return r.Source
}

func variantOf(r Result) []string {
	if r.Variant == "" {
		return nil
	}
	return []string{r.Variant}
}

func summarise(rs []Result, opts ReportOptions) Summary {
	var s Summary
	pts := make([]Point, len(rs))
	flagged := 0
	for i, r := range rs {
		f := r.Score >= opts.Threshold
		if f {
			flagged++
		}
		s.Counts.Add(r.Deceptive, f)
		if r.Deceptive {
			s.Positives++
		}
		pts[i] = Point{Score: r.Score, Positive: r.Deceptive}
	}
	s.N = len(rs)
	s.Precision, s.Recall, s.F1 = s.Counts.Precision(), s.Counts.Recall(), s.Counts.F1()
	s.FlaggedShare = ratio(flagged, len(rs))
	s.PRAUC = Float(AveragePrecision(pts))
	s.ROCAUC = Float(ROCAUC(pts))
	s.F1CI, s.PRAUCCI = bootstrap(pts, opts.Threshold, opts.Bootstrap)
	if s.Positives > 0 && s.Positives < s.N {
		for _, fpr := range opts.FPRs {
			rec, th := RecallAtFPR(pts, fpr)
			s.RecallAtFPR = append(s.RecallAtFPR, AtFPR{FPR: fpr, Recall: Float(rec), Threshold: Float(th)})
		}
	}
	return s
}

type group struct {
	key string
	rs  []Result
}

func groupBy(rs []Result, key func(Result) string) []group {
	idx := map[string]int{}
	var gs []group
	for _, r := range rs {
		k := key(r)
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, group{key: k})
		}
		gs[i].rs = append(gs[i].rs, r)
	}
	return gs
}

func ruleStats(rs []Result, threshold float64, weights map[string]float64) []RuleStat {
	by := map[string]*RuleStat{}
	for _, r := range rs {
		for _, id := range uniq(r.Rules) {
			st := by[id]
			if st == nil {
				st = &RuleStat{Rule: id, Weight: weights[id]}
				by[id] = st
			}
			switch {
			case r.Deceptive:
				st.Deceptive++
			default:
				st.Legit++
				if r.Score >= threshold {
					st.FlaggedLegit++
				}
			}
		}
	}
	out := make([]RuleStat, 0, len(by))
	for _, st := range by {
		st.Precision = ratio(st.Deceptive, st.Deceptive+st.Legit)
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Deceptive+a.Legit != b.Deceptive+b.Legit {
			return a.Deceptive+a.Legit > b.Deceptive+b.Legit
		}
		return a.Rule < b.Rule
	})
	return out
}

// recalls groups rs by names (a result may be in several groups) and
// counts, for wantFlagged, the share flagged, or else the share not
// flagged; Missed lists the ids that went the other way.
func recalls(rs []Result, threshold float64, names func(Result) []string, wantFlagged bool) []Recall {
	by := map[string]*Recall{}
	for _, r := range rs {
		for _, n := range uniq(names(r)) {
			g := by[n]
			if g == nil {
				g = &Recall{Name: n}
				by[n] = g
			}
			g.N++
			if (r.Score >= threshold) == wantFlagged {
				g.Flagged++
			} else {
				g.Missed = append(g.Missed, r.ID)
			}
		}
	}
	out := make([]Recall, 0, len(by))
	for _, g := range by {
		g.Recall = ratio(g.Flagged, g.N)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Recall != out[j].Recall {
			return out[i].Recall < out[j].Recall
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func uniq(xs []string) []string {
	if len(xs) < 2 {
		return xs
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}

// Float is a float64 that encodes NaN and infinities as JSON null.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return []byte(fmt.Sprintf("%.6g", x)), nil
}

// UnmarshalJSON implements json.Unmarshaler; null reads as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var x float64
	if _, err := fmt.Sscan(string(b), &x); err != nil {
		return fmt.Errorf("eval: float %s: %w", b, err)
	}
	*f = Float(x)
	return nil
}
