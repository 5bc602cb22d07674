package network

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/internal/netgen"
)

// pairScores returns the pairwise precision and recall of predicted
// clusters against true posters.
func pairScores(truth, pred []string) (precision, recall float64) {
	type key struct{ t, p string }
	both, byT, byP := map[key]int{}, map[string]int{}, map[string]int{}
	for i := range truth {
		both[key{truth[i], pred[i]}]++
		byT[truth[i]]++
		byP[pred[i]]++
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, predPairs, truePairs float64
	for _, n := range both {
		tp += pairs(n)
	}
	for _, n := range byP {
		predPairs += pairs(n)
	}
	for _, n := range byT {
		truePairs += pairs(n)
	}
	precision, recall = 1, 1
	if predPairs > 0 {
		precision = tp / predPairs
	}
	if truePairs > 0 {
		recall = tp / truePairs
	}
	return precision, recall
}

func TestPairScores(t *testing.T) {
	for _, tc := range []struct {
		name        string
		truth, pred []string
		p, r        float64
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, 1, 1},
		{"all merged", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"}, 2.0 / 6, 1},
		{"all split", []string{"a", "a", "b", "b"}, []string{"w", "x", "y", "z"}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, r := pairScores(tc.truth, tc.pred)
			if p != tc.p || r != tc.r {
				t.Errorf("precision, recall = %v, %v; want %v, %v", p, r, tc.p, tc.r)
			}
		})
	}
}

// TestAccuracy clusters generated ads with known posters and fails when
// pairwise precision or recall falls below 0.95.
func TestAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts netgen.Options
	}{
		{"default", netgen.Options{Seed: 1}},
		{"many posters", netgen.Options{Seed: 2, Posters: 150, MaxAds: 10, Unrelated: 300}},
		{"big groups", netgen.Options{Seed: 3, Posters: 20, MinAds: 10, MaxAds: 40, Unrelated: 100}},
		{"2k ads, seed 10", netgen.Options{Seed: 10, Posters: 200, Unrelated: 400}},
		{"2k ads, seed 11", netgen.Options{Seed: 11, Posters: 200, Unrelated: 400}},
		{"2k ads, seed 12", netgen.Options{Seed: 12, Posters: 200, Unrelated: 400}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(context.Background(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ads := netgen.Generate(tc.opts)
			for _, a := range ads {
				if _, err := e.Add(context.Background(), a.V); err != nil {
					t.Fatal(err)
				}
			}
			truth, pred := make([]string, len(ads)), make([]string, len(ads))
			for i, a := range ads {
				truth[i] = string(rune(a.Poster))
				j, _ := e.g.lookup(a.V.Ad.ID)
				pred[i], _ = e.g.clusterOf(j)
			}
			p, r := pairScores(truth, pred)
			t.Logf("%d ads: pairwise precision %.4f, recall %.4f", len(ads), p, r)
			if p < 0.95 || r < 0.95 {
				t.Errorf("precision %.4f, recall %.4f; want both ≥ 0.95", p, r)
			}
		})
	}
}
