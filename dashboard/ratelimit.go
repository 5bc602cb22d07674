package dashboard

import (
	"math"
	"sync"
	"time"
)

// buckets are token buckets, one per key (an API token's or a user's ID):
// each holds up to burst tokens and refills at rate tokens per second.
// They hold at most maxKeys keys; a full bucket is the same as no bucket,
// so full ones are dropped first.
type buckets struct {
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

func newBuckets(rate float64, burst int) *buckets {
	return &buckets{rate: rate, burst: float64(burst), maxKeys: 100000, m: map[string]*bucket{}}
}

// take removes n tokens from key's bucket at now if it holds them; if
// not, it removes nothing and says how long until it will. With
// consume false it only checks.
func (b *buckets) take(key string, n int, now time.Time, consume bool) (bool, time.Duration) {
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

func (b *buckets) prune(now time.Time) {
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

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
