package fit

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lurewatch/lure/eval"
)

// DefaultLambdas is the grid CrossValidate searches by default.
var DefaultLambdas = []float64{1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001}

// Folds assigns each example to one of k folds, stratified by label and
// shuffled with a fixed seed so that a run is reproducible.
func Folds(y []bool, k int, seed uint64) []int {
	fold := make([]int, len(y))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for _, label := range []bool{true, false} {
		var idx []int
		for i, v := range y {
			if v == label {
				idx = append(idx, i)
			}
		}
		r.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for n, i := range idx {
			fold[i] = n % k
		}
	}
	return fold
}

// LambdaScore is the out-of-fold quality of one regularisation strength.
type LambdaScore struct {
	Lambda  float64
	LogLoss float64 // mean out-of-fold log-loss, the selection criterion
	PRAUC   float64
	ROCAUC  float64
	// OOF are the out-of-fold probabilities, one per example.
	OOF []float64
}

// CVResult is the outcome of CrossValidate.
type CVResult struct {
	Folds  int
	Scores []LambdaScore // in the order of the grid
	Best   int           // index into Scores with the lowest log-loss
}

// AtEdge reports whether the selected strength is the smallest or largest
// of the grid: the best value may lie outside it.
func (r CVResult) AtEdge() bool {
	lo, hi := r.Scores[r.Best].Lambda, r.Scores[r.Best].Lambda
	for _, s := range r.Scores {
		lo, hi = min(lo, s.Lambda), max(hi, s.Lambda)
	}
	return len(r.Scores) > 1 && (r.Scores[r.Best].Lambda == lo || r.Scores[r.Best].Lambda == hi)
}

// BestLambda returns the selected regularisation strength.
func (r CVResult) BestLambda() float64 { return r.Scores[r.Best].Lambda }

// CrossValidate fits o (with each lambda of the grid, nil for
// DefaultLambdas) on k−1 folds and predicts the k-th, for every fold,
// and selects the lambda with the lowest out-of-fold log-loss. Within a
// fold the grid is walked from strong to weak regularisation with warm
// starts.
func CrossValidate(ctx context.Context, d Data, o Options, k int, lambdas []float64) (CVResult, error) {
	if lambdas == nil {
		lambdas = DefaultLambdas
	}
	if len(lambdas) == 0 {
		return CVResult{}, fmt.Errorf("fit: empty lambda grid")
	}
	pos := 0
	for _, v := range d.Y {
		if v {
			pos++
		}
	}
	if k < 2 || pos < k || len(d.Y)-pos < k {
		return CVResult{}, fmt.Errorf("fit: %d-fold cross-validation needs at least %d examples of each label (have %d deceptive, %d legit)", k, k, pos, len(d.Y)-pos)
	}
	order := make([]int, len(lambdas))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return -cmpFloat(lambdas[a], lambdas[b]) })
	res := CVResult{Folds: k, Scores: make([]LambdaScore, len(lambdas))}
	for i, l := range lambdas {
		res.Scores[i] = LambdaScore{Lambda: l, OOF: make([]float64, len(d.Y))}
	}
	fold := Folds(d.Y, k, 1)
	for f := range k {
		var train, test []int
		for i, fi := range fold {
			if fi == f {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		td := d.Subset(train)
		oo := o
		for _, li := range order {
			oo.Lambda = lambdas[li]
			m, err := Train(ctx, td, oo)
			if err != nil {
				return CVResult{}, err
			}
			oo.Init, oo.InitBias = m.W, m.Bias
			for _, i := range test {
				res.Scores[li].OOF[i] = m.ProbVals(d.Rows[i], d.vals(i))
			}
		}
	}
	for i := range res.Scores {
		s := &res.Scores[i]
		pts := make([]eval.Point, len(d.Y))
		for j, p := range s.OOF {
			pts[j] = eval.Point{Score: p, Positive: d.Y[j]}
			pc := math.Min(math.Max(p, 1e-15), 1-1e-15)
			if d.Y[j] {
				s.LogLoss -= math.Log(pc)
			} else {
				s.LogLoss -= math.Log(1 - pc)
			}
		}
		s.LogLoss /= float64(len(d.Y))
		s.PRAUC, s.ROCAUC = eval.AveragePrecision(pts), eval.ROCAUC(pts)
		if s.LogLoss < res.Scores[res.Best].LogLoss {
			res.Best = i
		}
	}
	return res, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
