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
