package eval

import (
	"math"
	"sort"
)

// Point is one scored, labelled example.
type Point struct {
	Score    float64
	Positive bool
}

// Counts is a confusion matrix.
type Counts struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	TN int `json:"tn"`
	FN int `json:"fn"`
}

// Add counts one example flagged or not.
func (c *Counts) Add(positive, flagged bool) {
	switch {
	case positive && flagged:
		c.TP++
	case positive:
		c.FN++
	case flagged:
		c.FP++
	default:
		c.TN++
	}
}

// Precision is TP/(TP+FP), or 0 when nothing was flagged.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), or 0 without positives.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// FPR is FP/(FP+TN), or 0 without negatives.
func (c Counts) FPR() float64 { return ratio(c.FP, c.FP+c.TN) }

// F1 is the harmonic mean of precision and recall, or 0 when both are 0.
func (c Counts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// step is one distinct score threshold: every point scoring at or above it
// is flagged.
type step struct {
	threshold float64
	tp, fp    int
}

// curve returns the cumulative counts at each distinct score, highest
// first, and the totals. Tied scores form one step, so ties are never
// broken by input order.
func curve(pts []Point) (steps []step, pos, neg int) {
	s := append([]Point(nil), pts...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Score > s[j].Score })
	tp, fp := 0, 0
	for i, p := range s {
		if p.Positive {
			tp++
		} else {
			fp++
		}
		if i == len(s)-1 || s[i+1].Score != p.Score {
			steps = append(steps, step{threshold: p.Score, tp: tp, fp: fp})
		}
	}
	return steps, tp, fp
}

// AveragePrecision is the area under the precision–recall curve as
// average precision: Σ (R_k − R_{k−1}) · P_k over distinct thresholds. It
// is NaN without positives.
func AveragePrecision(pts []Point) float64 {
	steps, pos, _ := curve(pts)
	if pos == 0 {
		return math.NaN()
	}
	ap, prevTP := 0.0, 0
	for _, st := range steps {
		if st.tp > prevTP {
			ap += float64(st.tp-prevTP) / float64(pos) * float64(st.tp) / float64(st.tp+st.fp)
			prevTP = st.tp
		}
	}
	return ap
}

// ROCAUC is the area under the ROC curve: the probability that a random
// positive scores above a random negative, ties counting one half. It is
// NaN unless there are both positives and negatives.
func ROCAUC(pts []Point) float64 {
	steps, pos, neg := curve(pts)
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	area, prevTP, prevFP := 0.0, 0, 0
	for _, st := range steps {
		// Trapezoid between consecutive ROC points.
		area += float64(st.fp-prevFP) * float64(st.tp+prevTP) / 2
		prevTP, prevFP = st.tp, st.fp
	}
	return area / float64(pos) / float64(neg)
}

// RecallAtFPR is the highest recall reachable with a false-positive rate
// at or below maxFPR, and the lowest threshold that reaches it; threshold
// is +Inf when no threshold keeps the rate (recall is then 0). Recall is
// NaN without positives or negatives.
func RecallAtFPR(pts []Point, maxFPR float64) (recall, threshold float64) {
	steps, pos, neg := curve(pts)
	if pos == 0 || neg == 0 {
		return math.NaN(), math.Inf(1)
	}
	recall, threshold = 0, math.Inf(1)
	for _, st := range steps {
		if float64(st.fp)/float64(neg) > maxFPR+1e-12 {
			break
		}
		recall, threshold = float64(st.tp)/float64(pos), st.threshold
	}
	return recall, threshold
}

// BestF1 is the observed score that, as the threshold, gives the highest
// F1, with the counts there; of tied thresholds it takes the highest. The
// threshold is NaN without positives.
func BestF1(pts []Point) (threshold float64, c Counts) {
	steps, pos, neg := curve(pts)
	threshold = math.NaN()
	if pos == 0 {
		return threshold, Counts{TN: neg}
	}
	best := -1.0
	for _, st := range steps {
		sc := Counts{TP: st.tp, FP: st.fp, FN: pos - st.tp, TN: neg - st.fp}
		if f := sc.F1(); f > best {
			best, threshold, c = f, st.threshold, sc
		}
	}
	return threshold, c
}
