package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// verdict builds a valid verdict for tests.
func verdict(id, site string, score float64, flagged bool, crawled time.Time) ad.Verdict {
	band := ad.BandLow
	switch {
	case score >= 70:
		band = ad.BandHigh
	case score >= 40:
		band = ad.BandMedium
	}
	a := ad.Ad{
		V: ad.Version, ID: id, Site: site, URL: "https://" + site + "/ad/" + id,
		Kind: ad.KindJob, Lang: "ru", Title: "Работа " + id, Body: "Текст объявления " + id,
		Crawled: crawled,
	}
	a.ContentHash = a.Hash()
	return ad.Verdict{
		V: ad.Version, Ad: a, Score: score, Band: band, Flagged: flagged,
		RulePack: "2025.03.1", ScoredAt: crawled.Add(time.Minute),
		Hits: []ad.Hit{{Rule: "ru.free-travel", Weight: 1.5, Signal: "debt_bondage",
			Evidence: []ad.Span{{Field: "body", Start: 0, End: 10, Text: "Текст"}}}},
	}
}

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lure.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.Upsert(ctx, verdict("a1", "s1", 80, true, t0)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	for i := range 2 {
		s2, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		var n int
		if err := s2.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		ms, _ := migrations()
		if n != len(ms) {
			t.Errorf("reopen %d: %d migrations recorded, want %d", i, n, len(ms))
		}
		if _, err := s2.Get(ctx, "a1"); err != nil {
			t.Errorf("reopen %d: data lost: %v", i, err)
		}
		var mode string
		if err := s2.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q (%v), want wal", mode, err)
		}
		s2.Close()
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (9999, 'future.sql', 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("Open of a newer schema succeeded")
	}
}

func TestUpsertIdempotent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	v := verdict("a1", "s1", 80, true, t0)

	changed, err := s.Upsert(ctx, v)
	if err != nil || !changed {
		t.Fatalf("first Upsert = %v, %v; want true, nil", changed, err)
	}
	var firstSeen string
	s.db.QueryRowContext(ctx, `SELECT first_seen FROM ads WHERE id='a1'`).Scan(&firstSeen)

	for i := range 3 {
		changed, err = s.Upsert(ctx, v)
		if err != nil || changed {
			t.Fatalf("replay %d = %v, %v; want false, nil", i, changed, err)
		}
	}
	got, err := s.Get(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("Get = %+v\nwant %+v", got, v)
	}

	tests := []struct {
		name    string
		mutate  func(*ad.Verdict)
		changed bool
	}{
		{"new content hash", func(v *ad.Verdict) {
			v.Ad.Body = "new body"
			v.Ad.ContentHash = v.Ad.Hash()
			v.Score = 20
			v.Band = ad.BandLow
			v.Flagged = false
			v.ScoredAt = t0.Add(time.Hour)
		}, true},
		{"same again", func(v *ad.Verdict) {}, false},
		{"new rule pack", func(v *ad.Verdict) { v.RulePack = "2025.04.1"; v.ScoredAt = t0.Add(2 * time.Hour) }, true},
		{"stale replay of older pack", func(v *ad.Verdict) { v.RulePack = "2025.02.1"; v.ScoredAt = t0 }, false},
	}
	cur := v
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := cur
			tc.mutate(&next)
			changed, err := s.Upsert(ctx, next)
			if err != nil {
				t.Fatal(err)
			}
			if changed != tc.changed {
				t.Fatalf("changed = %v, want %v", changed, tc.changed)
			}
			if changed {
				cur = next
			}
			got, err := s.Get(ctx, "a1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, cur) {
				t.Errorf("stored %+v\nwant %+v", got, cur)
			}
			var fs string
			s.db.QueryRowContext(ctx, `SELECT first_seen FROM ads WHERE id='a1'`).Scan(&fs)
			if fs != firstSeen {
				t.Errorf("first_seen changed from %s to %s", firstSeen, fs)
			}
		})
	}
}

