package eval

import (
	"math"
	"testing"
)

func pts(xs ...any) []Point {
	var out []Point
	for i := 0; i < len(xs); i += 2 {
		out = append(out, Point{Score: xs[i].(float64), Positive: xs[i+1].(bool)})
	}
	return out
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) < 1e-9
}

func TestCurveMetrics(t *testing.T) {
	const P, N = true, false
	tests := []struct {
		name           string
		pts            []Point
		ap, auc        float64
		fpr            float64
		recall, thresh float64
	}{
		// Steps (tp,fp): 0.9 (1,0), 0.8 (1,1), 0.7 (2,1), 0.6 (2,2).
		// AP = ½·1 + ½·⅔; AUC = 3 of 4 pairs ordered.
		{"interleaved", pts(0.9, P, 0.8, N, 0.7, P, 0.6, N), 0.5 + 0.5*2.0/3, 0.75, 0, 0.5, 0.9},
		{"interleaved fpr half", pts(0.6, N, 0.7, P, 0.8, N, 0.9, P), 0.5 + 0.5*2.0/3, 0.75, 0.5, 1, 0.7},
		// A tie between a positive and a negative at 0.5 is one step
		// (1,1): AP = ½·½ + ½·⅔; AUC = (½ + 1 + 0 + 1)/4.
		{"tie at top", pts(0.5, P, 0.5, N, 0.2, P, 0.1, N), 0.25 + 0.5*2.0/3, 0.625, 0, 0, math.Inf(1)},
		{"tie at top, order swapped", pts(0.5, N, 0.5, P, 0.2, P, 0.1, N), 0.25 + 0.5*2.0/3, 0.625, 0.5, 1, 0.2},
		{"all tied", pts(1.0, P, 1.0, N, 1.0, N, 1.0, P), 0.5, 0.5, 0.99, 0, math.Inf(1)},
		{"all tied full fpr", pts(1.0, P, 1.0, N), 0.5, 0.5, 1, 1, 1},
		{"perfect", pts(3.0, P, 2.0, P, 1.0, N), 1, 1, 0, 1, 2},
		{"inverted", pts(1.0, P, 2.0, N), 0.5, 0, 0.05, 0, math.Inf(1)},
		{"no positives", pts(1.0, N, 2.0, N), math.NaN(), math.NaN(), 0.05, math.NaN(), math.Inf(1)},
		{"no negatives", pts(1.0, P, 2.0, P), 1, math.NaN(), 0.05, math.NaN(), math.Inf(1)},
		{"empty", nil, math.NaN(), math.NaN(), 0.05, math.NaN(), math.Inf(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AveragePrecision(tc.pts); !near(got, tc.ap) {
				t.Errorf("AveragePrecision = %v, want %v", got, tc.ap)
			}
			if got := ROCAUC(tc.pts); !near(got, tc.auc) {
				t.Errorf("ROCAUC = %v, want %v", got, tc.auc)
			}
			r, th := RecallAtFPR(tc.pts, tc.fpr)
			if !near(r, tc.recall) || !near(th, tc.thresh) {
				t.Errorf("RecallAtFPR(%v) = %v at %v, want %v at %v", tc.fpr, r, th, tc.recall, tc.thresh)
			}
		})
	}
}

// TestROCAUCMatchesPairs checks the trapezoid area against counting every
// positive–negative pair, on scores with many ties.
func TestROCAUCMatchesPairs(t *testing.T) {
	var ps []Point
	for i := range 200 {
		ps = append(ps, Point{Score: float64((i * 7919) % 13), Positive: (i*31)%5 < 2})
	}
	var pairs, wins float64
	for _, p := range ps {
		for _, n := range ps {
			if !p.Positive || n.Positive {
				continue
			}
			pairs++
			switch {
			case p.Score > n.Score:
				wins++
			case p.Score == n.Score:
				wins += 0.5
			}
		}
	}
	if got, want := ROCAUC(ps), wins/pairs; !near(got, want) {
		t.Fatalf("ROCAUC = %v, pair count gives %v", got, want)
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name        string
		c           Counts
		p, r, f, fp float64
	}{
		{"mixed", Counts{TP: 2, FP: 1, FN: 1, TN: 6}, 2.0 / 3, 2.0 / 3, 2.0 / 3, 1.0 / 7},
		{"none flagged", Counts{FN: 3, TN: 2}, 0, 0, 0, 0},
		{"all right", Counts{TP: 4, TN: 4}, 1, 1, 1, 0},
		{"zero", Counts{}, 0, 0, 0, 0},
		{"precision only", Counts{TP: 1, FN: 3}, 1, 0.25, 0.4, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			if !near(c.Precision(), tc.p) || !near(c.Recall(), tc.r) || !near(c.F1(), tc.f) || !near(c.FPR(), tc.fp) {
				t.Errorf("P/R/F1/FPR = %v/%v/%v/%v, want %v/%v/%v/%v", c.Precision(), c.Recall(), c.F1(), c.FPR(), tc.p, tc.r, tc.f, tc.fp)
			}
		})
	}
	var c Counts
	for _, x := range [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}, {false, false}} {
		c.Add(x[0], x[1])
	}
	if c != (Counts{TP: 1, FN: 1, FP: 1, TN: 2}) {
		t.Errorf("Add gave %+v", c)
	}
}
