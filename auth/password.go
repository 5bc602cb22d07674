package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Password hashing parameters (argon2id, OWASP's baseline).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16

	// MinPasswordLength and MaxPasswordLength bound passwords.
	MinPasswordLength = 12
	MaxPasswordLength = 1024
)

// ErrWeakPassword is returned by HashPassword for a password outside the
// length bounds.
var ErrWeakPassword = fmt.Errorf("auth: password must be %d to %d bytes", MinPasswordLength, MaxPasswordLength)

// HashPassword returns an encoded argon2id hash of pw:
// $argon2id$v=19$m=…,t=…,p=…$salt$hash (base64, no padding).
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLength || len(pw) > MaxPasswordLength {
		return "", ErrWeakPassword
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches an encoded hash from
// HashPassword. A malformed hash matches nothing.
func CheckPassword(encoded, pw string) bool {
	if len(pw) > MaxPasswordLength {
		return false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil ||
		m == 0 || m > 1<<18 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the user does not exist, so a login
// takes as long for an unknown name as for a wrong password.
var dummyHash, _ = HashPassword("lure-no-such-user-placeholder")

// CheckMissing spends the time of a CheckPassword on a user that does not
// exist, so that a login takes as long for an unknown name as for a wrong
// password. It always reports false.
func CheckMissing(pw string) bool {
	CheckPassword(dummyHash, pw)
	return false
}

// NewPassword returns a random password for a new account.
func NewPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
