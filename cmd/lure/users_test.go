package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

func TestUsersCommand(t *testing.T) {
	dir := t.TempDir()
	users := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"users"}, append(args, "--data-dir", dir)...), strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"add", "a long password 1\n", []string{"add", "ann", "--role", "admin"}, 0, "added ann (admin)"},
		{"add twice", "a long password 1\n", []string{"add", "ann"}, 1, ""},
		{"short password", "short\n", []string{"add", "bob"}, 1, ""},
		{"bad role", "a long password 1\n", []string{"add", "bob", "--role", "boss"}, 1, ""},
		{"passwd", "another long password\n", []string{"passwd", "ann"}, 0, "password of ann changed"},
		{"disable", "", []string{"disable", "ann"}, 0, "ann disabled"},
		{"role", "", []string{"role", "ann", "viewer"}, 0, "ann is now viewer"},
		{"token", "", []string{"token", "--role", "analyst", "--name", "ci"}, 0, auth.TokenPrefix},
		{"list", "", []string{"list"}, 0, "ann   viewer  disabled"},
		{"unknown", "", []string{"frobnicate"}, 2, ""},
		{"missing name", "", []string{"add"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := users(tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Fatalf("code %d out %q err %q; want %d, %q", code, out, errs, tt.code, tt.out)
			}
		})
	}
	// The stored password is the one from stdin, hashed; the token works.
	st, err := store.Open(context.Background(), app.Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.Accounts().User(context.Background(), "ann")
	if err != nil || !auth.CheckPassword(u.PasswordHash, "another long password") || !u.Disabled {
		t.Fatalf("ann = %+v %v", u, err)
	}
	_, out, _ := users("", "token", "--role", "viewer", "--name", "ngo")
	if tok, err := st.Accounts().TokenByHash(context.Background(), auth.HashSecret(strings.TrimSpace(out))); err != nil || tok.Role != "viewer" {
		t.Fatalf("token %q: %+v %v", out, tok, err)
	}
}
