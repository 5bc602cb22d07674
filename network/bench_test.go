package network

import (
	"context"
	"strconv"
	"testing"

	"github.com/lurewatch/lure/internal/netgen"
)

// BenchmarkAdd assigns generated templated ads to clusters in memory,
// shingling included (bench.Network runs it at 1M ads for make bench).
func BenchmarkAdd(b *testing.B) {
	ads := netgen.Generate(netgen.Options{Seed: 5, Posters: 1000, Unrelated: 1000})
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := ads[i%len(ads)].V
		v.Ad.ID = strconv.Itoa(i) // every ad new
		if _, err := e.Add(context.Background(), v); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSign is the shingling and MinHash share of BenchmarkAdd.
func BenchmarkSign(b *testing.B) {
	ads := netgen.Generate(netgen.Options{Seed: 5, Posters: 100, Unrelated: 100})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := ads[i%len(ads)].V.Ad
		Sign(Shingles(Tokens(a.Title, a.Body, a.Location)))
		i++
	}
}
