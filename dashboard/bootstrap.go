package dashboard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lurewatch/lure/auth"
)

// InitialPasswordFile is the file, in the data directory, that receives
// the first admin's password.
const InitialPasswordFile = "initial-admin-password"

// EnsureAdmin creates the user "admin" (role admin) with a random password
// when st has no user at all, and writes the password once to
// dir/initial-admin-password (mode 0600, never overwritten). It returns the
// file's path when it created the user, "" otherwise.
func EnsureAdmin(ctx context.Context, st Store, dir string) (string, error) {
	accounts := st.Accounts()
	n, err := accounts.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("dashboard: first admin: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	pw, err := auth.NewPassword()
	if err != nil {
		return "", err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, InitialPasswordFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("dashboard: first admin: %s exists but there are no users; remove it or run `lure users add`", path)
	}
	if err != nil {
		return "", fmt.Errorf("dashboard: first admin: %w", err)
	}
	if _, err := fmt.Fprintln(f, pw); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("dashboard: first admin: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("dashboard: first admin: %w", err)
	}
	if _, err := accounts.CreateUser(ctx, "admin", auth.Admin, hash); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("dashboard: first admin: %w", err)
	}
	if err := st.Audit(ctx, "system", "user_create", nil, map[string]string{"user": "admin", "role": string(auth.Admin)}); err != nil {
		return path, fmt.Errorf("dashboard: first admin: %w", err)
	}
	return path, nil
}
