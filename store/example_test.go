package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

func Example() {
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

	v := ad.Verdict{
		V: ad.Version, Score: 82, Band: ad.BandHigh, Flagged: true, RulePack: "demo-1",
		Ad: ad.Ad{V: ad.Version, ID: "ad1", Site: "demo", URL: "https://demo.example/1",
			Kind: ad.KindJob, Title: "Work abroad, free visa", ContentHash: "h1"},
	}
	changed, _ := s.Upsert(ctx, v)
	fmt.Println("first write changed:", changed)
	changed, _ = s.Upsert(ctx, v)
	fmt.Println("replay changed:", changed)

	flagged := true
	ads, total, _ := s.List(ctx, store.Filter{Flagged: &flagged})
	fmt.Println(total, ads[0].Ad.Title)
	// Output:
	// first write changed: true
	// replay changed: false
	// 1 Work abroad, free visa
}
