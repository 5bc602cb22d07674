package dashboard

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

type usersData struct {
	Users    []store.User
	Tokens   []store.Token
	Roles    []auth.Role
	Me       string
	Message  string
	NewToken string // shown once after creation
	NewPass  string // shown once after creating a user without a password
}

func (s *server) usersPage(w http.ResponseWriter, r *http.Request, code int, d usersData) {
	ctx := r.Context()
	var err error
	if d.Users, err = s.accounts.Users(ctx); err == nil {
		d.Tokens, err = s.accounts.Tokens(ctx)
	}
	if err != nil {
		s.log.Error("dashboard: users", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the users.")
		return
	}
	d.Roles, d.Me = auth.Roles, who(r).Name
	s.render(w, r, code, "users", view{Title: "Users", Nav: "users", Data: d})
}

func (s *server) handleUsers(w http.ResponseWriter, r *http.Request) {
	s.usersPage(w, r, http.StatusOK, usersData{})
}

// handleCreateUser adds a user; with no password given, a random one is
// generated and shown once.
func (s *server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	name, role, pw := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("role"), r.PostFormValue("password")
	d := usersData{}
	if pw == "" {
		var err error
		if pw, err = auth.NewPassword(); err != nil {
			s.usersPage(w, r, http.StatusInternalServerError, usersData{Message: "Could not generate a password."})
			return
		}
		d.NewPass = pw
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: err.Error()})
		return
	}
	u, err := s.accounts.CreateUser(r.Context(), name, auth.Role(role), hash)
	if err != nil {
		msg := "Could not create the user: the name must be 1–64 letters, digits or . - _ @, and the role viewer, analyst or admin."
		if errors.Is(err, store.ErrUserExists) {
			msg = "A user with this name exists."
		}
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: msg})
		return
	}
	s.audit(r, "user_create", nil, map[string]string{"user": u.Name, "role": string(u.Role)})
	d.Message = "User " + u.Name + " created."
	s.usersPage(w, r, http.StatusOK, d)
}

// handleUpdateUser changes a user's role, disables or enables them.
func (s *server) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	name := r.PathValue("name")
	ctx := r.Context()
	before, err := s.accounts.User(ctx, name)
	if err != nil {
		s.usersPage(w, r, http.StatusNotFound, usersData{Message: "No such user."})
		return
	}
	if name == who(r).Name {
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: "You cannot change your own account here; use the command line."})
		return
	}
	switch action := r.PostFormValue("action"); action {
	case "disable", "enable":
		err = s.accounts.SetDisabled(ctx, name, action == "disable")
	case "role":
		err = s.accounts.SetRole(ctx, name, auth.Role(r.PostFormValue("role")))
	default:
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: "Unknown action."})
		return
	}
	if err != nil {
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: "Could not change the user."})
		return
	}
	after, _ := s.accounts.User(ctx, name)
	s.audit(r, "user_update",
		map[string]any{"user": before.Name, "role": before.Role, "disabled": before.Disabled},
		map[string]any{"user": after.Name, "role": after.Role, "disabled": after.Disabled})
	s.usersPage(w, r, http.StatusOK, usersData{Message: "User " + name + " changed; their sessions were ended."})
}

// handleCreateToken creates an API token; its secret is shown once.
func (s *server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	ctx := r.Context()
	if id := r.PostFormValue("revoke"); id != "" {
		n, err := parseID(id)
		if err == nil {
			err = s.accounts.RevokeToken(ctx, n)
		}
		if err != nil {
			s.usersPage(w, r, http.StatusBadRequest, usersData{Message: "No such token."})
			return
		}
		s.audit(r, "token_revoke", nil, map[string]int64{"token": n})
		s.usersPage(w, r, http.StatusOK, usersData{Message: "Token revoked."})
		return
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		s.usersPage(w, r, http.StatusInternalServerError, usersData{Message: "Could not create a token."})
		return
	}
	t, err := s.accounts.CreateToken(ctx, strings.TrimSpace(r.PostFormValue("name")), auth.Role(r.PostFormValue("role")), hash)
	if err != nil {
		s.usersPage(w, r, http.StatusBadRequest, usersData{Message: "Could not create the token: give a name and a role."})
		return
	}
	s.audit(r, "token_create", nil, map[string]any{"token": t.ID, "name": t.Name, "role": t.Role})
	s.usersPage(w, r, http.StatusOK, usersData{Message: "Token " + t.Name + " created. Copy it now: it is not shown again.", NewToken: secret})
}

type statsData struct {
	Bands  []ad.Band
	Stats  store.Stats
	Facets []statsFacet
}

type statsFacet struct {
	Name  string
	Rows  []store.Facet
	Max   int
	Param string
}

// handleStats shows counts only: no ad text, no contacts. It is what
// viewers (NGOs) see.
func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, facets, err := s.stats(r)
	if err != nil {
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the statistics.")
		return
	}
	d := statsData{Stats: st, Bands: ad.Bands}
	for _, f := range []struct{ name, key string }{
		{"By destination country", "destination"}, {"By signal", "signal"}, {"By site", "site"},
		{"By language", "lang"}, {"By kind", "kind"}, {"By review status", "status"},
	} {
		sf := statsFacet{Name: f.name, Rows: facets[f.key], Param: f.key}
		for _, x := range sf.Rows {
			sf.Max = max(sf.Max, x.Count)
		}
		d.Facets = append(d.Facets, sf)
	}
	s.render(w, r, http.StatusOK, "stats", view{Title: "Statistics", Nav: "stats", Data: d})
}

func (s *server) stats(r *http.Request) (store.Stats, map[string][]store.Facet, error) {
	st, f, err := s.counts.get(r.Context(), s.db, time.Now(), s.log)
	if err != nil {
		s.log.Error("dashboard: stats", "err", err)
	}
	return st, f, err
}

func (s *server) handleAPIStats(w http.ResponseWriter, r *http.Request) {
	st, f, err := s.stats(r)
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "could not read the statistics")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"totals": st, "flagged_by": f})
}

func (s *server) handleAPIMe(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	writeJSON(w, http.StatusOK, map[string]any{"name": p.Name, "role": p.Role, "token": p.Token})
}

// MaxSnapshotShown bounds how much of an archived page is shown.
const MaxSnapshotShown = 512 << 10

type snapshotData struct {
	ID, Ref   string
	Text      string
	Truncated bool
	Size      int
	Fetched   time.Time
}

// handleSnapshot shows an ad's archived page as escaped text: it can run
// nothing and load nothing.
func (s *server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	if s.opts.Snapshots == nil {
		s.renderError(w, r, http.StatusNotFound, "Archived pages are not available on this node.")
		return
	}
	v, err := s.db.Get(r.Context(), r.PathValue("id"))
	if err != nil || v.Ad.Snapshot == "" {
		s.renderError(w, r, http.StatusNotFound, "This ad has no archived page.")
		return
	}
	b, fetched, err := s.opts.Snapshots.Get(v.Ad.Snapshot)
	if err != nil {
		s.log.Warn("dashboard: snapshot", "ad", v.Ad.ID, "err", err)
		s.renderError(w, r, http.StatusNotFound, "The archived page could not be read.")
		return
	}
	d := snapshotData{ID: v.Ad.ID, Ref: v.Ad.Snapshot, Size: len(b), Fetched: fetched}
	if len(b) > MaxSnapshotShown {
		b, d.Truncated = b[:MaxSnapshotShown], true
	}
	d.Text = strings.ToValidUTF8(string(b), "\uFFFD")
	s.render(w, r, http.StatusOK, "snapshot", view{Title: "Archived page", Data: d})
}
