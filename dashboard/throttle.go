package dashboard

import (
	"sync"
	"time"
)

// throttle counts failed logins per key (an account name or a client
// address) in a fixed window and refuses further attempts once a key
// reached its limit, until the window ends. It holds at most maxKeys
// keys, dropping expired ones first.
type throttle struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	maxKeys int
	m       map[string]*attempts
}

type attempts struct {
	n     int
	start time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, maxKeys: 100000, m: map[string]*attempts{}}
}

// blocked reports whether key is out of attempts at now, and until when.
func (t *throttle) blocked(key string, now time.Time) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.m[key]
	if a == nil || now.Sub(a.start) >= t.window {
		return false, time.Time{}
	}
	return a.n >= t.limit, a.start.Add(t.window)
}

// fail records a failed attempt of key at now.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.m[key]
	if a == nil || now.Sub(a.start) >= t.window {
		if len(t.m) >= t.maxKeys {
			t.prune(now)
		}
		a = &attempts{start: now}
		t.m[key] = a
	}
	a.n++
}

// reset forgets key (after a successful login).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	delete(t.m, key)
	t.mu.Unlock()
}

func (t *throttle) prune(now time.Time) {
	for k, a := range t.m {
		if now.Sub(a.start) >= t.window {
			delete(t.m, k)
		}
	}
	for k := range t.m { // still full: forget arbitrary keys
		if len(t.m) < t.maxKeys {
			break
		}
		delete(t.m, k)
	}
}
