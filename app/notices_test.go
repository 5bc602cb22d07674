package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

var n0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func noticeVerdict(id string, crawled time.Time) ad.Verdict {
	a := ad.Ad{V: ad.Version, ID: id, Site: "rabota.example", URL: "https://rabota.example/ad/" + id, Kind: ad.KindJob,
		Lang: "ru", Title: "Работа за границей " + id, Body: "Визу оплачиваем", Crawled: crawled, Snapshot: "sha256:00"}
	a.ContentHash = a.Hash()
	return ad.Verdict{V: ad.Version, Ad: a, Score: 90, Band: ad.BandHigh, Flagged: true, RulePack: "t1", ScoredAt: crawled,
		Hits: []ad.Hit{{Rule: "ru.free_travel", Weight: 1, Evidence: []ad.Span{{Field: "body", Start: 0, End: 8, Text: "Визу"}}}}}
}

// sentNotice seeds a store at path with two confirmed ads (x1, x2) in one
// sent notice, and returns the notice ID.
func sentNotice(t *testing.T, path string) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{"x1", "x2"} {
		if _, err := st.Upsert(ctx, noticeVerdict(id, n0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Apply(ctx, store.Change{AdIDs: []string{"x1", "x2"}, Actor: "ann", Status: store.StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	ns, err := notice.DraftNotices(ctx, st.Notices(), notice.DraftRequest{Actor: "ann"})
	if err != nil || len(ns) != 1 {
		t.Fatalf("draft: %v %v", ns, err)
	}
	if _, err := notice.Move(ctx, st.Notices(), notice.Transition{ID: ns[0].ID, To: notice.Sent, Actor: "ann",
		NotifierName: "NGO", NotifierEmail: "n@ngo.example"}); err != nil {
		t.Fatal(err)
	}
	return ns[0].ID
}

func removalMsg(t *testing.T, id string, at time.Time) stream.Message {
	b, err := json.Marshal(ad.Removal{V: ad.Version, ID: id, Site: "rabota.example", URL: "https://rabota.example/ad/" + id,
		Reason: ad.RemovedGone404, DetectedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return stream.Message{Key: []byte(id), Value: b}
}

func TestRemovalHandler(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lure.db")
	id := sentNotice(t, path)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg := prometheus.NewRegistry()
	h := &removals{store: st.Notices(), log: slog.New(slog.NewTextHandler(io.Discard, nil)), metrics: newRemovalMetrics(reg)}

	for _, bad := range []string{`{`, `{"v":1,"id":"x1"}`, `{"v":2,"id":"x1","site":"s","url":"u","reason":"gone_404","detected_at":"2025-03-01T00:00:00Z"}`} {
		if err := h.Handle(ctx, stream.Message{Value: []byte(bad)}); !stream.IsPermanent(err) {
			t.Errorf("Handle(%s) = %v, want a permanent error", bad, err)
		}
	}
	status := func() (notice.Status, int) {
		n, err := st.Notices().Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return n.Status, n.RemovedCount
	}
	steps := []struct {
		msg     stream.Message
		status  notice.Status
		removed int
	}{
		{removalMsg(t, "x1", time.Now().Add(time.Hour)), notice.Sent, 1},
		{removalMsg(t, "x1", time.Now().Add(2*time.Hour)), notice.Sent, 1}, // replay
		{removalMsg(t, "other", time.Now()), notice.Sent, 1},               // an ad in no notice
		{removalMsg(t, "x2", time.Now().Add(3*time.Hour)), notice.Removed, 2},
		{removalMsg(t, "x2", time.Now().Add(3*time.Hour)), notice.Removed, 2}, // replay after closing
	}
	for i, s := range steps {
		if err := h.Handle(ctx, s.msg); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if st, n := status(); st != s.status || n != s.removed {
			t.Fatalf("step %d: notice %s with %d removed, want %s with %d", i, st, n, s.status, s.removed)
		}
	}
	n, _ := st.Notices().Get(ctx, id)
	if last := n.History[len(n.History)-1]; last.Actor != notice.ActorCrawler || last.To != notice.Removed {
		t.Errorf("last history = %+v", last)
	}
	if got := testutil.ToFloat64(h.metrics.closed); got != 1 {
		t.Errorf("closed notices metric = %v, want 1", got)
	}
	// A stale verdict (crawled before the removal) changes nothing; a new
	// crawl of x2 reopens the notice.
	if err := h.verdictHook(ctx, noticeVerdict("x2", n0), false); err != nil {
		t.Fatal(err)
	}
	if st, _ := status(); st != notice.Removed {
		t.Fatalf("after stale verdict: %s", st)
	}
	if err := h.verdictHook(ctx, noticeVerdict("x2", time.Now().Add(4*time.Hour)), false); err != nil {
		t.Fatal(err)
	}
	if st, n := status(); st != notice.Sent || n != 1 {
		t.Fatalf("after x2 came back: %s with %d removed, want sent with 1", st, n)
	}
}

// TestRemovalsThroughBroker runs the serve role on the embedded broker:
// removals produced to lure.ads.removed close the notice, a bad message
// does not block them, and a new verdict of a removed ad reopens it.
func TestRemovalsThroughBroker(t *testing.T) {
	dir := t.TempDir()
	id := sentNotice(t, Paths(dir).Store)
	a, stop := startApp(t, Options{DataDir: dir, Roles: []Role{RoleServe}, HTTPAddr: "127.0.0.1:0", Partitions: 1,
		DrainTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		NotifierName: "NGO", NotifierEmail: "n@ngo.example"})
	defer func() {
		stop()
		if err := a.Wait(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()
	ctx := context.Background()
	topic := a.streamCfg.Topic(stream.Removed)
	for _, m := range []stream.Message{{Key: []byte("bad"), Value: []byte("not json")},
		removalMsg(t, "x1", time.Now()), removalMsg(t, "x2", time.Now())} {
		if err := a.producer.Produce(ctx, topic, m); err != nil {
			t.Fatal(err)
		}
	}
	current := func() notice.Notice {
		n, err := a.store.Notices().Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor(t, 30*time.Second, "the notice closed as removed", func() bool { return current().Status == notice.Removed })
	if last := current().History[len(current().History)-1]; last.Actor != notice.ActorCrawler {
		t.Errorf("closed by %q, want crawler", last.Actor)
	}
	b, err := json.Marshal(noticeVerdict("x1", time.Now().Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.producer.Produce(ctx, a.streamCfg.Topic(stream.Scored), stream.Message{Key: []byte("x1"), Value: b}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the notice reopened", func() bool { return current().Status == notice.Sent })
}
