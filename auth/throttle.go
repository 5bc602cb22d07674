package auth

import (
	"container/list"
	"strings"
	"sync"
	"time"
)

// Login throttling: failed attempts allowed per window.
//
// A pair of account and client address is refused after
// LoginFailsAccount failures, so that a guesser of one password is
// slowed down without locking the account's owner out from elsewhere.
// An address is refused, for every account, after LoginFailsAddr
// failures across accounts, so that one address cannot try a few
// passwords on many accounts.
const (
	LoginWindow       = 15 * time.Minute
	LoginFailsAccount = 5  // per account and address
	LoginFailsAddr    = 20 // per address, across accounts
	// LoginMaxKeys bounds how many keys (account and address pairs, and
	// addresses) each count of failures holds. Under a flood of failures
	// from ever new keys, the oldest windows are forgotten first.
	LoginMaxKeys = 100000
)

// Throttled says which limit refused a login.
type Throttled int

// The limits of a LoginThrottle.
const (
	NotThrottled     Throttled = iota
	ThrottledAddr              // the address, across accounts
	ThrottledAccount           // the account from this address
)

// LoginThrottle counts failed logins per account and address and per
// address. It is safe for concurrent use.
type LoginThrottle struct {
	account *throttle // by account and address
	addr    *throttle // by address
}

// NewLoginThrottle returns a throttle with the limits above.
func NewLoginThrottle() *LoginThrottle {
	return &LoginThrottle{
		account: newThrottle(LoginFailsAccount, LoginWindow, LoginMaxKeys),
		addr:    newThrottle(LoginFailsAddr, LoginWindow, LoginMaxKeys),
	}
}

// accountKey is the key of an account (case-insensitive, like logins)
// tried from addr. A user name holds no NUL byte.
func accountKey(account, addr string) string {
	return strings.ToLower(account) + "\x00" + addr
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

// Succeed forgets the failures of account from addr after a successful
// login. The address's count stays: a good password for one account does
// not buy more guesses at others.
func (t *LoginThrottle) Succeed(account, addr string) {
	t.account.reset(accountKey(account, addr))
}

// throttle counts failures per key in a fixed window that starts at the
// key's first failure, and refuses further attempts once a key reached
// its limit, until the window ends. It holds at most maxKeys keys:
// expired windows are dropped as they age out, and when it is still full
// the oldest window goes.
type throttle struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	maxKeys int
	m       map[string]*list.Element // of *attempts
	order   *list.List               // of *attempts, oldest window first
}

type attempts struct {
	key   string
	n     int
	start time.Time
}

func newThrottle(limit int, window time.Duration, maxKeys int) *throttle {
	return &throttle{limit: limit, window: window, maxKeys: max(maxKeys, 1),
		m: map[string]*list.Element{}, order: list.New()}
}

// blocked reports whether key is out of attempts at now, and until when.
func (t *throttle) blocked(key string, now time.Time) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[key]
	if e == nil {
		return false, time.Time{}
	}
	a := e.Value.(*attempts)
	if now.Sub(a.start) >= t.window {
		return false, time.Time{}
	}
	return a.n >= t.limit, a.start.Add(t.window)
}

// fail records a failed attempt of key at now.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(now)
	if e := t.m[key]; e != nil {
		a := e.Value.(*attempts)
		if now.Sub(a.start) < t.window {
			a.n++
			return
		}
		t.remove(e) // a window over that expire did not reach: start anew
	}
	for len(t.m) >= t.maxKeys {
		t.remove(t.order.Front())
	}
	t.m[key] = t.order.PushBack(&attempts{key: key, n: 1, start: now})
}

// reset forgets key (after a successful login).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.m[key]; e != nil {
		t.remove(e)
	}
}

// expire drops the windows over at now, oldest first.
func (t *throttle) expire(now time.Time) {
	for e := t.order.Front(); e != nil; e = t.order.Front() {
		if now.Sub(e.Value.(*attempts).start) < t.window {
			return
		}
		t.remove(e)
	}
}

func (t *throttle) remove(e *list.Element) {
	delete(t.m, e.Value.(*attempts).key)
	t.order.Remove(e)
}

// len is how many keys t holds.
func (t *throttle) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
