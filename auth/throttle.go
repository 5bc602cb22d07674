package auth

import (
	"strings"
	"sync"
	"time"
)

// Login throttling: failed attempts allowed per window.
//
// An account is refused after LoginFailsAccount failures, and an address
// after LoginFailsAddr failures across accounts.
const (
	LoginWindow       = 15 * time.Minute
	LoginFailsAccount = 5  // per account
	LoginFailsAddr    = 20 // per address, across accounts
)

// Throttled says which limit refused a login.
type Throttled int

// The limits of a LoginThrottle.
const (
	NotThrottled     Throttled = iota
	ThrottledAddr              // the address, across accounts
	ThrottledAccount           // the account from this address
)

// LoginThrottle counts failed logins per account and per address. It is safe for concurrent use.
type LoginThrottle struct {
	account *throttle // by account
	addr    *throttle // by address
}

// NewLoginThrottle returns a throttle with the limits above.
func NewLoginThrottle() *LoginThrottle {
	return &LoginThrottle{
		account: newThrottle(LoginFailsAccount, LoginWindow),
		addr:    newThrottle(LoginFailsAddr, LoginWindow),
	}
}

// accountKey is the key of an account (case-insensitive, like logins).
func accountKey(account, _ string) string {
	return strings.ToLower(account)
}

// Blocked reports whether a login to account from addr is refused at now,
// by which limit, and until when. The address limit is checked first.
func (t *LoginThrottle) Blocked(account, addr string, now time.Time) (Throttled, time.Time) {
	if b, until := t.addr.blocked(addr, now); b {
		return ThrottledAddr, until
	}
	if b, until := t.account.blocked(accountKey(account, addr), now); b {
		return ThrottledAccount, until
	}
	return NotThrottled, time.Time{}
}

// Fail records a failed login to account from addr at now.
func (t *LoginThrottle) Fail(account, addr string, now time.Time) {
	t.addr.fail(addr, now)
	t.account.fail(accountKey(account, addr), now)
}

// Succeed forgets the failures of account after a successful login. The address's count stays: a good password for one account does
// not buy more guesses at others.
func (t *LoginThrottle) Succeed(account, addr string) {
	t.account.reset(accountKey(account, addr))
}

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
