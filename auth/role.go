package auth

import (
	"errors"
	"fmt"
)

// Role is what a user or API token may do. Roles are ordered: each one
// may do everything the roles below it may.
type Role string

// Roles a user or API token can hold, from least to most trusted.
const (
	Viewer  Role = "viewer"  // NGO statistics, no personal data
	Analyst Role = "analyst" // review work
	Admin   Role = "admin"   // users and the audit log
)

// Roles lists every role, least trusted first.
var Roles = []Role{Viewer, Analyst, Admin}

// ErrBadRole is returned for a name that is no role.
var ErrBadRole = errors.New("auth: unknown role")

// Rank orders roles: 1 for viewer, up to len(Roles) for admin; an unknown
// role ranks 0, below viewer.
func (r Role) Rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.Rank() > 0 }

// ParseRole returns the role called s, or an error wrapping ErrBadRole.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", fmt.Errorf("%w: %q", ErrBadRole, s)
}
