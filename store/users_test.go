package store

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/auth"
)

func TestUsersSessionsTokens(t *testing.T) {
	st := reviewStore(t).Accounts()
	ctx := context.Background()
	u, err := st.CreateUser(ctx, "ann", auth.Analyst, "h")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "ann", auth.Admin, "h"); err == nil {
		t.Fatal("duplicate user accepted")
	}
	if _, err := st.CreateUser(ctx, "bad name", auth.Admin, "h"); err == nil {
		t.Fatal("bad name accepted")
	}
	now := parseTime("2026-01-01T00:00:00.000000000Z")
	if err := st.CreateSession(ctx, "s1", u.ID, now.Add(3600e9), ""); err != nil {
		t.Fatal(err)
	}
	if got, err := st.SessionUser(ctx, "s1", now); err != nil || got.Name != "ann" {
		t.Fatalf("session = %+v %v", got, err)
	}
	if _, err := st.SessionUser(ctx, "s1", now.Add(3601e9)); err != ErrNoSession {
		t.Fatalf("expired session: %v", err)
	}
	if err := st.SetDisabled(ctx, "ann", true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionUser(ctx, "s1", now); err != ErrNoSession {
		t.Fatalf("disabling must end sessions: %v", err)
	}
	tok, err := st.CreateToken(ctx, "x", auth.Viewer, "th")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.TokenByHash(ctx, "th"); err != nil || got.Role != auth.Viewer {
		t.Fatalf("token = %+v %v", got, err)
	}
	if err := st.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenByHash(ctx, "th"); err != ErrNoToken {
		t.Fatalf("revoked token: %v", err)
	}
}
