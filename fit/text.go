package fit

import (
	"math"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/textmodel"
)

// Hybrid is the design matrix of a joint model: the rule features of a
// pack (0 ≤ j < R, as in RuleFeatures) followed by the hashed text
// features of package textmodel (feature R+b is bucket b), so that one
// regularised logistic model weighs the rules and the words together.
type Hybrid struct {
	Rules  RuleFeatures
	Config textmodel.Config
	Data   Data
}

// NewHybrid adds the text features of ads (the ads rf was extracted from,
// in the same order) to rf.
func NewHybrid(rf RuleFeatures, c textmodel.Config, ads []ad.Ad) Hybrid {
	r := rf.Data.NFeatures
	d := Data{NFeatures: r + 1<<c.Bits, Y: rf.Data.Y,
		Rows: make([][]int32, len(ads)), Vals: make([][]float64, len(ads))}
	for i := range ads {
		v := c.Vectorise(&ads[i])
		row := make([]int32, 0, len(rf.Data.Rows[i])+len(v.Buckets))
		vals := make([]float64, 0, cap(row))
		for _, j := range rf.Data.Rows[i] {
			row = append(row, j)
			vals = append(vals, 1)
		}
		for k, b := range v.Buckets {
			row = append(row, int32(r)+b)
			vals = append(vals, v.Values[k])
		}
		d.Rows[i], d.Vals[i] = row, vals
	}
	return Hybrid{Rules: rf, Config: c, Data: d}
}

// TextRow returns the features of one ad the hybrid was not built from.
func (h Hybrid) TextRow(ruleRow []int32, a *ad.Ad) ([]int32, []float64) {
	r := h.Rules.Data.NFeatures
	v := h.Config.Vectorise(a)
	row := append([]int32(nil), ruleRow...)
	vals := make([]float64, len(ruleRow), len(ruleRow)+len(v.Buckets))
	for k := range vals {
		vals[k] = 1
	}
	for k, b := range v.Buckets {
		row = append(row, int32(r)+b)
		vals = append(vals, v.Values[k])
	}
	return row, vals
}

// Options returns training options for the hybrid: the rule features as
// RuleOptions (signs kept, prior the current weights unless fromZero),
// regularised with ruleLambda (the strength cross-validation chose for
// the rules alone) whatever Options.Lambda the text features get, or,
// when ruleLambda is NaN, with Options.Lambda as the text features; the
// text features unbounded with prior 0.
func (h Hybrid) Options(fromZero bool, ruleLambda float64) Options {
	o := RuleOptions(h.Rules.Pack, fromZero)
	r := len(o.Prior)
	n := h.Data.NFeatures - r
	o.FeatureLambda = make([]float64, r+n)
	for j := range o.FeatureLambda {
		o.FeatureLambda[j] = math.NaN()
		if j < r {
			o.FeatureLambda[j] = ruleLambda
		}
	}
	o.Prior = append(o.Prior, make([]float64, n)...)
	o.Init = append(o.Init, make([]float64, n)...)
	for range n {
		o.Lower = append(o.Lower, math.Inf(-1))
		o.Upper = append(o.Upper, math.Inf(1))
	}
	return o
}

// Split returns the rule part of a model fitted on the hybrid (for
// RuleFeatures.Weights) and its text model. Text weights smaller than
// prune in magnitude are dropped (set to 0).
func (h Hybrid) Split(m Model, prune float64) (Model, *textmodel.Model, error) {
	r := h.Rules.Data.NFeatures
	rm := Model{Bias: m.Bias, W: m.W[:r], Iter: m.Iter, Converged: m.Converged}
	w := make([]float32, 1<<h.Config.Bits)
	for b := range w {
		v := m.W[r+b]
		if math.Abs(v) >= prune {
			w[b] = float32(math.Max(-textmodel.MaxWeight, math.Min(textmodel.MaxWeight, v)))
		}
	}
	tm, err := textmodel.New(h.Config, w)
	return rm, tm, err
}
