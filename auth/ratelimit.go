package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimits are token buckets, one per key (a principal's RateKey):
// each holds up to burst tokens and refills at a rate in tokens per
// second. They hold at most maxKeys keys; a full bucket is the same as no
// bucket, so full ones are dropped first. It is safe for concurrent use.
type RateLimits struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	maxKeys int
	m       map[string]*rate.Limiter
}

// NewRateLimits returns buckets of burst tokens refilled at perSecond.
func NewRateLimits(perSecond float64, burst int) *RateLimits {
	return &RateLimits{rate: rate.Limit(perSecond), burst: burst, maxKeys: 100000, m: map[string]*rate.Limiter{}}
}

// Take removes n tokens from key's bucket at now if it holds them; if
// not, it removes nothing and says how long until it will. With consume
// false it only checks.
func (b *RateLimits) Take(key string, n int, now time.Time, consume bool) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.m[key]
	if l == nil {
		if len(b.m) >= b.maxKeys {
			b.prune(now)
		}
		l = rate.NewLimiter(b.rate, b.burst)
		b.m[key] = l
	}
	need := float64(n)
	tokens := l.TokensAt(now)
	if tokens >= need {
		if consume {
			l.AllowN(now, n)
		}
		return true, 0
	}
	return false, time.Duration((need - tokens) / float64(b.rate) * float64(time.Second))
}

func (b *RateLimits) prune(now time.Time) {
	for key, l := range b.m {
		if l.TokensAt(now) >= float64(b.burst) {
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
