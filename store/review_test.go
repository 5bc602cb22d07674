package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func reviewStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i, phone := range []string{"+79991234567", "+79991234567", "+37360000000"} {
		id := string(rune('a' + i))
		v := ad.Verdict{V: ad.Version, Ad: ad.Ad{V: ad.Version, ID: id, Site: "s", URL: "https://s/" + id, Kind: ad.KindJob, Title: "t" + id}.WithHash(),
			Score: float64(50 + i), Band: ad.BandMedium, Flagged: true, RulePack: "p",
			Hits:     []ad.Hit{{Rule: "r", Weight: 1, Signal: "sig" + id}},
			Entities: ad.Entities{Phones: []string{phone}, Destinations: []string{"TR"}}}
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestReviewAuditAppendOnly(t *testing.T) {
	st := reviewStore(t)
	ctx := context.Background()
	me := "ann"
	if _, err := st.Apply(ctx, Change{AdIDs: []string{"a", "b"}, Actor: "ann", Status: StatusConfirmed, Note: "n1", Assign: &me}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, Change{AdIDs: []string{"a", "zzz"}, Actor: "ann", Status: StatusEscalated}); err == nil {
		t.Fatal("unknown ad accepted")
	}
	revs, _ := st.Reviews(ctx, []string{"a", "c"})
	if revs["a"].Status != StatusConfirmed || revs["a"].Assignee != "ann" || revs["c"].Status != StatusNew {
		t.Fatalf("reviews = %+v", revs)
	}
	es, total, err := st.AuditLog(ctx, AuditFilter{AdID: "a"})
	if err != nil || total != 1 || !strings.Contains(es[0].After, `"confirmed"`) {
		t.Fatalf("audit = %+v %d %v (the failed batch must leave no entry)", es, total, err)
	}
	for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`} {
		if _, err := st.db.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	flagged := true
	for _, tt := range []struct {
		name string
		f    Filter
		want int
	}{
		{"new", Filter{Flagged: &flagged, Status: StatusNew}, 1},
		{"confirmed", Filter{Status: StatusConfirmed}, 2},
		{"assignee", Filter{Assignee: "ann"}, 2},
		{"signal", Filter{Signal: "sigb"}, 1},
		{"destination", Filter{Destination: "TR"}, 3},
		{"destination none", Filter{Destination: "DE"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, n, err := st.List(ctx, tt.f); err != nil || n != tt.want {
				t.Errorf("List = %d, %v; want %d", n, err, tt.want)
			}
		})
	}
	rel, err := st.Related(ctx, "a", 10)
	if err != nil || len(rel) != 1 || rel[0].ID != "b" || rel[0].Contact != "+79991234567" {
		t.Fatalf("related = %+v %v", rel, err)
	}
	var sb strings.Builder
	if n, err := st.ExportLabels(ctx, &sb); err != nil || n != 2 || strings.Count(sb.String(), `"label":"deceptive"`) != 2 {
		t.Fatalf("labels %d %v: %s", n, err, sb.String())
	}
}
