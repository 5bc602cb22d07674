package classifier

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := NewMetrics(reg)
	if n := testutil.CollectAndCount(m.scored); n != 3 {
		t.Fatalf("%d band series before scoring, want 3", n)
	}
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range loadAds(t) {
		c.Score(t.Context(), f.ad())
	}
	flagged, total := 0, 0
	for _, f := range loadAds(t) {
		total++
		if f.Flag {
			flagged++
		}
	}
	if got := testutil.ToFloat64(m.scored.WithLabelValues(string(ad.BandHigh))); int(got) != flagged {
		t.Errorf("high = %v, want %d", got, flagged)
	}
	if got := testutil.ToFloat64(m.scored.WithLabelValues(string(ad.BandLow))); int(got) != total-flagged {
		t.Errorf("low = %v, want %d", got, total-flagged)
	}
	want := fmt.Sprintf(`
# HELP lure_classifier_ads_scored_total Ads scored, by band.
# TYPE lure_classifier_ads_scored_total counter
lure_classifier_ads_scored_total{band="high"} %d
lure_classifier_ads_scored_total{band="low"} %d
lure_classifier_ads_scored_total{band="medium"} 0
`, flagged, total-flagged)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "lure_classifier_ads_scored_total"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "lure_classifier_score_seconds"); err != nil || n != 1 {
		t.Errorf("histogram count %d, %v", n, err)
	}
	NewMetrics(nil) // unregistered metrics work too
	var nilM *Metrics
	nilM.observe(ad.BandLow, 1)
}
