package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lurewatch/lure/notice"
)

// TestNoticeAuditNamesTheNotice checks that every audit row of a notice's
// lifecycle (drafting, each step, a verified removal, a reopening,
// dropping an ad) names the notice and its site, before and after.
func TestNoticeAuditNamesTheNotice(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	n, other := ns[0], ns[1] // s1: a1, a2; s2: b1
	n, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: notice.Sent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	if err != nil {
		t.Fatal(err)
	}
	at := n.SentAt.Add(36 * time.Hour)
	for _, id := range []string{"a1", "a2"} {
		if _, err := s.Notices().RecordRemoval(ctx, removal(id, "s1", at)); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := s.Notices().ClearRemoval(ctx, "a1", at.Add(time.Hour)); !ok || err != nil {
		t.Fatalf("clear removal = %v (%v)", ok, err)
	}
	if _, err := s.Apply(ctx, Change{AdIDs: []string{"b1"}, Actor: "ann", Status: StatusNeedsInfo}); err != nil {
		t.Fatal(err)
	}
	if _, err := notice.DropItem(ctx, s.Notices(), notice.Drop{ID: other.ID, AdID: "b1", Actor: "ann"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		id   int64
		site string
	}{
		"notice_draft": {n.ID, "s1"}, "notice_sent": {n.ID, "s1"}, "notice_removed": {n.ID, "s1"},
		"notice_reopen": {n.ID, "s1"}, "notice_drop_item": {other.ID, "s2"}, "notice_withdrawn": {other.ID, "s2"},
	}
	for action, w := range want {
		es, _, err := s.AuditLog(ctx, AuditFilter{Action: action})
		if err != nil || len(es) == 0 {
			t.Fatalf("%s: %d entries (%v)", action, len(es), err)
		}
		found := false
		for _, e := range es {
			for side, js := range map[string]string{"before": e.Before, "after": e.After} {
				if js == "" {
					continue
				}
				var st struct {
					Notice int64  `json:"notice"`
					Site   string `json:"site"`
				}
				if err := json.Unmarshal([]byte(js), &st); err != nil {
					t.Fatalf("%s %s: %v", action, side, err)
				}
				if st.Notice == 0 || st.Site == "" {
					t.Errorf("%s %s %s does not name the notice and its site", action, side, js)
				}
				if st.Notice == w.id && st.Site == w.site {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no entry names notice %d on %s", action, w.id, w.site)
		}
	}
}
