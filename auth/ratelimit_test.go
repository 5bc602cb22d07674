package auth

import (
	"strconv"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestBucketsPrune(t *testing.T) {
	b := NewRateLimits(1, 2)
	b.maxKeys = 3
	for i := range 10 {
		b.Take(strconv.Itoa(i), 1, t0, true)
		if len(b.m) > 3 {
			t.Fatalf("%d keys held, max 3", len(b.m))
		}
	}
	// A full bucket is dropped before a drained one.
	b = NewRateLimits(1, 2)
	b.maxKeys = 2
	b.Take("drained", 2, t0, true)
	b.Take("full", 0, t0, true)
	b.Take("new", 1, t0, true)
	if _, ok := b.m["drained"]; !ok {
		t.Error("the drained bucket was dropped: its owner could start over")
	}
}

func TestRateLimitsTake(t *testing.T) {
	b := NewRateLimits(2, 4) // 2 tokens a second, up to 4
	check := func(step string, n int, at time.Duration, consume, wantOK bool, wantWait time.Duration) {
		t.Helper()
		ok, wait := b.Take("k", n, t0.Add(at), consume)
		if ok != wantOK || wait != wantWait {
			t.Errorf("%s: Take(%d) = %v, %v; want %v, %v", step, n, ok, wait, wantOK, wantWait)
		}
	}
	check("a new key starts full", 4, 0, false, true, 0)
	check("checking takes nothing", 4, 0, true, true, 0)
	check("drained", 1, 0, false, false, 500*time.Millisecond)
	check("a refused take takes nothing", 2, 250*time.Millisecond, true, false, 750*time.Millisecond)
	check("refilled", 2, time.Second, true, true, 0)
	check("more than the burst never fits", 5, 10*time.Second, true, false, 500*time.Millisecond)
	check("the bucket is full again", 4, 10*time.Second, true, true, 0)
	if ok, _ := b.Take("other", 4, t0, true); !ok {
		t.Error("another key shares the bucket")
	}
}
