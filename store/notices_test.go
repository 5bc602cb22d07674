package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
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

func draft(t *testing.T, s *Store) []notice.Notice {
	t.Helper()
	ns, err := notice.DraftNotices(context.Background(), s.Notices(), notice.DraftRequest{Actor: "ann", NotifierName: "NGO", NotifierEmail: "n@ngo.example",
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
	n, err := s.Notices().Get(ctx, ns[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if n.Status != notice.Draft || n.CreatedBy != "ann" || n.NotifierName != "NGO" || len(n.History) != 1 || n.History[0].To != notice.Draft {
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
	send := func(id int64) notice.Transition {
		return notice.Transition{ID: id, To: notice.Sent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"}
	}
	tests := []struct {
		name  string
		steps []notice.Status
		bad   string // the last step must fail with this error ("" = all succeed)
	}{
		{"send ack remove", []notice.Status{notice.Sent, notice.Acknowledged, notice.Removed}, ""},
		{"send reject", []notice.Status{notice.Sent, notice.Rejected}, ""},
		{"withdraw", []notice.Status{notice.Withdrawn}, ""},
		{"draft to removed", []notice.Status{notice.Removed}, "invalid transition"},
		{"draft to acknowledged", []notice.Status{notice.Acknowledged}, "invalid transition"},
		{"back to draft", []notice.Status{notice.Sent, notice.Draft}, "invalid transition"},
		{"closed stays closed", []notice.Status{notice.Sent, notice.Rejected, notice.Acknowledged}, "the notice is closed"},
		{"withdrawn cannot be sent", []notice.Status{notice.Withdrawn, notice.Sent}, "invalid transition"},
		{"unknown status", []notice.Status{"lost"}, "unknown status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := noticeStore(t)
			n := draft(t, s)[0]
			for i, to := range tc.steps {
				tr := notice.Transition{ID: n.ID, To: to, Actor: "bob", Note: "step " + string(to)}
				if to == notice.Sent {
					tr = send(n.ID)
				}
				before := time.Now().UTC()
				got, err := notice.Move(ctx, s.Notices(), tr)
				last := i == len(tc.steps)-1
				if last && tc.bad != "" {
					if err == nil || !errors.Is(err, notice.ErrBadTransition) || !strings.Contains(err.Error(), tc.bad) {
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
				case notice.Sent:
					stamp = got.SentAt
				case notice.Acknowledged:
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
	_, err := notice.Move(context.Background(), s.Notices(), notice.Transition{ID: n.ID, To: notice.Sent, Actor: "bob", NotifierName: "NGO"})
	if !errors.Is(err, notice.ErrNotifierRequired) {
		t.Fatalf("send without e-mail: err = %v, want notice.ErrNotifierRequired", err)
	}
	if _, err := notice.Move(context.Background(), s.Notices(), notice.Transition{ID: 999, To: notice.Withdrawn, Actor: "bob"}); !errors.Is(err, notice.ErrNotFound) {
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
	n, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: notice.Sent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	if err != nil {
		t.Fatal(err)
	}
	at := n.SentAt.Add(36 * time.Hour)
	closed, err := s.Notices().RecordRemoval(ctx, removal("a1", "s1", at))
	if err != nil || len(closed) != 0 {
		t.Fatalf("first removal closed %v (%v), want none", closed, err)
	}
	// A replay changes nothing, even with another detection time.
	if closed, err := s.Notices().RecordRemoval(ctx, removal("a1", "s1", at.Add(time.Hour))); err != nil || len(closed) != 0 {
		t.Fatalf("replay closed %v (%v)", closed, err)
	}
	closed, err = s.Notices().RecordRemoval(ctx, removal("a2", "s1", at.Add(12*time.Hour)))
	if err != nil || len(closed) != 1 || closed[0] != n.ID {
		t.Fatalf("second removal closed %v (%v), want [%d]", closed, err, n.ID)
	}
	got, err := s.Notices().Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := got.History[len(got.History)-1]
	if got.Status != notice.Removed || got.RemovedCount != 2 || h.Actor != notice.ActorCrawler || h.To != notice.Removed {
		t.Fatalf("notice = %s, %d removed, last history %+v", got.Status, got.RemovedCount, h)
	}
	if !got.Items[0].RemovedAt.Equal(at) || got.Items[0].RemovalReason != ad.RemovedGone404 {
		t.Errorf("item a1 removed at %v (%s), want first detection %v", got.Items[0].RemovedAt, got.Items[0].RemovalReason, at)
	}
	stats, err := s.Notices().TimeToRemoval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Site != "s1" || stats[0].Count != 2 || stats[0].Median != 42*time.Hour || stats[0].Max != 48*time.Hour {
		t.Errorf("time to removal = %+v, want s1: 2 ads, median 42h, max 48h", stats)
	}

	// The ad is seen again: an older crawl changes nothing, a newer one
	// reopens the notice.
	if ok, err := s.Notices().ClearRemoval(ctx, "a1", at.Add(-time.Minute)); ok || err != nil {
		t.Errorf("stale sighting cleared = %v (%v)", ok, err)
	}
	if ok, err := s.Notices().ClearRemoval(ctx, "a1", at.Add(time.Hour)); !ok || err != nil {
		t.Fatalf("new sighting cleared = %v (%v)", ok, err)
	}
	got, _ = s.Notices().Get(ctx, n.ID)
	if got.Status != notice.Sent || got.RemovedCount != 1 || !got.ClosedAt.IsZero() {
		t.Errorf("after reappearance: %s, %d removed, closed %v; want sent, 1, open", got.Status, got.RemovedCount, got.ClosedAt)
	}
	if _, ok, _ := s.Notices().RemovalOf(ctx, "a1"); ok {
		t.Error("removal of a1 still recorded")
	}
}

func TestRemovalBeforeSending(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	// Removed while the notice is a draft: the draft is untouched, sending
	// marks the item at once; a removed ad is not drafted again.
	if closed, err := s.Notices().RecordRemoval(ctx, removal("b1", "s2", t0)); err != nil || len(closed) != 0 {
		t.Fatalf("removal closed %v (%v)", closed, err)
	}
	n, _ := s.Notices().Get(ctx, ns[1].ID)
	if n.Status != notice.Draft || n.RemovedCount != 0 {
		t.Fatalf("draft = %s with %d removed", n.Status, n.RemovedCount)
	}
	n, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: notice.Sent, Actor: "bob", NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	if err != nil || n.RemovedCount != 1 {
		t.Fatalf("sent: %d removed (%v), want 1", n.RemovedCount, err)
	}
	if _, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: ns[0].ID, To: notice.Withdrawn, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	again := draft(t, s)
	if len(again) != 1 || again[0].Site != "s1" {
		t.Errorf("redraft after withdrawal = %+v, want only s1 (b1 is removed)", again)
	}
}

func TestNoticesFilter(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	ns := draft(t, s)
	if _, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: ns[0].ID, To: notice.Sent, Actor: "bob", NotifierName: "N", NotifierEmail: "n@x.example"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    notice.Filter
		want int
	}{
		{"all", notice.Filter{}, 2},
		{"drafts", notice.Filter{Status: notice.Draft}, 1},
		{"site s1", notice.Filter{Site: "s1"}, 1},
		{"overdue now", notice.Filter{SentBefore: time.Now().Add(time.Hour)}, 1},
		{"overdue a week ago", notice.Filter{SentBefore: time.Now().Add(-7 * 24 * time.Hour)}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Notices().List(ctx, tc.f)
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
			_, err := notice.DraftNotices(ctx, s.Notices(), notice.DraftRequest{Actor: "ann"})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ns, total, err := s.Notices().List(ctx, notice.Filter{})
	if err != nil || total != 2 {
		t.Fatalf("%d notices (%v), want 2: %+v", total, err, ns)
	}
}

// TestNoticeLimitsMatchReviews checks that package notice's copies of the
// review rules it relies on are the store's.
func TestNoticeLimitsMatchReviews(t *testing.T) {
	if notice.MaxNote != MaxNote {
		t.Errorf("notice.MaxNote = %d, store.MaxNote = %d", notice.MaxNote, MaxNote)
	}
	if notice.ReviewConfirmed != StatusConfirmed {
		t.Errorf("notice.ReviewConfirmed = %q, store.StatusConfirmed = %q", notice.ReviewConfirmed, StatusConfirmed)
	}
}

// TestChangesAreConditional checks that a status change or a dropped ad
// applies only while the notice has the status it was checked against,
// and changes nothing otherwise.
func TestChangesAreConditional(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := draft(t, s)[0]
	nt := s.Notices()
	stale := notice.Change{ID: n.ID, From: notice.Sent, To: notice.Acknowledged, Stamp: notice.StampAcknowledged, Actor: "bob"}
	if err := nt.SetStatus(ctx, stale); !errors.Is(err, notice.ErrStatusChanged) {
		t.Errorf("change from a status the notice lacks: err = %v, want ErrStatusChanged", err)
	}
	stale.ID = 999
	if err := nt.SetStatus(ctx, stale); !errors.Is(err, notice.ErrNotFound) {
		t.Errorf("change of an unknown notice: err = %v, want ErrNotFound", err)
	}
	drop := notice.ItemDrop{ID: n.ID, AdID: "a1", Actor: "bob", Status: notice.Sent, Empty: notice.Withdrawn}
	if err := nt.DropItem(ctx, drop); !errors.Is(err, notice.ErrStatusChanged) {
		t.Errorf("drop from a notice no longer in its status: err = %v, want ErrStatusChanged", err)
	}
	got, err := nt.Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != notice.Draft || !got.AcknowledgedAt.IsZero() || len(got.Items) != 2 || len(got.History) != 1 {
		t.Errorf("refused changes changed the notice: %+v", got)
	}
	if es, _, _ := s.AuditLog(ctx, AuditFilter{Actor: "bob"}); len(es) != 0 {
		t.Errorf("refused changes wrote %d audit entries", len(es))
	}
}

// TestConcurrentTransitions checks that of moves racing on one draft
// exactly one applies and the others are refused as the lifecycle
// refuses them after it.
func TestConcurrentTransitions(t *testing.T) {
	ctx := context.Background()
	s := noticeStore(t)
	n := draft(t, s)[0]
	const racers = 6
	errs := make(chan error, racers)
	for i := range racers {
		go func() {
			to := notice.Withdrawn
			if i%2 == 0 {
				to = notice.Sent
			}
			_, err := notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: to, Actor: "bob",
				NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
			errs <- err
		}()
	}
	ok := 0
	for range racers {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, notice.ErrBadTransition):
			t.Errorf("err = %v, want nil or ErrBadTransition", err)
		}
	}
	got, err := s.Notices().Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(got.History) != 2 {
		t.Errorf("%d moves applied, history %+v; want exactly one", ok, got.History)
	}
}
