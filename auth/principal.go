package auth

import (
	"context"
	"strconv"
)

// Principal is who makes a request: a logged-in user or an API token.
type Principal struct {
	Name    string // the user's name, or "token:" and the token's name
	Role    Role
	UserID  int64 // 0 for tokens
	TokenID int64 // the token's store ID; 0 for users
	Token   bool
	// Session is the hash of the session secret (HashSecret) of a
	// logged-in user; empty for tokens.
	Session string
}

// RateKey identifies the principal for rate limits: its token or user
// ID, so that two tokens with the same name have their own buckets.
func (p *Principal) RateKey() string {
	if p.Token {
		return "token#" + strconv.FormatInt(p.TokenID, 10)
	}
	return "user#" + strconv.FormatInt(p.UserID, 10)
}

// Can reports whether p holds at least role min; a nil principal (no one
// authenticated) can do nothing.
func (p *Principal) Can(min Role) bool {
	return p != nil && p.Role.Rank() >= min.Rank()
}

type ctxKey struct{}

// NewContext returns a copy of ctx carrying p.
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal ctx carries, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
