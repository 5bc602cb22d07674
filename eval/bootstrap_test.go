package eval

import (
	"math"
	"testing"
)

func TestWeightedAPMatches(t *testing.T) {
	ps := pts(0.9, true, 0.8, false, 0.8, true, 0.7, true, 0.2, false, 0.2, false)
	s := append([]Point(nil), ps...) // already sorted by score, descending
	w := []int{1, 1, 1, 1, 1, 1}
	if got, want := weightedAP(s, w), AveragePrecision(ps); !near(got, want) {
		t.Fatalf("weightedAP with unit weights %v, AveragePrecision %v", got, want)
	}
	// Counting point 0 twice is the same as listing it twice.
	w[0] = 2
	twice := append(pts(0.9, true), ps...)
	if got, want := weightedAP(s, w), AveragePrecision(twice); !near(got, want) {
		t.Fatalf("weightedAP with a double weight %v, AveragePrecision %v", got, want)
	}
}

func TestBootstrap(t *testing.T) {
	var ps []Point
	for i := range 120 {
		ps = append(ps, Point{Score: float64(i % 17), Positive: i%3 == 0 != (i%17 < 4)})
	}
	const th = 8
	var c Counts
	for _, p := range ps {
		c.Add(p.Positive, p.Score >= th)
	}
	f1, ap := bootstrap(ps, th, 400)
	if !(float64(f1.Low) <= c.F1() && c.F1() <= float64(f1.High)) || f1.Low >= f1.High {
		t.Errorf("F1 %.3f outside its interval %+v", c.F1(), f1)
	}
	if a := AveragePrecision(ps); !(float64(ap.Low) <= a && a <= float64(ap.High)) {
		t.Errorf("AP %.3f outside its interval %+v", a, ap)
	}
	f1b, apb := bootstrap(ps, th, 400)
	if f1b != f1 || apb != ap {
		t.Errorf("not reproducible: %+v %+v vs %+v %+v", f1, ap, f1b, apb)
	}
	// A perfect ranking stays perfect in every resample.
	var perfect []Point
	for i := range 40 {
		perfect = append(perfect, Point{Score: float64(i), Positive: i >= 20})
	}
	f1p, app := bootstrap(perfect, 19.5, 200)
	if f1p.Low != 1 || f1p.High != 1 || !near(float64(app.Low), 1) || !near(float64(app.High), 1) {
		t.Errorf("perfect: %+v %+v", f1p, app)
	}
	if none, _ := bootstrap(ps, th, 0); !math.IsNaN(float64(none.Low)) {
		t.Errorf("rounds 0 gave %+v", none)
	}
}

func BenchmarkBootstrap(b *testing.B) {
	var ps []Point
	for i := range 1500 {
		ps = append(ps, Point{Score: float64(i % 97), Positive: i%25 == 0})
	}
	for b.Loop() {
		bootstrap(ps, 50, 1000)
	}
}
