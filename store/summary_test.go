package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// summaryVerdict is a test verdict with several signals, some of them on
// more than one hit, a posting time on even n and its own language.
func summaryVerdict(n int) ad.Verdict {
	v := verdict(fmt.Sprintf("a%03d", n), fmt.Sprintf("s%d", n%3), float64(40+n%50), n%4 != 0, t0.Add(time.Duration(n)*time.Hour))
	v.Lang = "ro"
	if n%2 == 0 {
		v.Ad.Posted = t0.Add(-time.Duration(n) * time.Minute)
	}
	signals := []string{"debt_bondage", "visa_fee", "no_experience", "upfront_payment"}
	v.Hits = nil
	for i := range 1 + n%5 {
		v.Hits = append(v.Hits, ad.Hit{Rule: fmt.Sprintf("r%d", i), Signal: signals[(n+i)%len(signals)],
			Weight: float64((n*7+i*3)%5) - 1})
	}
	v.Hits = append(v.Hits, ad.Hit{Rule: "r.nosignal", Weight: 2})
	v.Ad.ContentHash = v.Ad.Hash()
	return v
}

// checkSummaries fails unless Summaries, for every ad, says what the
// stored verdict says, in List's order.
func checkSummaries(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []Filter{{Limit: MaxLimit}, {Limit: MaxLimit, Newest: true}, {Site: "s1", Limit: 7, Offset: 3}} {
		vs, total, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		ss, stotal, err := s.Summaries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != stotal || len(vs) != len(ss) {
			t.Fatalf("%+v: List %d of %d, Summaries %d of %d", f, len(vs), total, len(ss), stotal)
		}
		for i, v := range vs {
			want, got := Summarize(v), ss[i]
			if !want.Posted.Equal(got.Posted) || !want.Crawled.Equal(got.Crawled) {
				t.Errorf("%s: times %v %v, verdict %v %v", got.ID, got.Posted, got.Crawled, want.Posted, want.Crawled)
			}
			want.Posted, want.Crawled, got.Posted, got.Crawled = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("summary %+v\nverdict %+v", got, want)
			}
		}
	}
}

func TestRankSignals(t *testing.T) {
	v := ad.Verdict{Hits: []ad.Hit{
		{Signal: "b", Weight: 1}, {Signal: "a", Weight: 1}, {Signal: "c", Weight: 3},
		{Signal: "b", Weight: 0.5}, {Signal: "", Weight: 9}, {Signal: "d", Weight: -1},
	}}
	if got := strings.Join(RankSignals(v), ","); got != "c,b,a,d" {
		t.Errorf("RankSignals = %s, want c,b,a,d", got)
	}
	if got := Summarize(v).Top(2); !reflect.DeepEqual(got, []string{"c", "b"}) {
		t.Errorf("Top(2) = %v", got)
	}
	if got := Summarize(ad.Verdict{}).Top(3); len(got) != 0 {
		t.Errorf("Top of no hits = %v", got)
	}
}

