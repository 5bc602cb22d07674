package classifier

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/lurewatch/lure/textmodel"
)

// BenchmarkScoreText scores the development corpus with the default packs
// (rules) and with the same packs plus a text model of the default
// configuration with every bucket weighted (text), in the same run, so
// the cost of the text model is a measured ratio (x-slower).
func BenchmarkScoreText(b *testing.B) {
	ads := corpusAds(b)
	ctx := context.Background()
	c := newDefault(b)
	cfg := textmodel.DefaultConfig()
	r := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, 1<<cfg.Bits)
	for i := range w {
		w[i] = float32(r.NormFloat64())
	}
	tm, err := textmodel.New(cfg, w)
	if err != nil {
		b.Fatal(err)
	}
	p := newDefault(b).Pack()
	p.SetText(tm)
	ct, err := New(p, c.opts)
	if err != nil {
		b.Fatal(err)
	}
	var rulesNs float64
	for _, bc := range []struct {
		name string
		c    *Classifier
	}{{"rules", c}, {"text", ct}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				bc.c.Score(ctx, ads[i%len(ads)])
				i++
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(i)
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "ads/s")
			if bc.name == "rules" {
				rulesNs = ns
			} else if rulesNs > 0 {
				b.ReportMetric(ns/rulesNs, "x-slower")
			}
		})
	}
}
