package classifier

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// BenchmarkScore scores the realistic ads of testdata/ads.json in turn;
// ads/s is reported as a metric.
func BenchmarkScore(b *testing.B) {
	c := newDefault(b)
	var ads []ad.Ad
	for _, f := range loadAds(b) {
		ads = append(ads, f.ad())
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Score(ctx, ads[i%len(ads)])
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "ads/s")
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		newDefault(b)
	}
}
