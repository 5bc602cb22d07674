package webhook

import (
	"errors"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	const secret = "whsec-0123456789abcdef"
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"evt_1","type":"ad.flagged"}`)
	good := Sign(secret, now, body)
	for _, tc := range []struct {
		name   string
		secret string
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", secret, good, body, now, nil},
		{"valid within tolerance", secret, good, body, now.Add(4 * time.Minute), nil},
		{"valid among rotated signatures", secret, "t=" + good[2:12] + ",v1=" + fakeSig() + "," + good[13:], body, now, nil},
		{"tampered body", secret, good, []byte(`{"id":"evt_2","type":"ad.flagged"}`), now, ErrSignature},
		{"wrong secret", "another-secret-0000", good, body, now, ErrSignature},
		{"stale timestamp", secret, good, body, now.Add(6 * time.Minute), ErrStale},
		{"from the future", secret, good, body, now.Add(-6 * time.Minute), ErrStale},
		{"no timestamp", secret, good[13:], body, now, ErrBadHeader},
		{"no signature", secret, good[:12], body, now, ErrBadHeader},
		{"not hex", secret, good[:16] + "zz", body, now, ErrBadHeader},
		{"empty", secret, "", body, now, ErrBadHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.secret, tc.header, tc.body, tc.now, 5*time.Minute)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Verify(%q) = %v, want %v", tc.header, err, tc.want)
			}
		})
	}
}

func fakeSig() string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

func FuzzVerify(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	f.Add(Sign("secret-secret-secret", now, []byte("{}")), []byte("{}"))
	f.Add("t=1,v1=00", []byte(""))
	f.Add("t=,v1=,v1=,=", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Verify("secret-secret-secret", header, body, now, time.Minute)
		if err == nil && header != Sign("secret-secret-secret", now, body) {
			// Accepted: it must carry a signature over this body.
			if Verify("other-secret-secret", header, body, now, time.Minute) == nil {
				t.Fatalf("header %q verifies under two secrets", header)
			}
		}
	})
}
