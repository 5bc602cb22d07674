package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

func TestEachFlagged(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("a%d", i)
		flagged := i%3 != 0
		if _, err := s.Upsert(ctx, verdict(id, "s.example", float64(10*i), flagged, now)); err != nil {
			t.Fatal(err)
		}
		if flagged {
			want = append(want, id)
		}
	}
	var got []string
	var batches int
	err := s.EachFlagged(ctx, 2, func(vs []ad.Verdict) error {
		batches++
		if len(vs) > 2 {
			t.Errorf("batch of %d, want at most 2", len(vs))
		}
		for _, v := range vs {
			if !v.Flagged {
				t.Errorf("%s is not flagged", v.Ad.ID)
			}
			got = append(got, v.Ad.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || batches != 2 {
		t.Errorf("EachFlagged = %v in %d batches, want %v in 2", got, batches, want)
	}
	stop := errors.New("stop")
	if err := s.EachFlagged(ctx, 1, func([]ad.Verdict) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error = %v, want it returned", err)
	}
}
