package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// NewSecret returns 32 random bytes, URL-safe base64 encoded.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// TokenPrefix starts every API token.
const TokenPrefix = "lure_"

// NewToken returns a fresh API token secret and the hash to store.
func NewToken() (secret, hash string, err error) {
	s, err := NewSecret()
	if err != nil {
		return "", "", err
	}
	secret = TokenPrefix + s
	return secret, HashSecret(secret), nil
}

// HashSecret is the SHA-256 (hex) of a session or token secret: what the
// store keeps. Secrets are 256-bit random, so a fast hash suffices.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
