package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/redact"
	"github.com/lurewatch/lure/store"
)

func ExampleStore_Campaign() {
	dir, err := os.MkdirTemp("", "lure-store")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	for i, risky := range []bool{true, false, true} {
		id := fmt.Sprint("ad", i)
		v := ad.Verdict{V: ad.Version, Score: 20, Band: ad.BandLow, Flagged: risky, RulePack: "demo-1",
			Ad: ad.Ad{V: ad.Version, ID: id, Site: "demo", URL: "https://demo.example/" + id, Kind: ad.KindJob,
				Title: "Work abroad", Posted: time.Date(2025, 3, 3+7*i, 9, 0, 0, 0, time.UTC)}.WithHash(),
			Entities: ad.Entities{Region: "MD/Chișinău", Category: "hostess_entertainment"},
			Hits: []ad.Hit{{Rule: "en.free-visa", Weight: 1, Signal: "debt_travel",
				Evidence: []ad.Span{{Field: ad.FieldBody, Text: "free visa, call Anna +373 68 000 111"}}}}}
		if _, err := s.Upsert(ctx, v); err != nil {
			log.Fatal(err)
		}
	}
	p, _ := store.NewPeriod(time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 23, 0, 0, 0, 0, time.UTC))
	c, _ := s.Campaign(ctx, p)
	fmt.Printf("%d ads, %d risky, rate %.2f\n", c.Total, c.Risky, c.Rate)
	for _, w := range c.Weeks {
		fmt.Println(w.Week, w.Total, w.Risky)
	}
	a, _ := s.Aim(ctx, p, store.AimOptions{Redact: redact.String})
	fmt.Println(a.Regions[0].Value, a.Regions[0].Risky, a.Regions[0].Wordings[0].Text)
	// Output:
	// 3 ads, 2 risky, rate 0.67
	// 2025-03-03 1 1
	// 2025-03-10 1 0
	// 2025-03-17 1 1
	// MD/Chișinău 2 free visa, call [name] [phone]
}
