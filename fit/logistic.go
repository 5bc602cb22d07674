package fit

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Data is a sparse design matrix: Rows[i] lists the features (0 ≤ j <
// NFeatures) that are non-zero for example i; Y[i] is its label. When
// Vals is nil every listed feature is 1 (a binary matrix); otherwise
// Vals[i][k] is the value of feature Rows[i][k].
type Data struct {
	Rows      [][]int32
	Vals      [][]float64
	Y         []bool
	NFeatures int
}

// Subset returns the examples at idx.
func (d Data) Subset(idx []int) Data {
	s := Data{Rows: make([][]int32, len(idx)), Y: make([]bool, len(idx)), NFeatures: d.NFeatures}
	if d.Vals != nil {
		s.Vals = make([][]float64, len(idx))
	}
	for k, i := range idx {
		s.Rows[k], s.Y[k] = d.Rows[i], d.Y[i]
		if d.Vals != nil {
			s.Vals[k] = d.Vals[i]
		}
	}
	return s
}

// vals returns the values of example i (nil: all 1).
func (d Data) vals(i int) []float64 {
	if d.Vals == nil {
		return nil
	}
	return d.Vals[i]
}

// Options configure Train. The zero value fits an unconstrained model
// with lambda 0 from zero.
type Options struct {
	// Lambda is the L2 strength: the objective is the mean log-loss plus
	// Lambda/2 · Σ (w_j − Prior_j)². The bias is not regularised.
	Lambda float64
	// FeatureLambda, when not nil, is an L2 strength per feature that
	// replaces Lambda for that feature; NaN entries use Lambda. A hybrid
	// model keeps the strength the rules-only fit chose for its rule
	// features while the text features are cross-validated.
	FeatureLambda []float64
	// Prior is the weight each feature is pulled towards; nil is zero.
	// With the current weights of a pack as prior, rules the data says
	// nothing about keep their weight.
	Prior []float64
	// Lower and Upper bound each weight (projected gradient); nil is
	// unbounded.
	Lower, Upper []float64
	// Init and InitBias start the descent (warm start); nil starts at
	// Prior, clipped to the bounds.
	Init     []float64
	InitBias float64
	// MaxIter bounds the iterations. Default 3000.
	MaxIter int
	// Tol stops when no weight moves more than Tol in an iteration.
	// Default 1e-6.
	Tol float64
}

// BiasLimit bounds the bias, as rule packs do.
const BiasLimit = 20

// Model is a fitted logistic model.
type Model struct {
	Bias float64
	W    []float64
	// Iter is how many iterations ran; Converged whether Tol was reached.
	Iter      int
	Converged bool
}

// Logit returns the linear score of an example.
func (m Model) Logit(row []int32) float64 {
	z := m.Bias
	for _, j := range row {
		z += m.W[j]
	}
	return z
}

// LogitVals returns the linear score of an example with feature values
// (vals nil: all 1).
func (m Model) LogitVals(row []int32, vals []float64) float64 {
	if vals == nil {
		return m.Logit(row)
	}
	z := m.Bias
	for k, j := range row {
		z += m.W[j] * vals[k]
	}
	return z
}

// Prob returns the probability that an example is positive.
func (m Model) Prob(row []int32) float64 { return sigmoid(m.Logit(row)) }

// ProbVals returns the probability that an example with feature values
// is positive.
func (m Model) ProbVals(row []int32, vals []float64) float64 {
	return sigmoid(m.LogitVals(row, vals))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// logLoss is log(1+exp(-s·z)) for s = ±1, computed stably.
func logLoss(z float64, y bool) float64 {
	if !y {
		z = -z
	}
	if z > 0 {
		return math.Log1p(math.Exp(-z))
	}
	return -z + math.Log1p(math.Exp(z))
}

// ErrNoData is returned for data without examples.
var ErrNoData = errors.New("fit: no examples")

// Train minimises the regularised mean log-loss by accelerated projected
// gradient descent (FISTA with backtracking and adaptive restart). The
// problem is convex, so the result does not depend on the start.
func Train(ctx context.Context, d Data, o Options) (Model, error) {
	n := len(d.Rows)
	if n == 0 {
		return Model{}, ErrNoData
	}
	if len(d.Y) != n {
		return Model{}, fmt.Errorf("fit: %d rows, %d labels", n, len(d.Y))
	}
	if d.Vals != nil {
		if len(d.Vals) != n {
			return Model{}, fmt.Errorf("fit: %d rows, %d value rows", n, len(d.Vals))
		}
		for i, row := range d.Rows {
			if len(d.Vals[i]) != len(row) {
				return Model{}, fmt.Errorf("fit: row %d has %d features, %d values", i, len(row), len(d.Vals[i]))
			}
		}
	}
	p := d.NFeatures
	for name, v := range map[string][]float64{"prior": o.Prior, "lower": o.Lower, "upper": o.Upper, "init": o.Init, "feature lambda": o.FeatureLambda} {
		if v != nil && len(v) != p {
			return Model{}, fmt.Errorf("fit: %s has %d values for %d features", name, len(v), p)
		}
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 3000
	}
	if o.Tol <= 0 {
		o.Tol = 1e-6
	}
	prior := o.Prior
	if prior == nil {
		prior = make([]float64, p)
	}
	lam := make([]float64, p)
	for j := range lam {
		lam[j] = o.Lambda
		if o.FeatureLambda != nil && !math.IsNaN(o.FeatureLambda[j]) {
			lam[j] = o.FeatureLambda[j]
		}
	}
	project := func(w []float64, b *float64) {
		for j := range w {
			if o.Lower != nil && w[j] < o.Lower[j] {
				w[j] = o.Lower[j]
			}
			if o.Upper != nil && w[j] > o.Upper[j] {
				w[j] = o.Upper[j]
			}
		}
		*b = math.Max(-BiasLimit, math.Min(BiasLimit, *b))
	}
	x := make([]float64, p)
	copy(x, prior)
	if o.Init != nil {
		copy(x, o.Init)
	}
	xb := o.InitBias
	project(x, &xb)

	z := make([]float64, n)
	// eval returns the objective at (w, b) and, if g != nil, its gradient.
	eval := func(w []float64, b float64, g []float64, gb *float64) float64 {
		f := 0.0
		for i, row := range d.Rows {
			zi := b
			if vs := d.vals(i); vs != nil {
				for k, j := range row {
					zi += w[j] * vs[k]
				}
			} else {
				for _, j := range row {
					zi += w[j]
				}
			}
			z[i] = zi
			f += logLoss(zi, d.Y[i])
		}
		f /= float64(n)
		reg := 0.0
		for j := range w {
			dw := w[j] - prior[j]
			reg += lam[j] * dw * dw
		}
		f += reg / 2
		if g == nil {
			return f
		}
		for j := range g {
			g[j] = lam[j] * (w[j] - prior[j])
		}
		*gb = 0
		inv := 1 / float64(n)
		for i, row := range d.Rows {
			r := sigmoid(z[i]) * inv
			if d.Y[i] {
				r -= inv
			}
			*gb += r
			if vs := d.vals(i); vs != nil {
				for k, j := range row {
					g[j] += r * vs[k]
				}
			} else {
				for _, j := range row {
					g[j] += r
				}
			}
		}
		return f
	}

	y := append([]float64(nil), x...)
	yb := xb
	g := make([]float64, p)
	var gb float64
	next := make([]float64, p)
	step := 1.0
	t := 1.0
	fx := eval(x, xb, nil, nil)
	m := Model{}
	for m.Iter = 1; m.Iter <= o.MaxIter; m.Iter++ {
		if m.Iter%50 == 0 && ctx.Err() != nil {
			return Model{}, ctx.Err()
		}
		fy := eval(y, yb, g, &gb)
		var fn, nb float64
		for {
			for j := range next {
				next[j] = y[j] - step*g[j]
			}
			nb = yb - step*gb
			project(next, &nb)
			// Sufficient decrease for the quadratic upper bound.
			lin, sq := (nb-yb)*gb, (nb-yb)*(nb-yb)
			for j := range next {
				dj := next[j] - y[j]
				lin += dj * g[j]
				sq += dj * dj
			}
			fn = eval(next, nb, nil, nil)
			if fn <= fy+lin+sq/(2*step)+1e-12 || step < 1e-12 {
				break
			}
			step /= 2
		}
		moved := math.Abs(nb - xb)
		for j := range next {
			moved = math.Max(moved, math.Abs(next[j]-x[j]))
		}
		if fn > fx {
			// Adaptive restart: momentum overshot.
			t = 1
			copy(y, x)
			yb = xb
			continue
		}
		tNext := (1 + math.Sqrt(1+4*t*t)) / 2
		beta := (t - 1) / tNext
		for j := range next {
			y[j] = next[j] + beta*(next[j]-x[j])
		}
		yb = nb + beta*(nb-xb)
		project(y, &yb)
		copy(x, next)
		xb, fx, t = nb, fn, tNext
		step *= 1.1
		if moved < o.Tol {
			m.Converged = true
			break
		}
	}
	m.W, m.Bias = x, xb
	return m, nil
}
