package exchange

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Share key limits: a key shorter than KeyMin bytes is refused.
const (
	KeyMin = 32
	KeyMax = 4096
)

// LoadKey reads a share key file: its bytes, without a trailing line
// ending, at least KeyMin of them.
func LoadKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("exchange: share key: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, KeyMax+1))
	if err != nil {
		return nil, fmt.Errorf("exchange: share key: %w", err)
	}
	return CheckKey(b)
}

// CheckKey returns key without a trailing line ending, or an error when
// what is left is shorter than KeyMin or longer than KeyMax bytes.
func CheckKey(key []byte) ([]byte, error) {
	key = bytes.TrimRight(key, "\r\n")
	if len(key) < KeyMin {
		return nil, fmt.Errorf("exchange: share key is %d bytes, want at least %d (e.g. openssl rand -hex 32)", len(key), KeyMin)
	}
	if len(key) > KeyMax {
		return nil, fmt.Errorf("exchange: share key is longer than %d bytes", KeyMax)
	}
	return key, nil
}

// Hash returns the lower-case hex HMAC-SHA256 of a normalised value
// under key.
func Hash(key []byte, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
