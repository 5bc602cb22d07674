package auth

import (
	"math"
	"sync"
	"time"
)

// RateLimits are token buckets, one per key (a principal's RateKey):
// each holds up to burst tokens and refills at rate tokens per second.
// They hold at most maxKeys keys; a full bucket is the same as no bucket,
// so full ones are dropped first. It is safe for concurrent use.
type RateLimits struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	maxKeys int
	m       map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewRateLimits returns buckets of burst tokens refilled at rate per second.
func NewRateLimits(rate float64, burst int) *RateLimits {
	return &RateLimits{rate: rate, burst: float64(burst), maxKeys: 100000, m: map[string]*bucket{}}
}

// Take removes n tokens from key's bucket at now if it holds them; if
// not, it removes nothing and says how long until it will. With
// consume false it only checks.
func (b *RateLimits) Take(key string, n int, now time.Time, consume bool) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := b.m[key]
	if k == nil {
		if len(b.m) >= b.maxKeys {
			b.prune(now)
		}
		k = &bucket{tokens: b.burst, last: now}
		b.m[key] = k
	}
	if now.After(k.last) {
		k.tokens = math.Min(b.burst, k.tokens+now.Sub(k.last).Seconds()*b.rate)
		k.last = now
	}
	need := float64(n)
	if k.tokens >= need {
		if consume {
			k.tokens -= need
		}
		return true, 0
	}
	wait := time.Duration((need - k.tokens) / b.rate * float64(time.Second))
	return false, wait
}

func (b *RateLimits) prune(now time.Time) {
	for key, k := range b.m {
		if k.tokens+now.Sub(k.last).Seconds()*b.rate >= b.burst {
			delete(b.m, key)
		}
	}
	for key := range b.m { // still full: forget arbitrary keys
		if len(b.m) < b.maxKeys {
			break
		}
		delete(b.m, key)
	}
}