func TestSummariesFollowWrites(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var vs []ad.Verdict
	for i := range 40 {
		vs = append(vs, summaryVerdict(i))
	}
	if _, err := s.UpsertBatch(ctx, vs); err != nil {
		t.Fatal(err)
	}
	checkSummaries(t, s)

	// Re-scored (a new rule pack): other hits, score and band.
	v := vs[5]
	v.RulePack, v.Score, v.Band = "2025.04.1", 95, ad.BandHigh
	v.Hits = []ad.Hit{{Rule: "x", Signal: "passport_retention", Weight: 4}, {Rule: "y", Signal: "visa_fee", Weight: 1}}
	v.ScoredAt = v.ScoredAt.Add(time.Hour)
	if changed, err := s.Upsert(ctx, v); err != nil || !changed {
		t.Fatalf("re-score: %v %v", changed, err)
	}
	// Re-crawled with a new title (a new content hash), one ad alone.
	w := vs[6]
	w.Ad.Title = "Новое название"
	w.Ad.ContentHash = w.Ad.Hash()
	w.ScoredAt = w.ScoredAt.Add(time.Hour)
	if changed, err := s.Upsert(ctx, w); err != nil || !changed {
		t.Fatalf("re-crawl: %v %v", changed, err)
	}
	checkSummaries(t, s)
	ss, _, err := s.Summaries(ctx, Filter{IDs: []string{v.Ad.ID, w.Ad.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 || ss[0].ID != v.Ad.ID || ss[0].Top(3)[0] != "passport_retention" || ss[1].Title != "Новое название" {
		t.Fatalf("after re-scoring: %+v", ss)
	}

	// A review changes no verdict; the list shows the same.
	if _, err := s.Apply(ctx, Change{AdIDs: []string{vs[7].Ad.ID}, Actor: "ann", Status: StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	checkSummaries(t, s)

	// An erasure rewrites the verdict, title included.
	x := summaryVerdict(40)
	x.Ad.Title = "Звоните +373 69 123 456"
	x.Entities.Phones = []string{"+37369123456"}
	x.Ad.ContentHash = x.Ad.Hash()
	if _, err := s.Upsert(ctx, x); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Privacy().EraseContact(ctx, Erasure{Keys: []string{"+37369123456"}, Actor: "admin"}, false); err != nil {
		t.Fatal(err)
	}
	checkSummaries(t, s)
	ss, _, err = s.Summaries(ctx, Filter{IDs: []string{x.Ad.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || strings.Contains(ss[0].Title, "123") || !strings.Contains(ss[0].Title, erasedPlaceholder) {
		t.Fatalf("title after erasure: %+v", ss)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ads WHERE title LIKE '%123%456%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d titles still carry the erased phone (%v)", n, err)
	}
}

// oldUpsertSQL is how ads rows were written before migration 0011.
const oldUpsertSQL = `
INSERT INTO ads (id, site, url, kind, lang, title, score, band, flagged, rule_pack,
	content_hash, posted, crawled, scored_at, first_seen, updated_at, verdict_json)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func TestMigrationFillsSummaries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lure.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, db, 10); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var vs []ad.Verdict
	now := formatTime(t0)
	for i := range 1200 { // more than one batch of fillSummaries
		v := summaryVerdict(i)
		v.Ad.ID = fmt.Sprintf("m%04d", i)
		vs = append(vs, v)
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		title := v.Ad.Title
		if i == 3 {
			title = "a title the verdict no longer has"
		}
		if _, err := tx.ExecContext(ctx, oldUpsertSQL, v.Ad.ID, v.Ad.Site, v.Ad.URL, string(v.Ad.Kind), v.Language(), title,
			v.Score, string(v.Band), v.Flagged, v.RulePack, v.Ad.ContentHash,
			nullTime(v.Ad.Posted), nullTime(v.Ad.Crawled), nullTime(v.ScoredAt), now, now, string(js)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ad_summaries`).Scan(&n); err != nil || n != len(vs) {
		t.Fatalf("%d summaries after migrating %d ads (%v)", n, len(vs), err)
	}
	checkSummaries(t, s)
	ss, total, err := s.Summaries(ctx, Filter{IDs: []string{"m0003"}})
	if err != nil || total != 1 || ss[0].Title != vs[3].Ad.Title {
		t.Fatalf("m0003 after migration: %+v %d %v", ss, total, err)
	}
	flagged := true
	all, total, err := s.Summaries(ctx, Filter{Flagged: &flagged, Limit: MaxLimit, Offset: 100})
	if err != nil || len(all) != MaxLimit || total != 900 {
		t.Fatalf("flagged page: %d of %d (%v)", len(all), total, err)
	}
}

// An ad without a summary row (none is left by the writes and the
// migration) is listed from its verdict.
func TestSummariesWithoutRow(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	v := summaryVerdict(3)
	if _, err := s.Upsert(ctx, v); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM ad_summaries`); err != nil {
		t.Fatal(err)
	}
	checkSummaries(t, s)
}

// oldRelatedSQL is Related's query before it ranked candidates from the
// (id, score) index: the answers must not change.
const oldRelatedSQL = `
WITH cand AS (
	SELECT c2.contact, c2.ad_id
	FROM ad_contacts c1
	JOIN ad_contacts c2 ON c2.contact = c1.contact AND c2.ad_id <> c1.ad_id
	WHERE c1.ad_id = ?
	LIMIT ?)
SELECT cand.contact, a.id, a.title, a.site, a.score, a.band
FROM cand JOIN ads a ON a.id = cand.ad_id
ORDER BY a.score DESC, a.id, cand.contact
LIMIT ?`

func TestRelatedRanksAsBefore(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var vs []ad.Verdict
	for i := range MaxRelatedCandidates + 300 {
		v := verdict(fmt.Sprintf("r%04d", i), fmt.Sprintf("s%d", i%3), float64(i%7*10), true, t0)
		v.Entities.Phones = []string{fmt.Sprintf("+3736900000%d", i%3)}
		if i%5 == 0 {
			v.Entities.Emails = []string{"Same@Example.org"}
		}
		vs = append(vs, v)
	}
	if _, err := s.UpsertBatch(ctx, vs); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"r0000", "r0001", "r0005", "r0777", "r2299"} {
		for _, limit := range []int{1, 50, MaxRelated} {
			got, err := s.Related(ctx, id, limit)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s.db.QueryContext(ctx, oldRelatedSQL, id, MaxRelatedCandidates, limit)
			if err != nil {
				t.Fatal(err)
			}
			want := []Related{}
			for rows.Next() {
				var r Related
				if err := rows.Scan(&r.Contact, &r.ID, &r.Title, &r.Site, &r.Score, &r.Band); err != nil {
					t.Fatal(err)
				}
				want = append(want, r)
			}
			rows.Close()
			if len(want) != limit || !reflect.DeepEqual(got, want) {
				t.Errorf("Related(%s, %d): %d ads, the old query %d; equal: %v", id, limit, len(got), len(want), reflect.DeepEqual(got, want))
			}
		}
	}
}
