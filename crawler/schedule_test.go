package crawler

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lockedBuffer is a writer safe for the scheduler's goroutines and the
// test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// listSite serves an empty rabota-md list page and counts its fetches.
func listSite(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rabota-md/{$}", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(listOf()))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestSchedule: every site is crawled at the start; a site with its own
// short interval is crawled again and again, a site that sets none waits
// for ScheduleOptions.Recrawl; each finished pass is counted and logged.
func TestSchedule(t *testing.T) {
	fastSrv, fast := listSite(t)
	slowSrv, slow := listSite(t)
	pf := testProfile(t, fastSrv.URL)
	pf.Site = "fast"
	pf.Recrawl = 50 * time.Millisecond
	ps := testProfile(t, slowSrv.URL)
	ps.Site = "slow"
	ps.Recrawl = 0
	var logs lockedBuffer
	var passes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Schedule(ctx, ScheduleOptions{
			Crawl:   Options{Profiles: []Profile{pf, ps}, Sink: &collector{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))},
			Recrawl: time.Hour,
			OnPass:  func() { passes.Add(1) },
		})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for fast.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("fast site crawled %d times; log:\n%s", fast.Load(), logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Schedule did not return after cancel")
	}
	if n := slow.Load(); n != 1 {
		t.Errorf("slow site crawled %d times, want 1 (its interval is an hour)", n)
	}
	if n := passes.Load(); n < 2 {
		t.Errorf("%d passes counted, want at least 2", n)
	}
	if !strings.Contains(logs.String(), `msg="crawl pass finished" sites=2`) || !strings.Contains(logs.String(), `msg="crawl pass finished" sites=1`) {
		t.Errorf("passes not logged with their sites:\n%s", logs.String())
	}
}

// TestScheduleLive: with a live writer the pass's status line is drawn
// there; a failing pass is logged and not counted.
func TestScheduleLive(t *testing.T) {
	srv, n := listSite(t)
	var live, logs lockedBuffer
	var passes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		Schedule(ctx, ScheduleOptions{
			Crawl: Options{Profiles: []Profile{testProfile(t, srv.URL)}, Sink: &collector{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))},
			Live:  &live, OnPass: func() { passes.Add(1) },
		})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for passes.Load() < 1 || !strings.Contains(live.String(), "\r\033[Kpages ") {
		if time.Now().After(deadline) {
			t.Fatalf("no pass with a live line; live %q; log:\n%s", live.String(), logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if n.Load() != 1 {
		t.Errorf("site crawled %d times, want 1 (default interval)", n.Load())
	}

	var failLogs lockedBuffer
	passes.Store(0)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	done2 := make(chan struct{})
	go func() {
		defer close(done2)
		// No sink: Run refuses every pass.
		Schedule(ctx2, ScheduleOptions{Crawl: Options{Profiles: []Profile{testProfile(t, srv.URL)},
			Logger: slog.New(slog.NewTextHandler(&failLogs, nil))}, OnPass: func() { passes.Add(1) }})
	}()
	for !strings.Contains(failLogs.String(), "crawl pass failed") {
		if time.Now().After(deadline) {
			t.Fatalf("failed pass not logged:\n%s", failLogs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel2()
	<-done2
	if passes.Load() != 0 {
		t.Errorf("a failed pass was counted")
	}
}

// TestScheduleNoProfiles: with nothing to crawl Schedule waits for ctx.
func TestScheduleNoProfiles(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	Schedule(ctx, ScheduleOptions{})
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("Schedule returned after %v, before ctx ended", d)
	}
}
