package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

var retNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func snapRef(i int) string { return fmt.Sprintf("sha256:%064x", i) }

// retentionFixture seeds:
//   - n old unflagged ads (o0000…), each with its own snapshot, a review,
//     a removal and a network row with a contact, o0000 sharing its
//     snapshot with the young ad y0;
//   - young unflagged ads y0..y4;
//   - old flagged ads f0..f2 with a phone (contacts past retention);
//   - old unflagged ads n0 (in an open notice), c0 (confirmed), c1 (in c0's
//     network), w0 (in a withdrawn notice: not protected).
func retentionFixture(t testing.TB, n int) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	old, young := retNow.AddDate(0, 0, -400), retNow.AddDate(0, 0, -10)
	mk := func(id string, flagged bool, crawled time.Time, ref string) ad.Verdict {
		score := 20.0
		if flagged {
			score = 80
		}
		v := verdict(id, "s"+id[len(id)-1:], score, flagged, crawled)
		v.Ad.Snapshot = ref
		v.Ad.Contact = "тел. +373 69 " + id
		v.Entities.Region, v.Entities.Category = "MD/Chișinău", "construction"
		v.Entities.Destinations = []string{"TR"}
		v.Ad.ContentHash = v.Ad.Hash()
		return v
	}
	var vs []ad.Verdict
	for i := range n {
		vs = append(vs, mk(fmt.Sprintf("o%04d", i), false, old, snapRef(i)))
	}
	for i := range 5 {
		ref := snapRef(100000 + i)
		if i == 0 {
			ref = snapRef(0) // shared with o0000
		}
		vs = append(vs, mk(fmt.Sprintf("y%d", i), false, young, ref))
	}
	for i := range 3 {
		v := mk(fmt.Sprintf("f%d", i), true, old, snapRef(200000+i))
		v.Entities.Phones = []string{fmt.Sprintf("+3736900000%d", i)}
		v.Ad.Body += " звоните +373 69 00000" + fmt.Sprint(i)
		vs = append(vs, v)
	}
	for _, id := range []string{"n0", "c0", "c1", "w0"} {
		vs = append(vs, mk(id, false, old, ""))
	}
	for chunk := range slices.Chunk(vs, 1000) {
		if _, err := s.UpsertBatch(ctx, chunk); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	now := formatTime(retNow)
	for i := 0; i < n; i += 7 {
		id := fmt.Sprintf("o%04d", i)
		exec(`INSERT INTO reviews (ad_id, status, updated_at) VALUES (?, 'false_positive', ?)`, id, now)
		exec(`INSERT INTO ad_removals (ad_id, site, url, reason, detected_at, recorded_at) VALUES (?, 's', 'u', 'delisted', ?, ?)`, id, now, now)
		exec(`INSERT INTO network_ads (ad_id, seq, content_hash, site, seen, cluster) VALUES (?, ?, 'h', 's', ?, 'o0000')`, id, i+1, now)
		exec(`INSERT INTO network_contacts (contact, kind, ad_id) VALUES ('+37369000999', 'phone', ?)`, id)
	}
	exec(`INSERT INTO network_ads (ad_id, seq, content_hash, site, seen, cluster) VALUES ('y1', 900001, 'h', 's', ?, 'o0000')`, now)
	exec(`INSERT INTO network_ads (ad_id, seq, content_hash, site, seen, cluster) VALUES ('c0', 900002, 'h', 's', ?, 'c0')`, now)
	exec(`INSERT INTO network_ads (ad_id, seq, content_hash, site, seen, cluster) VALUES ('c1', 900003, 'h', 's', ?, 'c0')`, now)
	exec(`INSERT INTO reviews (ad_id, status, updated_at) VALUES ('c0', 'confirmed', ?)`, now)
	exec(`INSERT INTO notices (id, site, status, created_by, created_at, updated_at) VALUES (1, 's', 'sent', 'ann', ?, ?)`, now, now)
	exec(`INSERT INTO notices (id, site, status, created_by, created_at, updated_at) VALUES (2, 's', 'withdrawn', 'ann', ?, ?)`, now, now)
	exec(`INSERT INTO notice_items (notice_id, ad_id, pos, item_json) VALUES (1, 'n0', 0, '{}')`)
	exec(`INSERT INTO notice_items (notice_id, ad_id, pos, item_json) VALUES (2, 'w0', 0, '{}')`)
	exec(`INSERT INTO partner_indicators (id, partner, tlp, kind, hashed, value, imported_at) VALUES (1, 'p', 'amber', 'template', 0, 'ab', ?)`, now)
	exec(`INSERT INTO partner_ad_hashes (hash, ad_id) VALUES ('h1', 'o0007'), ('h2', 'y1')`)
	exec(`INSERT INTO partner_template_matches (indicator_id, ad_id) VALUES (1, 'o0014'), (1, 'y1')`)
	exec(`INSERT INTO webhook_subscriptions (id, name, url, sites, secret, created_at, updated_at) VALUES (1, 'p', 'https://p', '[]', 'x', ?, ?)`, now, now)
	exec(`INSERT INTO webhook_deliveries (event_id, subscription_id, ad_id, content_hash, payload, next_at, created_at, updated_at)
		VALUES ('e1', 1, 'o0001', 'h', '{}', ?, ?, ?)`, now, now, now)
	return s
}

