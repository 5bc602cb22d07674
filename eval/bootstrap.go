package eval

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Interval is a two-sided 95 % percentile bootstrap confidence interval.
type Interval struct {
	Low  Float `json:"low"`
	High Float `json:"high"`
}

// bootstrap resamples pts (with replacement, n draws, a fixed seed so that
// reports are reproducible) rounds times and returns 95 % intervals for
// F1 at threshold and for average precision. Resamples without a positive
// are skipped for average precision.
func bootstrap(pts []Point, threshold float64, rounds int) (f1, ap Interval) {
	nan := Interval{Float(math.NaN()), Float(math.NaN())}
	if rounds <= 0 || len(pts) == 0 {
		return nan, nan
	}
	s := slices.Clone(pts)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Score > s[j].Score })
	rng := rand.New(rand.NewPCG(1, uint64(len(s))))
	w := make([]int, len(s))
	var f1s, aps []float64
	for range rounds {
		clear(w)
		for range len(s) {
			w[rng.IntN(len(s))]++
		}
		var c Counts
		for i, p := range s {
			for range w[i] {
				c.Add(p.Positive, p.Score >= threshold)
			}
		}
		f1s = append(f1s, c.F1())
		if a := weightedAP(s, w); !math.IsNaN(a) {
			aps = append(aps, a)
		}
	}
	return percentiles(f1s), percentiles(aps)
}

// weightedAP is AveragePrecision over s (sorted by score, descending) with
// point i counted w[i] times.
func weightedAP(s []Point, w []int) float64 {
	pos := 0
	for i, p := range s {
		if p.Positive {
			pos += w[i]
		}
	}
	if pos == 0 {
		return math.NaN()
	}
	ap, tp, fp, prevTP := 0.0, 0, 0, 0
	for i, p := range s {
		if p.Positive {
			tp += w[i]
		} else {
			fp += w[i]
		}
		if i < len(s)-1 && s[i+1].Score == p.Score {
			continue
		}
		if tp > prevTP {
			ap += float64(tp-prevTP) / float64(pos) * float64(tp) / float64(tp+fp)
			prevTP = tp
		}
	}
	return ap
}

func percentiles(xs []float64) Interval {
	if len(xs) == 0 {
		return Interval{Float(math.NaN()), Float(math.NaN())}
	}
	slices.Sort(xs)
	at := func(q float64) Float {
		i := int(math.Round(q * float64(len(xs)-1)))
		return Float(xs[i])
	}
	return Interval{Low: at(0.025), High: at(0.975)}
}
