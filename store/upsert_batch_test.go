package store

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// upsertSequence is TestUpsertIdempotent's sequence of verdicts of one ad
// with whether each changes the store.
func upsertSequence() ([]ad.Verdict, []bool) {
	v := verdict("a1", "s1", 80, true, t0)
	vs := []ad.Verdict{v, v, v, v}
	want := []bool{true, false, false, false}
	next := v
	next.Ad.Body = "new body"
	next.Ad.ContentHash = next.Ad.Hash()
	next.Score, next.Band, next.Flagged, next.ScoredAt = 20, ad.BandLow, false, t0.Add(time.Hour)
	vs, want = append(vs, next, next), append(want, true, false) // new content hash, same again
	pack := next
	pack.RulePack, pack.ScoredAt = "2025.04.1", t0.Add(2*time.Hour)
	vs, want = append(vs, pack), append(want, true) // new rule pack
	stale := pack
	stale.RulePack, stale.ScoredAt = "2025.02.1", t0
	vs, want = append(vs, stale), append(want, false) // stale replay of an older pack
	return vs, want
}

// UpsertBatch follows Upsert's rules verdict by verdict, in one batch or
// several, and leaves the store as Upsert does.
func TestUpsertBatchMatchesUpsert(t *testing.T) {
	ctx := context.Background()
	vs, want := upsertSequence()
	others := []ad.Verdict{verdict("b", "s2", 30, false, t0), verdict("c", "s1", 95, true, t0.Add(time.Hour))}
	vs = append(vs, others...)
	want = append(want, true, true)

	one, _ := openTemp(t)
	var seq []bool
	for _, v := range vs {
		changed, err := one.Upsert(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		seq = append(seq, changed)
	}
	if !slices.Equal(seq, want) {
		t.Fatalf("Upsert changed = %v, want %v", seq, want)
	}

	for _, split := range []int{len(vs), 3, 1} {
		s, _ := openTemp(t)
		var got []bool
		for i := 0; i < len(vs); i += split {
			changed, err := s.UpsertBatch(ctx, vs[i:min(i+split, len(vs))])
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, changed...)
		}
		if !slices.Equal(got, want) {
			t.Errorf("batches of %d: changed = %v, want %v", split, got, want)
		}
		for _, id := range []string{"a1", "b", "c"} {
			a, err := one.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("batches of %d: %s stored %+v\nwant %+v", split, id, b, a)
			}
		}
		a, _, err := one.List(ctx, Filter{Limit: 10, Signal: "debt_bondage"})
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := s.List(ctx, Filter{Limit: 10, Signal: "debt_bondage"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(a), ids(b)) {
			t.Errorf("batches of %d: signal filter lists %v, want %v", split, ids(b), ids(a))
		}
		// A replay of the whole batch changes nothing.
		again, err := s.UpsertBatch(ctx, vs)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(again, true) {
			t.Errorf("batches of %d: replay changed = %v, want none", split, again)
		}
	}
}

func TestUpsertBatchAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if got, err := s.UpsertBatch(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("UpsertBatch(nil) = %v, %v", got, err)
	}
	bad := verdict("b", "s1", 50, false, t0)
	bad.Score = math.NaN() // cannot be encoded
	if _, err := s.UpsertBatch(ctx, []ad.Verdict{verdict("a", "s1", 80, true, t0), bad}); err == nil {
		t.Fatal("UpsertBatch with an unencodable verdict succeeded")
	}
	if _, err := s.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(a) after a failed batch = %v, want ErrNotFound", err)
	}
}
