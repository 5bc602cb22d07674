// Package auth holds who may use lure and how they prove it: roles,
// argon2id password hashes, API token and session secrets (stored only as
// their SHA-256), the principal an authenticated request carries, login
// throttling and per-principal rate limits.
//
// It knows nothing about HTTP handlers or SQL: the dashboard authenticates
// requests with it, the store keeps users, sessions and tokens with its
// role type, and `lure users` hashes passwords and makes tokens with it.
package auth
