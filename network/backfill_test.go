package network

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// TestBackfill: ads stored before the engine existed are linked by
// Backfill, once; a second run finds nothing to do.
func TestBackfill(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for _, v := range []ad.Verdict{
		verdict("a", "s1", "Кишинёв", "Продам гараж", "+37369123456"),
		verdict("b", "s2", "Бельцы", "Куплю велосипед", "+37369123456"),
		verdict("c", "s1", "Кишинёв", "Сдам квартиру", "+37369000000"),
	} {
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	e, err := New(ctx, Options{Store: st.Networks(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.Backfill(ctx, st.Networks()); n != 3 {
		t.Fatalf("Backfill linked %d ads, want 3", n)
	}
	if !strings.Contains(logs.String(), `msg="network: linked stored ads" ads=3`) {
		t.Errorf("count not logged:\n%s", logs.String())
	}
	if id, size, err := st.Networks().ClusterOf(ctx, "b"); err != nil || id != "a" || size != 2 {
		t.Errorf("ClusterOf(b) = %q, %d, %v; want a, 2", id, size, err)
	}
	if n := e.Backfill(ctx, st.Networks()); n != 0 {
		t.Errorf("second Backfill linked %d ads, want 0", n)
	}
}

// backlogFunc adapts a function to a Backlog.
type backlogFunc func(ctx context.Context, limit int) ([]ad.Verdict, error)

func (f backlogFunc) NetworkBacklog(ctx context.Context, limit int) ([]ad.Verdict, error) {
	return f(ctx, limit)
}

// TestBackfillEnds: a backlog that only returns ads the engine holds, or
// fails, ends Backfill; the failure is logged.
func TestBackfillEnds(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	e, err := New(ctx, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	v := verdict("a", "s1", "Кишинёв", "Продам гараж", "+37369123456")
	calls := 0
	same := backlogFunc(func(context.Context, int) ([]ad.Verdict, error) { calls++; return []ad.Verdict{v}, nil })
	if n := e.Backfill(ctx, same); n != 1 || calls != 2 {
		t.Errorf("Backfill of a stuck backlog: %d ads in %d calls, want 1 in 2", n, calls)
	}
	boom := backlogFunc(func(context.Context, int) ([]ad.Verdict, error) { return nil, errors.New("disk on fire") })
	if n := e.Backfill(ctx, boom); n != 0 || !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("failing backlog: %d ads; log:\n%s", n, logs.String())
	}
}
