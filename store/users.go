package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lurewatch/lure/auth"
)

// Accounts are the users, their sessions and the API tokens: who may use
// the dashboard and the API. Get them with Store.Accounts.
type Accounts struct {
	db *sql.DB
}

// Accounts returns the store's users, sessions and API tokens.
func (s *Store) Accounts() *Accounts { return &Accounts{db: s.db} }

// Errors of the user, session and token tables.
var (
	ErrUserNotFound = errors.New("store: user not found")
	ErrUserExists   = errors.New("store: user exists")
	ErrNoSession    = errors.New("store: no such session")
	ErrNoToken      = errors.New("store: no such token")
	ErrBadRole      = errors.New("store: unknown role")
)

// MaxUserName bounds user names.
const MaxUserName = 64

// User is a local account. PasswordHash is an encoded password hash the
// store never interprets.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         auth.Role `json:"role"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	PasswordHash string    `json:"-"`
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// ValidUserName reports whether name is 1–64 characters of letters,
// digits, '.', '-', '_' or '@'.
func ValidUserName(name string) bool {
	if name == "" || len(name) > MaxUserName {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_@", r)
		if !ok {
			return false
		}
	}
	return true
}

// CreateUser adds a user with a password hash.
func (a *Accounts) CreateUser(ctx context.Context, name string, role auth.Role, pwHash string) (User, error) {
	if !ValidUserName(name) {
		return User{}, fmt.Errorf("store: create user: invalid name %q", name)
	}
	if !role.Valid() {
		return User{}, fmt.Errorf("%w: %q", ErrBadRole, role)
	}
	now := time.Now().UTC()
	res, err := a.db.ExecContext(ctx, `INSERT INTO users (name, role, pw_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, role, pwHash, formatTime(now), formatTime(now))
	if err != nil {
		return User{}, wrap("create user", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return User{}, fmt.Errorf("%w: %q", ErrUserExists, name)
	}
	return a.User(ctx, name)
}

const userCols = `id, name, role, disabled, created_at, pw_hash`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var created string
	if err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &created, &u.PasswordHash); err != nil {
		return User{}, err
	}
	u.CreatedAt = parseTime(created)
	return u, nil
}

// User returns the user called name, or an error wrapping ErrUserNotFound.
func (a *Accounts) User(ctx context.Context, name string) (User, error) {
	u, err := scanUser(a.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("%w: %q", ErrUserNotFound, name)
	}
	return u, wrap("user", err)
}

// Users lists every user by name.
func (a *Accounts) Users(ctx context.Context) ([]User, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, wrap("users", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, wrap("users", err)
		}
		out = append(out, u)
	}
	return out, wrap("users", rows.Err())
}

// CountUsers counts the users.
func (a *Accounts) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := a.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, wrap("count users", err)
}

// updateUser runs one UPDATE on the named user and ends its sessions.
func (a *Accounts) updateUser(ctx context.Context, op, name, set string, arg any) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	res, err := tx.ExecContext(ctx, `UPDATE users SET `+set+` = ?, updated_at = ? WHERE name = ?`,
		arg, formatTime(time.Now()), name)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %q", ErrUserNotFound, name)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, name); err != nil {
		return wrap(op, err)
	}
	return wrap(op, tx.Commit())
}

// SetPassword replaces a user's password hash and ends their sessions.
func (a *Accounts) SetPassword(ctx context.Context, name, pwHash string) error {
	return a.updateUser(ctx, "set password", name, "pw_hash", pwHash)
}

// SetDisabled disables or re-enables a user; disabling ends their sessions.
func (a *Accounts) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return a.updateUser(ctx, "set disabled", name, "disabled", disabled)
}

// SetRole changes a user's role and ends their sessions.
func (a *Accounts) SetRole(ctx context.Context, name string, role auth.Role) error {
	if !role.Valid() {
		return fmt.Errorf("%w: %q", ErrBadRole, role)
	}
	return a.updateUser(ctx, "set role", name, "role", role)
}

// CreateSession records a session by the hash of its secret.
func (a *Accounts) CreateSession(ctx context.Context, idHash string, userID int64, expires time.Time, addr string) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, expires_at, addr) VALUES (?, ?, ?, ?, ?)`,
		idHash, userID, formatTime(time.Now()), formatTime(expires), addr)
	return wrap("create session", err)
}

// SessionUser returns the enabled user of an unexpired session at time
// now, or an error wrapping ErrNoSession.
func (a *Accounts) SessionUser(ctx context.Context, idHash string, now time.Time) (User, error) {
	u, err := scanUser(a.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.pw_hash
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0`, idHash, formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoSession
	}
	return u, wrap("session", err)
}

// DeleteSession ends one session.
func (a *Accounts) DeleteSession(ctx context.Context, idHash string) error {
	_, err := a.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return wrap("delete session", err)
}

// DeleteUserSessions ends every session of a user ("log out everywhere")
// and returns how many there were.
func (a *Accounts) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	res, err := a.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, wrap("delete sessions", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PurgeSessions deletes the sessions expired at now.
func (a *Accounts) PurgeSessions(ctx context.Context, now time.Time) error {
	_, err := a.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
	return wrap("purge sessions", err)
}

// Token is an API token; only the hash of its secret is stored.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      auth.Role `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked"`
}

// CreateToken records an API token by the hash of its secret.
func (a *Accounts) CreateToken(ctx context.Context, name string, role auth.Role, hash string) (Token, error) {
	if !role.Valid() {
		return Token{}, fmt.Errorf("%w: %q", ErrBadRole, role)
	}
	if name == "" || len(name) > 200 {
		return Token{}, errors.New("store: create token: name must be 1 to 200 bytes")
	}
	now := time.Now().UTC()
	res, err := a.db.ExecContext(ctx, `INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		name, role, hash, formatTime(now))
	if err != nil {
		return Token{}, wrap("create token", err)
	}
	id, _ := res.LastInsertId()
	return Token{ID: id, Name: name, Role: role, CreatedAt: now}, nil
}

// TokenByHash returns the unrevoked token with this hash, or an error
// wrapping ErrNoToken.
func (a *Accounts) TokenByHash(ctx context.Context, hash string) (Token, error) {
	var t Token
	var created string
	err := a.db.QueryRowContext(ctx, `SELECT id, name, role, created_at, revoked FROM api_tokens WHERE token_hash = ? AND revoked = 0`, hash).
		Scan(&t.ID, &t.Name, &t.Role, &created, &t.Revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNoToken
	}
	t.CreatedAt = parseTime(created)
	return t, wrap("token", err)
}

// Tokens lists every API token, newest first.
func (a *Accounts) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT id, name, role, created_at, revoked FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, wrap("tokens", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var created string
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &created, &t.Revoked); err != nil {
			return nil, wrap("tokens", err)
		}
		t.CreatedAt = parseTime(created)
		out = append(out, t)
	}
	return out, wrap("tokens", rows.Err())
}

// RevokeToken revokes a token by ID.
func (a *Accounts) RevokeToken(ctx context.Context, id int64) error {
	res, err := a.db.ExecContext(ctx, `UPDATE api_tokens SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return wrap("revoke token", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoToken
	}
	return nil
}
