package auth

import (
	"strings"
	"testing"
)

// testPassword is a password long enough for HashPassword.
const testPassword = "correct horse battery staple"

// testHash is testPassword hashed once (argon2id is slow on purpose).
var testHash = func() string {
	h, err := HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

func TestHashAndCheckPassword(t *testing.T) {
	if !strings.HasPrefix(testHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q", testHash)
	}
	if !CheckPassword(testHash, testPassword) || CheckPassword(testHash, testPassword+"!") {
		t.Fatal("CheckPassword does not tell the right password from a wrong one")
	}
	for _, pw := range []string{"short", strings.Repeat("x", MaxPasswordLength+1)} {
		if _, err := HashPassword(pw); err != ErrWeakPassword {
			t.Errorf("HashPassword(%d bytes) = %v, want ErrWeakPassword", len(pw), err)
		}
	}
	if CheckMissing(testPassword) {
		t.Error("CheckMissing reported a match")
	}
}

func TestTokens(t *testing.T) {
	secret, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || hash != HashSecret(secret) || len(hash) != 64 {
		t.Fatalf("token %q hash %q", secret, hash)
	}
	other, _, _ := NewToken()
	if other == secret {
		t.Fatal("two tokens are equal")
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add(testHash, testPassword)
	f.Add("$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "x")
	f.Add("$argon2id$v=19$m=16,t=1,p=1$$", "")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		if CheckPassword(encoded, pw) && encoded != testHash {
			// Only a well-formed hash of pw may match; re-check it parses.
			if len(encoded) < 20 {
				t.Fatalf("short hash %q matched", encoded)
			}
		}
	})
}
