package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lure/notice"
)

// s1Draft drafts the notices of noticeStore and returns the one to s1
// (ads a1, a2).
func s1Draft(t *testing.T, s *Store) notice.Notice {
	t.Helper()
	for _, n := range draft(t, s) {
		if n.Site == "s1" {
			return n
		}
	}
	t.Fatal("no draft for s1")
	return notice.Notice{}
}

func sendNotice(s *Store, id int64) (notice.Notice, error) {
	return notice.Move(context.Background(), s.Notices(), notice.Transition{ID: id, To: notice.Sent, Actor: "bob",
		NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
}

func TestUnconfirmedAdBlocksSendingUntilDropped(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := s1Draft(t, s)
	if _, err := s.Apply(ctx, Change{AdIDs: []string{"a2"}, Actor: "ann", Status: StatusFalsePositive, Note: "real agency"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Notices().Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u := got.Unconfirmed(); !slices.Equal(u, []string{"a2"}) {
		t.Fatalf("unconfirmed = %v, want [a2]", u)
	}
	for _, it := range got.Items {
		want := map[string]string{"a1": StatusConfirmed, "a2": StatusFalsePositive}[it.AdID]
		if it.ReviewStatus != want {
			t.Errorf("item %s review status = %q, want %q", it.AdID, it.ReviewStatus, want)
		}
	}
	_, err = sendNotice(s, n.ID)
	var ue *notice.UnconfirmedError
	if !errors.Is(err, notice.ErrNotConfirmed) || !errors.As(err, &ue) || !slices.Equal(ue.AdIDs, []string{"a2"}) || !strings.Contains(err.Error(), "a2") {
		t.Fatalf("send = %v, want an notice.UnconfirmedError naming a2", err)
	}
	if got, _ := s.Notices().Get(ctx, n.ID); got.Status != notice.Draft {
		t.Fatalf("status after refused send = %s", got.Status)
	}

	got, err = notice.DropItem(ctx, s.Notices(), notice.Drop{ID: n.ID, AdID: "a2", Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != notice.Draft || got.ItemCount != 1 || len(got.Items) != 1 || got.Items[0].AdID != "a1" {
		t.Fatalf("after drop = %+v", got)
	}
	h := got.History[len(got.History)-1]
	if h.Actor != "bob" || h.To != notice.Draft || !strings.Contains(h.Note, "a2") || !strings.Contains(h.Note, StatusFalsePositive) {
		t.Errorf("history = %+v, want the drop of a2", h)
	}
	es, _, err := s.AuditLog(ctx, AuditFilter{Action: "notice_drop_item"})
	if err != nil || len(es) != 1 || es[0].Actor != "bob" || es[0].AdID != "a2" {
		t.Errorf("audit = %+v (%v), want one drop of a2 by bob", es, err)
	}
	if got, err = sendNotice(s, n.ID); err != nil || got.Status != notice.Sent {
		t.Fatalf("send after drop = %v, %v", got.Status, err)
	}

	// Dropped, then confirmed again: the next drafting takes it.
	if again := draft(t, s); len(again) != 0 {
		t.Fatalf("draft while a2 is a false positive = %+v, want none", again)
	}
	if _, err := s.Apply(ctx, Change{AdIDs: []string{"a2"}, Actor: "ann", Status: StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	again := draft(t, s)
	if len(again) != 1 || again[0].ItemCount != 1 {
		t.Fatalf("draft after re-confirming = %+v, want one notice with a2", again)
	}
	if n2, _ := s.Notices().Get(ctx, again[0].ID); len(n2.Items) != 1 || n2.Items[0].AdID != "a2" {
		t.Errorf("redrafted items = %+v", n2.Items)
	}
}

func TestDropNoticeItemRefusals(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := s1Draft(t, s)
	tests := []struct {
		name string
		d    notice.Drop
		want error
	}{
		{"unknown notice", notice.Drop{ID: 999, AdID: "a1", Actor: "bob"}, notice.ErrNotFound},
		{"ad not in notice", notice.Drop{ID: n.ID, AdID: "b1", Actor: "bob"}, notice.ErrItemNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := notice.DropItem(ctx, s.Notices(), tc.d); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("sent notice", func(t *testing.T) {
		if _, err := sendNotice(s, n.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := notice.DropItem(ctx, s.Notices(), notice.Drop{ID: n.ID, AdID: "a1", Actor: "bob"}); !errors.Is(err, notice.ErrNotDraft) {
			t.Errorf("err = %v, want notice.ErrNotDraft", err)
		}
		if got, _ := s.Notices().Get(ctx, n.ID); len(got.Items) != 2 {
			t.Errorf("items after refused drop = %d, want 2", len(got.Items))
		}
		if es, _, _ := s.AuditLog(ctx, AuditFilter{Action: "notice_drop_item"}); len(es) != 0 {
			t.Errorf("audit has %d drops, want none", len(es))
		}
	})
}

func TestDropLastItemWithdraws(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := s1Draft(t, s)
	for _, id := range []string{"a1", "a2"} {
		if _, err := notice.DropItem(ctx, s.Notices(), notice.Drop{ID: n.ID, AdID: id, Actor: "bob"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Notices().Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != notice.Withdrawn || got.ClosedAt.IsZero() || got.ItemCount != 0 {
		t.Fatalf("after dropping every ad = %+v, want withdrawn", got)
	}
	if es, _, _ := s.AuditLog(ctx, AuditFilter{Action: "notice_withdrawn"}); len(es) != 1 {
		t.Errorf("withdrawn audit entries = %d, want 1", len(es))
	}
}
