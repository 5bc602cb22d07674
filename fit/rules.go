package fit

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// Scorer scores one ad; *classifier.Classifier is one.
type Scorer interface {
	Score(ctx context.Context, a ad.Ad) ad.Verdict
}

// MinWeight is the smallest magnitude a fitted rule weight takes: a pack
// rule must have a non-zero weight, so a rule the data does not support
// is kept at ±MinWeight (and listed in the diff for removal).
const MinWeight = 0.01

// RuleFeatures are the rule hits of labelled ads as a design matrix: one
// feature per rule of the pack, 1 when the rule fired and counted (a hit
// whose weight the classifier set to 0 because a stronger rule of the same
// signal covered it does not count).
type RuleFeatures struct {
	Pack *rules.Pack
	Data Data
	// Verdicts are the verdicts the features come from.
	Verdicts []ad.Verdict
}

// ExtractRules scores every ad with s, built from pack.
func ExtractRules(ctx context.Context, s Scorer, pack *rules.Pack, ads []ad.Ad, labels []bool) (RuleFeatures, error) {
	if len(ads) != len(labels) {
		return RuleFeatures{}, fmt.Errorf("fit: %d ads, %d labels", len(ads), len(labels))
	}
	index := make(map[string]int32, len(pack.Rules))
	for i, r := range pack.Rules {
		index[r.ID] = int32(i)
	}
	rf := RuleFeatures{Pack: pack, Data: Data{NFeatures: len(pack.Rules), Y: slices.Clone(labels)}}
	for _, a := range ads {
		if err := ctx.Err(); err != nil {
			return RuleFeatures{}, err
		}
		v := s.Score(ctx, a)
		var row []int32
		for _, h := range v.Hits {
			j, ok := index[h.Rule]
			if !ok {
				return RuleFeatures{}, fmt.Errorf("fit: verdict names rule %s, which is not in pack %s", h.Rule, pack.Version)
			}
			if h.Weight != 0 {
				row = append(row, j)
			}
		}
		slices.Sort(row)
		rf.Data.Rows = append(rf.Data.Rows, row)
		rf.Verdicts = append(rf.Verdicts, v)
	}
	return rf, nil
}

// RuleOptions returns training options for the rules of pack: the current
// weights as prior (rules the data never sees keep theirs) or zero when
// fromZero, weights of negative signals bounded to [−10, −MinWeight] and
// the others to [MinWeight, 10], starting from the current weights and
// bias.
func RuleOptions(pack *rules.Pack, fromZero bool) Options {
	n := len(pack.Rules)
	o := Options{Prior: make([]float64, n), Lower: make([]float64, n), Upper: make([]float64, n),
		Init: make([]float64, n), InitBias: pack.Model.Bias}
	for j, r := range pack.Rules {
		o.Init[j] = r.Weight
		if !fromZero {
			o.Prior[j] = r.Weight
		}
		if rules.IsNegative(r.Signal) {
			o.Lower[j], o.Upper[j] = -10, -MinWeight
		} else {
			o.Lower[j], o.Upper[j] = MinWeight, 10
		}
	}
	return o
}

// Weights turns a model fitted on rule features into a weights file,
// rounded to three decimals, naming only the rules whose weight changed.
func (rf RuleFeatures) Weights(m Model, lambda float64) rules.Weights {
	w := rules.Weights{Pack: rf.Pack.Version, Lambda: lambda, Bias: round3(m.Bias), Rules: map[string]float64{}}
	for j, r := range rf.Pack.Rules {
		v := round3(m.W[j])
		if v == 0 {
			v = math.Copysign(MinWeight, m.W[j])
		}
		if v != r.Weight {
			w.Rules[r.ID] = v
		}
	}
	return w
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// Change is one rule's weight before and after a fit.
type Change struct {
	Rule, Signal string
	Old, New     float64
	// Pos and Neg count the deceptive and legit training ads on which the
	// rule fired and counted.
	Pos, Neg int
}

// Diff lists the weight changes w makes to the pack, largest change first,
// with how often each rule fired in the training data. The bias comes
// first as rule "(bias)".
func (rf RuleFeatures) Diff(w rules.Weights) []Change {
	pos := make([]int, rf.Data.NFeatures)
	neg := make([]int, rf.Data.NFeatures)
	for i, row := range rf.Data.Rows {
		for _, j := range row {
			if rf.Data.Y[i] {
				pos[j]++
			} else {
				neg[j]++
			}
		}
	}
	var out []Change
	for j, r := range rf.Pack.Rules {
		if v, ok := w.Rules[r.ID]; ok {
			out = append(out, Change{Rule: r.ID, Signal: r.Signal, Old: r.Weight, New: v, Pos: pos[j], Neg: neg[j]})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if c := cmpFloat(math.Abs(b.New-b.Old), math.Abs(a.New-a.Old)); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	bias := Change{Rule: "(bias)", Old: rf.Pack.Model.Bias, New: w.Bias, Pos: countTrue(rf.Data.Y), Neg: len(rf.Data.Y) - countTrue(rf.Data.Y)}
	return append([]Change{bias}, out...)
}

func countTrue(y []bool) int {
	n := 0
	for _, v := range y {
		if v {
			n++
		}
	}
	return n
}
