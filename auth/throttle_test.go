package auth

import (
	"strconv"
	"testing"
	"time"
)

const (
	addrA = "203.0.113.7"
	addrB = "198.51.100.20"
)

func TestLoginThrottleAccountFromOneAddress(t *testing.T) {
	lt := NewLoginThrottle()
	for i := range LoginFailsAccount {
		if by, _ := lt.Blocked("admin", addrA, t0); by != NotThrottled {
			t.Fatalf("attempt %d refused (%v) before the limit", i, by)
		}
		lt.Fail("admin", addrA, t0)
	}
	by, until := lt.Blocked("Admin", addrA, t0.Add(time.Minute))
	if by != ThrottledAccount || !until.Equal(t0.Add(LoginWindow)) {
		t.Fatalf("after %d failures: %v until %v, want the account throttled until %v", LoginFailsAccount, by, until, t0.Add(LoginWindow))
	}
	// The owner, from another address, is not locked out.
	if by, _ := lt.Blocked("admin", addrB, t0.Add(time.Minute)); by != NotThrottled {
		t.Fatalf("the same account from another address = %v, want not throttled", by)
	}
	// Other accounts from the throttled address are still tried.
	if by, _ := lt.Blocked("analyst", addrA, t0.Add(time.Minute)); by != NotThrottled {
		t.Fatalf("another account from the address = %v, want not throttled", by)
	}
	if by, _ := lt.Blocked("admin", addrA, t0.Add(LoginWindow)); by != NotThrottled {
		t.Fatalf("after the window = %v", by)
	}
}

func TestLoginThrottleSucceedForgetsThePair(t *testing.T) {
	lt := NewLoginThrottle()
	for range LoginFailsAccount - 1 {
		lt.Fail("admin", addrA, t0)
	}
	lt.Succeed("ADMIN", addrA)
	for range LoginFailsAccount - 1 {
		lt.Fail("admin", addrA, t0)
	}
	if by, _ := lt.Blocked("admin", addrA, t0); by != NotThrottled {
		t.Fatalf("after a success and %d more failures = %v", LoginFailsAccount-1, by)
	}
}

func TestLoginThrottlePerAddressAcrossAccounts(t *testing.T) {
	lt := NewLoginThrottle()
	for i := range LoginFailsAddr {
		if by, _ := lt.Blocked("user"+strconv.Itoa(i), addrA, t0); by != NotThrottled {
			t.Fatalf("attempt %d refused (%v) before the address limit", i, by)
		}
		lt.Fail("user"+strconv.Itoa(i), addrA, t0)
	}
	// The address is throttled for every account, even untried ones.
	by, until := lt.Blocked("viewer", addrA, t0.Add(time.Second))
	if by != ThrottledAddr || !until.Equal(t0.Add(LoginWindow)) {
		t.Fatalf("an untried account from the address = %v until %v, want the address throttled", by, until)
	}
	// A success from the address does not reset the address's count.
	lt.Succeed("viewer", addrA)
	if by, _ := lt.Blocked("viewer", addrA, t0.Add(time.Second)); by != ThrottledAddr {
		t.Fatalf("after a success = %v, want the address still throttled", by)
	}
	// Those accounts from another address are not affected.
	if by, _ := lt.Blocked("user0", addrB, t0.Add(time.Second)); by != NotThrottled {
		t.Fatalf("another address = %v, want not throttled", by)
	}
	if by, _ := lt.Blocked("viewer", addrA, t0.Add(LoginWindow)); by != NotThrottled {
		t.Fatalf("after the window = %v", by)
	}
}

func TestThrottleBoundedMemory(t *testing.T) {
	const maxKeys = 50
	lt := &LoginThrottle{account: newThrottle(LoginFailsAccount, LoginWindow, maxKeys), addr: newThrottle(LoginFailsAddr, LoginWindow, maxKeys)}
	// A flood of failures from ever new addresses on ever new accounts,
	// all within one window.
	for i := range 10 * maxKeys {
		now := t0.Add(time.Duration(i) * time.Millisecond)
		lt.Fail("user"+strconv.Itoa(i), "10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), now)
		if n, m := lt.account.len(), lt.addr.len(); n > maxKeys || m > maxKeys {
			t.Fatalf("after %d failures: %d pairs and %d addresses held, max %d", i+1, n, m, maxKeys)
		}
	}
	// Expired windows go as soon as anything fails again.
	lt.Fail("late", "192.0.2.1", t0.Add(LoginWindow+time.Hour))
	if n, m := lt.account.len(), lt.addr.len(); n != 1 || m != 1 {
		t.Fatalf("after the window: %d pairs and %d addresses held, want 1 and 1", n, m)
	}
}

func TestThrottleEvictsOldestWindowFirst(t *testing.T) {
	th := newThrottle(2, LoginWindow, 3)
	th.fail("old", t0)
	th.fail("mid", t0.Add(time.Second))
	th.fail("mid", t0.Add(2*time.Second))
	th.fail("new", t0.Add(3*time.Second))
	th.fail("newest", t0.Add(4*time.Second)) // full: "old" goes
	now := t0.Add(5 * time.Second)
	if _, ok := th.m["old"]; ok || th.len() != 3 {
		t.Fatalf("keys %v, want the oldest window dropped", th.m)
	}
	if b, _ := th.blocked("mid", now); !b {
		t.Fatal("a newer, throttled key was dropped")
	}
	// A key's count grows within its window, and its window does not
	// move: it still ends a window after its first failure.
	th.fail("new", now)
	if b, until := th.blocked("new", now); !b || !until.Equal(t0.Add(3*time.Second+LoginWindow)) {
		t.Fatalf("new: blocked %v until %v", b, until)
	}
	th.reset("new")
	if b, _ := th.blocked("new", now); b || th.len() != 2 {
		t.Fatalf("after reset: blocked %v, %d keys", b, th.len())
	}
}
