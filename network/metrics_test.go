package network

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	e, err := New(context.Background(), Options{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	a := verdict("m1", "s", "Москва", "Продам гараж", "+79001234501")
	b := verdict("m2", "s", "Москва", "Куплю дачу", "+79001234501")
	for _, v := range []ad.Verdict{a, b, a} { // the second a is a replay
		if _, err := e.Add(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	b.Ad.Body += " Срочно."
	b.Ad.ContentHash = b.Ad.Hash()
	if _, err := e.Add(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    prometheus.Collector
		want float64
	}{
		{m.Ads.WithLabelValues("new"), 2},
		{m.Ads.WithLabelValues("replay"), 1},
		{m.Ads.WithLabelValues("changed"), 1},
		{m.Links.WithLabelValues("contact"), 1},
		{m.Links.WithLabelValues("template"), 0},
	} {
		if got := testutil.ToFloat64(tc.c); got != tc.want {
			t.Errorf("%v = %v, want %v", tc.c, got, tc.want)
		}
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 5 {
		t.Errorf("series = %d, %v; want 5 created up front", n, err)
	}
}