func TestGetNotFound(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.Get(context.Background(), "nope")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(nope) = %v, want ErrNotFound", err)
	}
}

func ids(vs []ad.Verdict) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Ad.ID)
	}
	return out
}

func TestListAndStats(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	fill := []ad.Verdict{
		verdict("a", "s1", 90, true, t0),
		verdict("b", "s1", 90, true, t0.Add(time.Hour)), // same score, newer crawl: before a
		verdict("c", "s2", 75, true, t0),
		verdict("d", "s2", 50, false, t0),
		verdict("e", "s1", 10, false, t0),
		verdict("f", "s3", 90, true, t0.Add(time.Hour)), // ties with b: id order
	}
	fill[3].Ad.Kind = ad.KindMarriage
	fill[4].Ad.Lang = "ro"
	for _, v := range fill {
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	tests := []struct {
		name  string
		f     Filter
		want  []string
		total int
	}{
		{"all", Filter{}, []string{"b", "f", "a", "c", "d", "e"}, 6},
		{"flagged", Filter{Flagged: &yes}, []string{"b", "f", "a", "c"}, 4},
		{"not flagged", Filter{Flagged: &no}, []string{"d", "e"}, 2},
		{"site", Filter{Site: "s1"}, []string{"b", "a", "e"}, 3},
		{"band", Filter{Band: "high"}, []string{"b", "f", "a", "c"}, 4},
		{"kind", Filter{Kind: "marriage"}, []string{"d"}, 1},
		{"lang", Filter{Lang: "ro"}, []string{"e"}, 1},
		{"ids", Filter{IDs: []string{"e", "a", "zz"}}, []string{"a", "e"}, 2},
		{"empty ids", Filter{IDs: []string{}}, []string{}, 0},
		{"page 1", Filter{Limit: 2}, []string{"b", "f"}, 6},
		{"page 2", Filter{Limit: 2, Offset: 2}, []string{"a", "c"}, 6},
		{"past end", Filter{Offset: 10}, []string{}, 6},
		{"combined", Filter{Flagged: &yes, Site: "s2"}, []string{"c"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.List(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tc.want) || total != tc.total {
				t.Errorf("List = %v (total %d), want %v (total %d)", ids(got), total, tc.want, tc.total)
			}
		})
	}
	if _, _, err := s.List(ctx, Filter{Limit: -1}); err == nil {
		t.Error("List(limit -1) succeeded")
	}

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{
		Total: 6, Flagged: 4,
		ByBand: map[ad.Band]int{ad.BandHigh: 4, ad.BandMedium: 1, ad.BandLow: 1},
		BySite: map[string]int{"s1": 3, "s2": 2, "s3": 1},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func TestListLimitCapped(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for i := range MaxLimit + 5 {
		v := verdict(string(rune('A'+i%26))+string(rune('a'+i/26%26))+string(rune('0'+i/676)), "s", 50, false, t0)
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	got, total, err := s.List(ctx, Filter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxLimit || total != MaxLimit+5 {
		t.Errorf("List(limit 10000) = %d ads (total %d), want %d (total %d)", len(got), total, MaxLimit, MaxLimit+5)
	}
	got, _, _ = s.List(ctx, Filter{})
	if len(got) != DefaultLimit {
		t.Errorf("List() = %d ads, want default %d", len(got), DefaultLimit)
	}
}

func TestConcurrentUpserts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	errc := make(chan error, 8)
	for w := range 8 {
		go func() {
			var err error
			for i := range 20 {
				v := verdict(string(rune('a'+w))+string(rune('a'+i)), "s", float64(i), false, t0)
				if _, e := s.Upsert(ctx, v); e != nil && err == nil {
					err = e
				}
			}
			errc <- err
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Total != 160 {
		t.Fatalf("Stats = %+v, %v; want 160 ads", st, err)
	}
}
