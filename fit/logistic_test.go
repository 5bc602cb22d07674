package fit

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// synthetic draws n examples of nf independent binary features (each on
// with probability 0.3) labelled by a logistic model with the given
// weights and bias.
func synthetic(n int, w []float64, bias float64, seed uint64) Data {
	r := rand.New(rand.NewPCG(seed, seed+1))
	d := Data{NFeatures: len(w)}
	for range n {
		var row []int32
		z := bias
		for j := range w {
			if r.Float64() < 0.3 {
				row = append(row, int32(j))
				z += w[j]
			}
		}
		d.Rows = append(d.Rows, row)
		d.Y = append(d.Y, r.Float64() < sigmoid(z))
	}
	return d
}

func TestTrainRecoversWeights(t *testing.T) {
	truth := []float64{2, -1.5, 0, 1}
	d := synthetic(20000, truth, -1, 7)
	m, err := Train(context.Background(), d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Converged {
		t.Fatalf("not converged after %d iterations", m.Iter)
	}
	for j, w := range truth {
		if math.Abs(m.W[j]-w) > 0.15 {
			t.Errorf("w[%d] = %.3f, want %.1f ± 0.15", j, m.W[j], w)
		}
	}
	if math.Abs(m.Bias+1) > 0.15 {
		t.Errorf("bias = %.3f, want -1 ± 0.15", m.Bias)
	}
}

func TestTrainOptions(t *testing.T) {
	truth := []float64{2, -1.5, 0}
	d := synthetic(3000, truth, -1, 3)
	d.NFeatures = 4 // feature 3 never occurs
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		opts  Options
		check func(t *testing.T, m Model)
	}{
		{"bounds hold", Options{Lower: []float64{0.01, 0.01, 0.01, 0.01}, Upper: []float64{10, 10, 10, 10}}, func(t *testing.T, m Model) {
			if m.W[1] != 0.01 {
				t.Errorf("negative truth, lower bound 0.01: w[1] = %v", m.W[1])
			}
			if m.W[0] < 1.5 {
				t.Errorf("w[0] = %v, want near 2", m.W[0])
			}
		}},
		{"unseen feature keeps its prior", Options{Lambda: 0.01, Prior: []float64{0, 0, 0, 3}}, func(t *testing.T, m Model) {
			if math.Abs(m.W[3]-3) > 1e-6 {
				t.Errorf("w[3] = %v, want prior 3", m.W[3])
			}
		}},
		{"strong lambda shrinks to the prior", Options{Lambda: 100}, func(t *testing.T, m Model) {
			for j, w := range m.W {
				if math.Abs(w) > 0.01 {
					t.Errorf("w[%d] = %v, want ≈ 0", j, w)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Train(ctx, d, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, m)
		})
	}
}

func TestTrainErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		d    Data
		o    Options
		want string
	}{
		{"no data", Data{NFeatures: 1}, Options{}, "no examples"},
		{"labels", Data{Rows: [][]int32{{0}}, NFeatures: 1}, Options{}, "labels"},
		{"prior length", Data{Rows: [][]int32{{0}}, Y: []bool{true}, NFeatures: 1}, Options{Prior: []float64{1, 2}}, "prior"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Train(ctx, tc.d, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Train(cancelled, synthetic(100, []float64{1}, 0, 1), Options{Tol: 1e-300, MaxIter: 1000}); err == nil {
		t.Fatal("cancelled context: no error")
	}
}

func TestFolds(t *testing.T) {
	y := make([]bool, 103)
	for i := range 23 {
		y[i*4] = true
	}
	f := Folds(y, 5, 1)
	pos := make([]int, 5)
	all := make([]int, 5)
	for i, k := range f {
		all[k]++
		if y[i] {
			pos[k]++
		}
	}
	for k := range 5 {
		if pos[k] < 4 || pos[k] > 5 || all[k] < 20 || all[k] > 21 {
			t.Errorf("fold %d: %d positives of %d", k, pos[k], all[k])
		}
	}
}

func TestCrossValidate(t *testing.T) {
	ctx := context.Background()
	d := synthetic(600, []float64{2, -1, 0, 0, 0, 0}, -1, 11)
	res, err := CrossValidate(ctx, d, Options{}, 5, []float64{10, 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if res.BestLambda() != 0.01 {
		t.Errorf("selected %v; a strength of 10 wipes out real signal", res.BestLambda())
	}
	if s := res.Scores[res.Best]; s.ROCAUC < 0.7 || s.PRAUC < 0.4 {
		t.Errorf("out-of-fold ROC-AUC %.3f PR-AUC %.3f", s.ROCAUC, s.PRAUC)
	}
	few := Data{Rows: [][]int32{{0}, {0}, {}}, Y: []bool{true, false, false}, NFeatures: 1}
	if _, err := CrossValidate(ctx, few, Options{}, 5, nil); err == nil {
		t.Fatal("5 folds on one positive: no error")
	}
}
