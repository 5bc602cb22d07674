package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// noticeStore holds five ads on two sites; a1, a2 (s1) and b1 (s2) are
// confirmed, a3 is a false positive, a4 is not reviewed.
func noticeStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, v := range []ad.Verdict{
		verdict("a1", "s1", 90, true, t0), verdict("a2", "s1", 80, true, t0),
		verdict("a3", "s1", 70, true, t0), verdict("a4", "s1", 75, true, t0),
		verdict("b1", "s2", 95, true, t0),
	} {
		v.Ad.Snapshot = "sha256:" + strings.Repeat("ab", 32)
		v.Hits = append(v.Hits, ad.Hit{Rule: "en.licence", Weight: -0.8})
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []Change{
		{AdIDs: []string{"a1", "a2", "b1"}, Actor: "ann", Status: StatusConfirmed, Note: "fake visa sponsor"},
		{AdIDs: []string{"a3"}, Actor: "ann", Status: StatusFalsePositive},
	} {
		if _, err := s.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func draft(t *testing.T, s *Store) []Notice {
	t.Helper()
	ns, err := s.DraftNotices(context.Background(), DraftRequest{Actor: "ann", NotifierName: "NGO", NotifierEmail: "n@ngo.example",
		Describe: func(r string) string { return "description of " + r }})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestDraftNoticesContent(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	if len(ns) != 2 || ns[0].Site != "s1" || ns[0].ItemCount != 2 || ns[1].Site != "s2" || ns[1].ItemCount != 1 {
		t.Fatalf("drafts = %+v, want s1 with 2 ads and s2 with 1", ns)
	}
	if again := draft(t, s); len(again) != 0 {
		t.Errorf("second draft = %d notices, want none (ads are in open notices)", len(again))
	}
	n, err := s.Notice(ctx, ns[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if n.Status != NoticeDraft || n.CreatedBy != "ann" || n.NotifierName != "NGO" || len(n.History) != 1 || n.History[0].To != NoticeDraft {
		t.Errorf("notice = %+v", n)
	}
	for _, it := range n.Items {
		v, err := s.Get(ctx, it.AdID)
		if err != nil {
			t.Fatal(err)
		}
		if it.URL != v.Ad.URL || it.Snapshot != v.Ad.Snapshot || !it.Crawled.Equal(v.Ad.Crawled) || it.ReviewNote != "fake visa sponsor" || it.ReviewedBy != "ann" {
			t.Errorf("item %s = %+v", it.AdID, it)
		}
		if len(it.Rules) != 1 {
			t.Fatalf("item %s rules = %+v, want only the positive rule", it.AdID, it.Rules)
		}
		r := it.Rules[0]
		if r.Rule != v.Hits[0].Rule || r.Description != "description of "+r.Rule || len(r.Quotes) != 1 || r.Quotes[0].Text != v.Hits[0].Evidence[0].Text {
			t.Errorf("item %s rule = %+v, want the ad's matched text", it.AdID, r)
		}
	}
	es, _, err := s.AuditLog(ctx, AuditFilter{Action: "notice_draft"})
	if err != nil || len(es) != 2 {
		t.Errorf("audit notice_draft = %d entries (%v), want 2", len(es), err)
	}
}

func TestNoticeLifecycle(t *testing.T) {
	ctx := context.Background()
	send := func(id int64) Transition {
		return Transition{ID: id, To: NoticeSent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"}
	}
	tests := []struct {
		name  string
		steps []string
		bad   string // the last step must fail with this error ("" = all succeed)
	}{
		{"send ack remove", []string{NoticeSent, NoticeAcknowledged, NoticeRemoved}, ""},
		{"send reject", []string{NoticeSent, NoticeRejected}, ""},
		{"withdraw", []string{NoticeWithdrawn}, ""},
		{"draft to removed", []string{NoticeRemoved}, "invalid transition"},
		{"draft to acknowledged", []string{NoticeAcknowledged}, "invalid transition"},
		{"back to draft", []string{NoticeSent, NoticeDraft}, "invalid transition"},
		{"closed stays closed", []string{NoticeSent, NoticeRejected, NoticeAcknowledged}, "the notice is closed"},
		{"withdrawn cannot be sent", []string{NoticeWithdrawn, NoticeSent}, "invalid transition"},
		{"unknown status", []string{"lost"}, "unknown status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := noticeStore(t)
			n := draft(t, s)[0]
			for i, to := range tc.steps {
				tr := Transition{ID: n.ID, To: to, Actor: "bob", Note: "step " + to}
				if to == NoticeSent {
					tr = send(n.ID)
				}
				before := time.Now().UTC()
				got, err := s.TransitionNotice(ctx, tr)
				last := i == len(tc.steps)-1
				if last && tc.bad != "" {
					if err == nil || !errors.Is(err, ErrBadTransition) || !strings.Contains(err.Error(), tc.bad) {
						t.Fatalf("%s: err = %v, want %q", to, err, tc.bad)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s: %v", to, err)
				}
				if got.Status != to {
					t.Fatalf("status = %s, want %s", got.Status, to)
				}
				h := got.History[len(got.History)-1]
				if h.To != to || h.Actor != "bob" || h.At.Before(before) {
					t.Errorf("history = %+v", h)
				}
				var stamp time.Time
				switch to {
				case NoticeSent:
					stamp = got.SentAt
				case NoticeAcknowledged:
					stamp = got.AcknowledgedAt
				default:
					stamp = got.ClosedAt
				}
				if stamp.Before(before) {
					t.Errorf("%s timestamp = %v, want ≥ %v", to, stamp, before)
				}
			}
			es, _, err := s.AuditLog(ctx, AuditFilter{Actor: "bob"})
			if err != nil || len(es) != len(tc.steps) {
				t.Errorf("audit by bob = %d entries (%v), want %d", len(es), err, len(tc.steps))
			}
		})
	}
}

func TestSendNeedsNotifier(t *testing.T) {
	s := noticeStore(t)
	n := draft(t, s)[0]
	_, err := s.TransitionNotice(context.Background(), Transition{ID: n.ID, To: NoticeSent, Actor: "bob", NotifierName: "NGO"})
	if !errors.Is(err, ErrNotifierRequired) {
		t.Fatalf("send without e-mail: err = %v, want ErrNotifierRequired", err)
	}
	if _, err := s.TransitionNotice(context.Background(), Transition{ID: 999, To: NoticeWithdrawn, Actor: "bob"}); !errors.Is(err, ErrNoticeNotFound) {
		t.Errorf("unknown notice: err = %v", err)
	}
}

func removal(id, site string, at time.Time) ad.Removal {
	return ad.Removal{V: ad.Version, ID: id, Site: site, URL: "https://" + site + "/ad/" + id, Reason: ad.RemovedGone404, DetectedAt: at}
}

func TestRemovalClosesNotice(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := draft(t, s)[0] // s1: a1, a2
	n, err := s.TransitionNotice(ctx, Transition{ID: n.ID, To: NoticeSent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	if err != nil {
		t.Fatal(err)
	}
	at := n.SentAt.Add(36 * time.Hour)
	closed, err := s.RecordRemoval(ctx, removal("a1", "s1", at))
	if err != nil || len(closed) != 0 {
		t.Fatalf("first removal closed %v (%v), want none", closed, err)
	}
	// A replay changes nothing, even with another detection time.
	if closed, err := s.RecordRemoval(ctx, removal("a1", "s1", at.Add(time.Hour))); err != nil || len(closed) != 0 {
		t.Fatalf("replay closed %v (%v)", closed, err)
	}
	closed, err = s.RecordRemoval(ctx, removal("a2", "s1", at.Add(12*time.Hour)))
	if err != nil || len(closed) != 1 || closed[0] != n.ID {
		t.Fatalf("second removal closed %v (%v), want [%d]", closed, err, n.ID)
	}
	got, err := s.Notice(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := got.History[len(got.History)-1]
	if got.Status != NoticeRemoved || got.RemovedCount != 2 || h.Actor != ActorCrawler || h.To != NoticeRemoved {
		t.Fatalf("notice = %s, %d removed, last history %+v", got.Status, got.RemovedCount, h)
	}
	if !got.Items[0].RemovedAt.Equal(at) || got.Items[0].RemovalReason != ad.RemovedGone404 {
		t.Errorf("item a1 removed at %v (%s), want first detection %v", got.Items[0].RemovedAt, got.Items[0].RemovalReason, at)
	}
	stats, err := s.TimeToRemoval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Site != "s1" || stats[0].Count != 2 || stats[0].Median != 42*time.Hour || stats[0].Max != 48*time.Hour {
		t.Errorf("time to removal = %+v, want s1: 2 ads, median 42h, max 48h", stats)
	}

	// The ad is seen again: an older crawl changes nothing, a newer one
	// reopens the notice.
	if ok, err := s.ClearRemoval(ctx, "a1", at.Add(-time.Minute)); ok || err != nil {
		t.Errorf("stale sighting cleared = %v (%v)", ok, err)
	}
	if ok, err := s.ClearRemoval(ctx, "a1", at.Add(time.Hour)); !ok || err != nil {
		t.Fatalf("new sighting cleared = %v (%v)", ok, err)
	}
	got, _ = s.Notice(ctx, n.ID)
	if got.Status != NoticeSent || got.RemovedCount != 1 || !got.ClosedAt.IsZero() {
		t.Errorf("after reappearance: %s, %d removed, closed %v; want sent, 1, open", got.Status, got.RemovedCount, got.ClosedAt)
	}
	if _, ok, _ := s.RemovalOf(ctx, "a1"); ok {
		t.Error("removal of a1 still recorded")
	}
}

func TestRemovalBeforeSending(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	// Removed while the notice is a draft: the draft is untouched, sending
	// marks the item at once; a removed ad is not drafted again.
	if closed, err := s.RecordRemoval(ctx, removal("b1", "s2", t0)); err != nil || len(closed) != 0 {
		t.Fatalf("removal closed %v (%v)", closed, err)
	}
	n, _ := s.Notice(ctx, ns[1].ID)
	if n.Status != NoticeDraft || n.RemovedCount != 0 {
		t.Fatalf("draft = %s with %d removed", n.Status, n.RemovedCount)
	}
	n, err := s.TransitionNotice(ctx, Transition{ID: n.ID, To: NoticeSent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	if err != nil || n.RemovedCount != 1 {
		t.Fatalf("sent: %d removed (%v), want 1", n.RemovedCount, err)
	}
	if _, err := s.TransitionNotice(ctx, Transition{ID: ns[0].ID, To: NoticeWithdrawn, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	again := draft(t, s)
	if len(again) != 1 || again[0].Site != "s1" {
		t.Errorf("redraft after withdrawal = %+v, want only s1 (b1 is removed)", again)
	}
}

func TestOverdue(t *testing.T) {
	now := t0.Add(30 * 24 * time.Hour)
	week := 7 * 24 * time.Hour
	tests := []struct {
		name   string
		status string
		sent   time.Time
		want   bool
	}{
		{"sent 8 days ago", NoticeSent, now.Add(-8 * 24 * time.Hour), true},
		{"acknowledged 8 days ago", NoticeAcknowledged, now.Add(-8 * 24 * time.Hour), true},
		{"sent 6 days ago", NoticeSent, now.Add(-6 * 24 * time.Hour), false},
		{"exactly the period", NoticeSent, now.Add(-week), false},
		{"removed long ago", NoticeRemoved, now.Add(-80 * 24 * time.Hour), false},
		{"draft", NoticeDraft, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Notice{Status: tc.status, SentAt: tc.sent}).Overdue(now, week); got != tc.want {
				t.Errorf("Overdue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNoticesFilter(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	if _, err := s.TransitionNotice(ctx, Transition{ID: ns[0].ID, To: NoticeSent, Actor: "bob", NotifierName: "N", NotifierEmail: "n@x.example"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    NoticeFilter
		want int
	}{
		{"all", NoticeFilter{}, 2},
		{"drafts", NoticeFilter{Status: NoticeDraft}, 1},
		{"site s1", NoticeFilter{Site: "s1"}, 1},
		{"overdue now", NoticeFilter{SentBefore: time.Now().Add(time.Hour)}, 1},
		{"overdue a week ago", NoticeFilter{SentBefore: time.Now().Add(-7 * 24 * time.Hour)}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Notices(ctx, tc.f)
			if err != nil || len(got) != tc.want || total != tc.want {
				t.Errorf("Notices = %d (total %d, %v), want %d", len(got), total, err, tc.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	h := time.Hour
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0}, {[]time.Duration{3 * h}, 3 * h}, {[]time.Duration{5 * h, h, 3 * h}, 3 * h}, {[]time.Duration{4 * h, h}, 150 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(time.Duration(len(tc.in)).String(), func(t *testing.T) {
			if got := Median(tc.in); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestConcurrentDraftsDoNotDuplicate(t *testing.T) {
	s := noticeStore(t)
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, err := s.DraftNotices(ctx, DraftRequest{Actor: "ann"})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ns, total, err := s.Notices(ctx, NoticeFilter{})
	if err != nil || total != 2 {
		t.Fatalf("%d notices (%v), want 2: %+v", total, err, ns)
	}
}
