package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lurewatch/lure/redact"
)

// BenchmarkCampaign measures the campaign queries over benchAds ads
// spread over 24 weeks (the default 12-week period holds half of them).
func BenchmarkCampaign(b *testing.B) {
	const benchAds = 10000
	s, err := Open(context.Background(), b.TempDir()+"/lure.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	regions := []string{"MD/Chișinău", "MD/Bălți", "UA/Kyiv", "UA/Odesa", "RO/Iași", ""}
	for i := range benchAds {
		v := verdict(fmt.Sprint("b", i), fmt.Sprint("site", i%7), float64(i%100), i%3 == 0, start)
		v.Ad.Crawled = time.Time{}
		v.Ad.Posted = start.Add(time.Duration(i%168) * 24 * time.Hour)
		v.Ad.ContentHash = v.Ad.Hash()
		v.Entities.Region, v.Entities.Category = regions[i%len(regions)], "other"
		v.Entities.Destinations = []string{"TR", "DE"}[i%2:]
		if _, err := s.Upsert(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	p, _ := NewPeriod(start.AddDate(0, 0, 84), start.AddDate(0, 0, 167))
	b.Run("campaign", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Campaign(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aim", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Aim(ctx, p, AimOptions{Redact: redact.String}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