// tableCounts counts the rows of every ad-keyed table, ads and the
// aggregates.
func tableCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range append(AdTables(), "ads", "campaign_purged", "campaign_purged_facts", "network_clusters") {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func campaignOf(t *testing.T, s *Store) (Campaign, Aim) {
	t.Helper()
	p, err := NewPeriod(retNow.AddDate(0, 0, -500), retNow)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Campaign(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Aim(context.Background(), p, AimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c, a
}

func TestPurge(t *testing.T) {
	const n = 10000
	ctx := context.Background()
	s := retentionFixture(t, n)
	camp, aim := campaignOf(t, s)
	if camp.Total != n+12 {
		t.Fatalf("campaign total before = %d", camp.Total)
	}
	before := tableCounts(t, s)

	dry, err := s.Privacy().Purge(ctx, retNow, DefaultRetention, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := tableCounts(t, s); !reflect.DeepEqual(got, before) {
		t.Fatalf("dry run changed the store:\n%v\n%v", before, got)
	}
	rep, err := s.Privacy().Purge(ctx, retNow, DefaultRetention, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dry, rep) {
		t.Fatalf("dry run reported %d/%d/%d, purge %d/%d/%d", len(dry.Ads), len(dry.Snapshots), len(dry.Contacts),
			len(rep.Ads), len(rep.Snapshots), len(rep.Contacts))
	}
	if len(rep.Ads) != n+1 || !slices.Contains(rep.Ads, "w0") || slices.Contains(rep.Ads, "n0") ||
		slices.Contains(rep.Ads, "c0") || slices.Contains(rep.Ads, "c1") {
		t.Fatalf("purged %d ads, w0 %v n0 %v", len(rep.Ads), slices.Contains(rep.Ads, "w0"), slices.Contains(rep.Ads, "n0"))
	}
	if rep.Kept != 3 {
		t.Errorf("kept = %d, want 3 (n0, c0, c1)", rep.Kept)
	}
	if want := []string{"f0", "f1", "f2"}; !reflect.DeepEqual(rep.Snapshots, want) || !reflect.DeepEqual(rep.Contacts, want) {
		t.Errorf("snapshots %v, contacts %v, want %v", rep.Snapshots, rep.Contacts, want)
	}
	// Every snapshot of o* but o0000's (shared with y0), and f*'s.
	if len(rep.SnapshotRefs) != n-1+3 || slices.Contains(rep.SnapshotRefs, snapRef(0)) || !slices.Contains(rep.SnapshotRefs, snapRef(1)) {
		t.Errorf("%d snapshot refs; shared one in: %v", len(rep.SnapshotRefs), slices.Contains(rep.SnapshotRefs, snapRef(0)))
	}

	// No orphans: nothing keyed by a missing ad, and nothing of the purged.
	for _, tb := range AdTables() {
		var orphans int
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + tb + ` WHERE ad_id NOT IN (SELECT id FROM ads)`).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Errorf("%s: %d rows of removed ads", tb, orphans)
		}
	}
	for _, tb := range []string{"partner_ad_hashes", "partner_template_matches"} {
		var left int
		s.db.QueryRow(`SELECT count(*) FROM ` + tb + ` WHERE ad_id = 'y1'`).Scan(&left)
		if left != 1 {
			t.Errorf("%s: the kept ad's row is gone", tb)
		}
	}
	var nads int
	s.db.QueryRow(`SELECT count(*) FROM ads`).Scan(&nads)
	if nads != 11 {
		t.Errorf("%d ads left, want 11", nads)
	}
	if _, err := s.Get(ctx, "o0005"); err == nil {
		t.Error("o0005 still stored")
	}
	// The cluster of purged ads: only y1 is left, so no summary row.
	var nc int
	s.db.QueryRow(`SELECT count(*) FROM network_clusters WHERE id = 'o0000'`).Scan(&nc)
	if nc != 0 {
		t.Errorf("cluster o0000 still summarised")
	}

	// Kept ads: f* lost contacts and snapshot; y*, n0, c* untouched.
	f, err := s.Get(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Ad.Contact != "" || f.Entities.Phones != nil || f.Ad.Snapshot != "" || strings.Contains(f.Ad.Body, "00000") {
		t.Errorf("f1 not redacted: %+v", f.Ad)
	}
	var fc int
	s.db.QueryRow(`SELECT count(*) FROM ad_contacts WHERE ad_id LIKE 'f%'`).Scan(&fc)
	if fc != 0 {
		t.Errorf("%d contacts of f* left", fc)
	}
	for _, id := range []string{"y0", "n0", "c0", "c1"} {
		v, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if v.Ad.Contact == "" {
			t.Errorf("%s redacted", id)
		}
	}

	// Statistics unchanged.
	camp2, aim2 := campaignOf(t, s)
	if !reflect.DeepEqual(camp, camp2) {
		t.Errorf("campaign changed:\n%+v\n%+v", camp.Count, camp2.Count)
		for _, d := range Dims {
			if !reflect.DeepEqual(camp.By[d], camp2.By[d]) {
				t.Errorf("dimension %s: %v\n%v", d, camp.By[d], camp2.By[d])
			}
		}
	}
	if !reflect.DeepEqual(aim, aim2) {
		t.Errorf("aim changed:\n%+v\n%+v", aim, aim2)
	}
	if d, err := s.LatestCampaignDay(ctx); err != nil || d.IsZero() {
		t.Errorf("latest day %v %v", d, err)
	}

	// Purging again removes nothing and keeps the counts.
	again, err := s.Privacy().Purge(ctx, retNow, DefaultRetention, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Ads)+len(again.Snapshots)+len(again.Contacts)+len(again.SnapshotRefs) != 0 {
		t.Errorf("second purge: %+v", again)
	}
	if camp3, _ := campaignOf(t, s); !reflect.DeepEqual(camp, camp3) {
		t.Error("campaign changed by a second purge")
	}
	var audits int
	s.db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'retention_purge'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d purge audit entries, want 1", audits)
	}
}

func TestPurgeZeroKeepsForever(t *testing.T) {
	s := retentionFixture(t, 20)
	before := tableCounts(t, s)
	rep, err := s.Privacy().Purge(context.Background(), retNow, Retention{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Ads)+len(rep.Snapshots)+len(rep.Contacts) != 0 || !reflect.DeepEqual(tableCounts(t, s), before) {
		t.Errorf("zero retention removed something: %+v", rep)
	}
	if _, err := s.Privacy().Purge(context.Background(), retNow, Retention{Unflagged: -1}, false); err == nil {
		t.Error("negative retention accepted")
	}
}

func TestEraseContact(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	mk := func(id string, phones []string, body, contact string) {
		v := verdict(id, "s1", 80, true, retNow)
		v.Ad.Body, v.Ad.Contact, v.Entities.Phones = body, contact, phones
		v.Ad.Snapshot = snapRef(len(id) + int(id[1]))
		v.Hits = append(v.Hits, ad.Hit{Rule: "r.contact", Weight: 1, Evidence: []ad.Span{{Field: "contact", Text: contact}}})
		v.Ad.ContentHash = v.Ad.Hash()
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	mk("a1", []string{"+37369123456"}, "Работа в Турции", "+373 69 123 456, Ион")
	mk("a2", nil, "Звоните 069-123-456 или пишите", "")
	mk("a3", []string{"+37360000000"}, "Другое объявление", "+373 60 000 000")
	now := formatTime(retNow)
	if _, err := s.db.Exec(`INSERT INTO notices (id, site, status, created_by, created_at, updated_at) VALUES (1, 's1', 'sent', 'ann', ?, ?)`, now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO notice_items (notice_id, ad_id, pos, item_json) VALUES (1, 'a1', 0, '{"evidence":["+373 69 123 456"],"url":"https://s1/ad/a1"}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO network_ads (ad_id, seq, content_hash, site, seen, cluster) VALUES ('a1', 1, 'h', 's1', ?, 'a1')`, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO network_contacts (contact, kind, ad_id) VALUES ('+37369123456', 'phone', 'a1')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO partner_indicators (partner, tlp, kind, hashed, value, imported_at) VALUES
		('p', 'amber', 'phone', 0, '+37369123456', ?), ('p', 'amber', 'phone', 1, 'c0ffee', ?)`, now, now); err != nil {
		t.Fatal(err)
	}
	e := Erasure{Keys: []string{"+37369123456"}, Written: []string{"069 123 456"}, Actor: "admin"}
	dry, err := s.Privacy().EraseContact(ctx, e, true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dry.Ads, []string{"a1", "a2"}) || dry.NoticeItems != 1 || len(dry.SnapshotRefs) != 2 || dry.PartnerIndicators != 1 {
		t.Fatalf("dry run: %+v", dry)
	}
	if v, _ := s.Get(ctx, "a1"); len(v.Entities.Phones) != 1 {
		t.Fatal("dry run erased")
	}
	rep, err := s.Privacy().EraseContact(ctx, e, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep, dry) {
		t.Errorf("erase %+v, dry run %+v", rep, dry)
	}
	for _, q := range []string{
		`SELECT count(*) FROM ads WHERE verdict_json LIKE '%123%456%'`,
		`SELECT count(*) FROM ad_contacts WHERE contact = '+37369123456'`,
		`SELECT count(*) FROM network_contacts WHERE contact = '+37369123456'`,
		`SELECT count(*) FROM notice_items WHERE item_json LIKE '%123%456%'`,
		`SELECT count(*) FROM partner_indicators WHERE value LIKE '%123%456%'`,
		`SELECT count(*) FROM audit_log WHERE after LIKE '%123%456%' OR before LIKE '%123%456%'`,
	} {
		var n int
		if err := s.db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d", q, n)
		}
	}
	a1, _ := s.Get(ctx, "a1")
	if a1.Ad.Snapshot != "" || !strings.Contains(a1.Ad.Contact, "Ион") || !strings.Contains(a1.Ad.Contact, erasedPlaceholder) {
		t.Errorf("a1 after erasure: %+v", a1.Ad)
	}
	a3, _ := s.Get(ctx, "a3")
	if len(a3.Entities.Phones) != 1 || a3.Ad.Snapshot == "" {
		t.Errorf("a3 touched: %+v", a3)
	}
	var after string
	if err := s.db.QueryRow(`SELECT after FROM audit_log WHERE action = 'erase_contact'`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, ContactHash("+37369123456")) {
		t.Errorf("audit entry %s lacks the hash", after)
	}
	if _, err := s.Privacy().EraseContact(ctx, Erasure{}, false); err == nil {
		t.Error("empty erasure accepted")
	}
}

func TestMatcher(t *testing.T) {
	m := newMatcher([]string{"+37369123456", "Ion@Mail.md"})
	for s, want := range map[string]bool{
		"+373 69 123 456":     true,
		"(069) 12-34-56":      true,
		"69123456":            true,
		"+373 60 000 000":     false,
		"ion@mail.MD":         true,
		"ion@mail.ro":         false,
		"1200-1500 EUR":       false,
		"call 0 69 12 34 56!": true,
	} {
		if got := m.match(s); got != want {
			t.Errorf("match(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzMatcher(f *testing.F) {
	f.Add("+37369123456", "Звоните +373 (69) 12-34-56 или ion@mail.md", `{"a":["069 123 456",1,{"b":"x"}]}`)
	f.Add("@rabota_ion", "t.me/rabota_ion, @Rabota_Ion", `not json +373`)
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, key, text, js string) {
		if len(key) > maxEraseValueBytes || len(text) > 1<<14 || len(js) > 1<<14 {
			return
		}
		m := newMatcher([]string{key})
		_ = m.replace(text, erasedPlaceholder)
		out := eraseJSON(js, m)
		if json.Valid([]byte(js)) && !json.Valid([]byte(out)) {
			t.Fatalf("eraseJSON(%q) = %q: not JSON", js, out)
		}
		v := ad.Verdict{Ad: ad.Ad{Title: text, Body: text, Contact: key},
			Hits:     []ad.Hit{{Evidence: []ad.Span{{Field: "contact", Text: key}, {Field: "body", Text: text}}}},
			Entities: ad.Entities{Phones: []string{key}, Emails: []string{text}}}
		redactContacts(&v)
		if v.Ad.Contact != "" || len(v.Entities.Phones) != 0 || len(v.Hits[0].Evidence) != 1 {
			t.Fatalf("redactContacts left %+v", v)
		}
	})
}

func BenchmarkPurge10k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := retentionFixture(b, 10000)
		b.StartTimer()
		if _, err := s.Privacy().Purge(context.Background(), retNow, DefaultRetention, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEraseContact10k(b *testing.B) {
	s := retentionFixture(b, 10000)
	e := Erasure{Keys: []string{"+37369000001"}, Actor: "admin"}
	for b.Loop() {
		if _, err := s.Privacy().EraseContact(context.Background(), e, true); err != nil {
			b.Fatal(err)
		}
	}
}
