package dashboard

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// DefaultSessionTTL is how long a session lasts without logging in again.
const DefaultSessionTTL = 12 * time.Hour

// Session cookie names: the __Host- prefix needs Secure, so it is used
// over TLS only.
const (
	cookieSecure = "__Host-lure_session"
	cookiePlain  = "lure_session"
)

// who is the principal of a request (authenticate puts it in the
// context), or nil.
func who(r *http.Request) *auth.Principal { return auth.FromContext(r.Context()) }

func (s *server) secure(r *http.Request) bool { return s.opts.SecureCookies || r.TLS != nil }

func (s *server) cookieName(r *http.Request) string {
	if s.secure(r) {
		return cookieSecure
	}
	return cookiePlain
}

// authenticate resolves the principal of a request from a bearer token or
// the session cookie, and puts it in the request context.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := s.principalOf(r); p != nil {
			r = r.WithContext(auth.NewContext(r.Context(), p))
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) principalOf(r *http.Request) *auth.Principal {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !strings.HasPrefix(secret, auth.TokenPrefix) {
			return nil
		}
		t, err := s.accounts.TokenByHash(ctx, auth.HashSecret(secret))
		if err != nil {
			if !errors.Is(err, store.ErrNoToken) {
				s.log.Error("dashboard: token lookup", "err", err)
			}
			return nil
		}
		return &auth.Principal{Name: "token:" + t.Name, Role: t.Role, TokenID: t.ID, Token: true}
	}
	c, err := r.Cookie(s.cookieName(r))
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil
	}
	h := auth.HashSecret(c.Value)
	u, err := s.accounts.SessionUser(ctx, h, s.now())
	if err != nil {
		if !errors.Is(err, store.ErrNoSession) {
			s.log.Error("dashboard: session lookup", "err", err)
		}
		return nil
	}
	return &auth.Principal{Name: u.Name, Role: u.Role, UserID: u.ID, Session: h}
}

// require wraps h so that it runs only for a principal holding at least
// role. Anonymous page requests are sent to the login page, anonymous API
// requests get 401; too low a role gets 403.
func (s *server) require(role auth.Role, api bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := who(r)
		switch {
		case p == nil && api:
			w.Header().Set("WWW-Authenticate", `Bearer realm="lure"`)
			writeJSONError(w, http.StatusUnauthorized, "authentication required")
		case p == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		case p == nil:
			s.renderError(w, r, http.StatusUnauthorized, "Please log in again.")
		case !p.Can(role) && api:
			writeJSONError(w, http.StatusForbidden, "your role ("+string(p.Role)+") may not do this")
		case !p.Can(role):
			s.renderError(w, r, http.StatusForbidden, "Your role ("+string(p.Role)+") may not see this page.")
		default:
			h(w, r)
		}
	}
}

// clientAddr is the request's remote IP (without port).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type loginData struct {
	Next    string
	User    string
	Message string
}

// safeNext keeps a post-login redirect on this site: a local path only.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

func (s *server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if who(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", view{Title: "Log in", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	name, pw := r.PostFormValue("user"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	addr := clientAddr(r)
	now := s.now()
	fail := func(code int, msg string) {
		s.render(w, r, code, "login", view{Title: "Log in", Data: loginData{Next: next, User: name, Message: msg}})
	}
	if by, until := s.logins.Blocked(name, addr, now); by != auth.NotThrottled {
		w.Header().Set("Retry-After", retryAfter(until, now))
		s.metricsLogin("throttled")
		msg := "Too many failed logins from your address. Try again later."
		if by == auth.ThrottledAccount {
			msg = "Too many failed logins for this account. Try again later."
		}
		fail(http.StatusTooManyRequests, msg)
		return
	}
	u, err := s.accounts.User(r.Context(), name)
	ok := false
	switch {
	case err == nil:
		ok = auth.CheckPassword(u.PasswordHash, pw) && !u.Disabled
	case errors.Is(err, store.ErrUserNotFound):
		auth.CheckMissing(pw)
	default:
		s.log.Error("dashboard: login", "err", err)
		fail(http.StatusInternalServerError, "Login is not available right now.")
		return
	}
	if !ok {
		s.logins.Fail(name, addr, now)
		s.metricsLogin("failed")
		s.log.Info("dashboard: login failed", "addr", addr)
		fail(http.StatusUnauthorized, "Unknown user or wrong password.")
		return
	}
	secret, err := auth.NewSecret()
	if err != nil {
		fail(http.StatusInternalServerError, "Login is not available right now.")
		return
	}
	exp := now.Add(s.opts.SessionTTL)
	if err := s.accounts.CreateSession(r.Context(), auth.HashSecret(secret), u.ID, exp, addr); err != nil {
		s.log.Error("dashboard: create session", "err", err)
		fail(http.StatusInternalServerError, "Login is not available right now.")
		return
	}
	s.logins.Succeed(name, addr)
	s.metricsLogin("ok")
	if err := s.accounts.PurgeSessions(r.Context(), now); err != nil {
		s.log.Warn("dashboard: purge expired sessions", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: secret, Path: "/", Expires: exp,
		MaxAge: int(s.opts.SessionTTL.Seconds()), HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	if u.Role == auth.Viewer && next == "/" {
		next = "/stats"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func retryAfter(until, now time.Time) string {
	sec := int(until.Sub(now).Seconds()) + 1
	return strconvItoa(max(sec, 1))
}

func (s *server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}

func (s *server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if p := who(r); p != nil && p.Session != "" {
		if err := s.accounts.DeleteSession(r.Context(), p.Session); err != nil {
			s.log.Error("dashboard: logout", "err", err)
		}
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *server) handleLogoutAll(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	if p == nil || p.UserID == 0 {
		s.renderError(w, r, http.StatusBadRequest, "Only a logged-in user can end their sessions.")
		return
	}
	n, err := s.accounts.DeleteUserSessions(r.Context(), p.UserID)
	if err != nil {
		s.log.Error("dashboard: logout everywhere", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not end the sessions.")
		return
	}
	s.audit(r, "logout_all", nil, map[string]int{"sessions": n})
	s.clearCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// audit appends a non-ad audit entry, logging a failure.
func (s *server) audit(r *http.Request, action string, before, after any) {
	actor := "system"
	if p := who(r); p != nil {
		actor = p.Name
	}
	if err := s.db.Audit(r.Context(), actor, action, before, after); err != nil {
		s.log.Error("dashboard: audit", "action", action, "err", err)
	}
}
