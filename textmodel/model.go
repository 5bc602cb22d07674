package textmodel

import (
	"math"
	"slices"
	"sync"

	"github.com/lurewatch/lure/ad"
)

// Model is a fitted text model: a weight per hash bucket. Its part of an
// ad's logit is Σ w[b]·x[b] over the buckets b of the ad's feature vector
// (Config.Vectorise). A Model is safe for concurrent use.
type Model struct {
	Config Config
	// W holds 2^Config.Bits weights; most are zero.
	W []float32
	// Hash identifies the model: "tm-" and 16 hex digits of the SHA-256
	// of its file (see Parse, WriteTo).
	Hash string

	pool sync.Pool // *scratch
}

// New returns a model of c with the given weights (len 2^c.Bits).
func New(c Config, w []float32) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(w) != 1<<c.Bits {
		return nil, errorf(0, "%d weights for %d buckets", len(w), 1<<c.Bits)
	}
	for b, v := range w {
		if !validWeight(float64(v)) {
			return nil, errorf(0, "bucket %d: weight %v outside [-%d, %d]", b, v, MaxWeight, MaxWeight)
		}
	}
	m := &Model{Config: c, W: w}
	m.Hash = hashOf(m)
	return m, nil
}

// Feature is one text feature of an ad and its part of the logit.
type Feature struct {
	Kind Kind
	// Weight is w[b]·x[b]: how much the feature moved the logit.
	Weight float64
	// Span is the feature's first occurrence in the original text.
	Span ad.Span
}

// Result is the text model's part of one ad's score.
type Result struct {
	// Logit is Σ w·x over all features of the ad.
	Logit float64
	// Top are the features that moved the logit most, at most the number
	// asked for, largest |Weight| first, with evidence spans that do not
	// overlap; Rest is Logit minus their weights.
	Top  []Feature
	Rest float64
}

// seen is a distinct bucket of one ad and where it was first seen.
type seen struct {
	bucket uint32
	kind   Kind
	field  uint8
	s, e   int32 // original byte range
}

type scratch struct {
	scanner
	stampW, stampC []uint32 // per bucket: gen when seen in this ad
	gen            uint32
	distinct       []seen
	nw, nc         int
	sw, sc         float64
}

func (m *Model) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	n := 1 << m.Config.Bits
	return &scratch{stampW: make([]uint32, n), stampC: make([]uint32, n)}
}

// Score returns the text model's part of the logit of a and the top
// features that moved it (top ≤ 0: none, which is cheaper).
func (m *Model) Score(a *ad.Ad, top int) Result {
	s := m.getScratch()
	defer m.pool.Put(s)
	s.gen++
	if s.gen == 0 {
		clear(s.stampW)
		clear(s.stampC)
		s.gen = 1
	}
	s.distinct = s.distinct[:0]
	s.nw, s.nc, s.sw, s.sc = 0, 0, 0, 0
	explain := top > 0
	for fi, f := range ad.Fields {
		text := a.Field(f)
		if text == "" {
			continue
		}
		mt, _ := s.views.Of(truncate(text))
		m.Config.scan(&s.scanner, mt.S, func(o occurrence) {
			stamp, n, sum := s.stampC, &s.nc, &s.sc
			if o.kind == Word {
				stamp, n, sum = s.stampW, &s.nw, &s.sw
			}
			if stamp[o.bucket] == s.gen {
				return
			}
			stamp[o.bucket] = s.gen
			*n++
			w := m.W[o.bucket]
			*sum += float64(w)
			if explain && w != 0 {
				os, oe := mt.Orig(int(o.i), int(o.j))
				s.distinct = append(s.distinct, seen{o.bucket, o.kind, uint8(fi), int32(os), int32(oe)})
			}
		})
	}
	var xw, xc float64
	if s.nw > 0 {
		xw = m.Config.WordScale / math.Sqrt(float64(s.nw))
	}
	if s.nc > 0 {
		xc = m.Config.CharScale / math.Sqrt(float64(s.nc))
	}
	r := Result{Logit: xw*s.sw + xc*s.sc}
	if !explain {
		return r
	}
	r.Top = m.top(a, s, xw, xc, top)
	r.Rest = r.Logit
	for _, f := range r.Top {
		r.Rest -= f.Weight
	}
	return r
}

// top picks the features with the largest |w·x| whose spans do not
// overlap a feature picked before.
func (m *Model) top(a *ad.Ad, s *scratch, xw, xc float64, k int) []Feature {
	contrib := func(d seen) float64 {
		x := xc
		if d.kind == Word {
			x = xw
		}
		return float64(m.W[d.bucket]) * x
	}
	slices.SortFunc(s.distinct, func(p, q seen) int {
		cp, cq := math.Abs(contrib(p)), math.Abs(contrib(q))
		switch {
		case cp > cq:
			return -1
		case cp < cq:
			return 1
		}
		if p.field != q.field {
			return int(p.field) - int(q.field)
		}
		return int(p.s - q.s)
	})
	var out []Feature
	for _, d := range s.distinct {
		if len(out) == k {
			break
		}
		field := ad.Fields[d.field]
		overlaps := false
		for _, f := range out {
			if f.Span.Field == field && int(d.s) < f.Span.End && f.Span.Start < int(d.e) {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		text := a.Field(field)
		out = append(out, Feature{Kind: d.kind, Weight: contrib(d),
			Span: ad.Span{Field: field, Start: int(d.s), End: int(d.e), Text: text[d.s:d.e]}})
	}
	return out
}
