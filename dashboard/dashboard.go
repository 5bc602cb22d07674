// Package dashboard serves lure's review UI (server-rendered HTML, assets
// embedded) and its JSON API over the store of scored ads and the index of
// flagged ads.
//
// Every ad field is untrusted: templates escape it, evidence highlighting
// escapes each segment before adding marks, only http(s) URLs become links,
// archived pages are shown as escaped text, and every response carries a
// strict Content-Security-Policy. Access is by local users (argon2id
// passwords, server-side sessions in HttpOnly SameSite=Strict cookies,
// login throttling, all from package auth) or hashed API tokens, each
// holding a role: viewer
// (statistics without personal data), analyst (review) or admin (users,
// audit log). Every state-changing request passes
// http.CrossOriginProtection. Review decisions and assignments go to the
// store's append-only audit log. Consuming Kafka and writing the store and
// index are left to others.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

// Snapshots reads archived ad pages by their reference ("sha256:<hex>"),
// with the time of the first fetch. *crawler.Snapshots implements it.
type Snapshots interface {
	Get(ref string) ([]byte, time.Time, error)
}

// Searcher is the full-text search over flagged ads. *index.Index
// implements it.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Result, error)
}

// Options configure the dashboard. Store is required.
type Options struct {
	// Store is the system of record (*store.Store): ads, reviews, users, sessions,
	// tokens and the audit log.
	Store Store
	// Index serves /search and the API's q parameter; nil disables them
	// (they answer 503).
	Index Searcher
	// IndexState, if set, reports the index's state: while it is not
	// index.StateOK, every page shows a banner, searches answer 503 (a
	// JSON error in the API) and /healthz reports it. Nil means ok.
	IndexState func() index.State
	// Rules, if set, gives each fired rule's description on the ad page.
	Rules *rules.Pack
	// Snapshots, if set, serves archived pages as text on the ad page.
	Snapshots Snapshots
	// SessionTTL is how long a login lasts; 0 means DefaultSessionTTL.
	SessionTTL time.Duration
	// SecureCookies marks session cookies Secure even when the request
	// did not arrive over TLS (set it behind a TLS-terminating proxy).
	SecureCookies bool
	// Metrics, if set, is served at GET /metrics.
	Metrics http.Handler
	// Health reports readiness for GET /healthz; nil means always healthy.
	Health func(ctx context.Context) error
	// RequestMetrics, if set, counts requests by route and status code.
	RequestMetrics *Metrics
	// Logger receives errors and request logs; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock (sessions, throttling); nil means time.Now.
	Now func() time.Time
	// Notices configure takedown notices: the notifier and when a sent
	// notice is overdue.
	Notices notice.Options
	// Indicators, if set, lets admins export indicators for partners at
	// /admin/indicators.
	Indicators IndicatorExporter
	// Scorer, if set, serves POST /api/v1/score (the screening API);
	// nil answers 503 there.
	Scorer Scorer
	// Screening limits the screening API; zero fields take the defaults
	// documented in ScreenLimits.
	Screening ScreenLimits
	// Networks, if set, serves recruiter networks: /clusters, the
	// cluster API and the network box of the ad page; nil makes those
	// pages answer 503 and hides the box. *NetworkViews implements it.
	Networks Networks
	// WebhookAllowPrivate accepts webhook subscriptions whose URL host is
	// "localhost" or a literal loopback, private, link-local, unspecified
	// or multicast address (webhook.CheckURL); by default they are
	// refused with 400. Set it with webhook.Options.AllowPrivate.
	WebhookAllowPrivate bool
	// Sites are the sites lure reads (the crawler's profiles). A webhook
	// subscription covers only these, each named by its site ID or by
	// one of its host names (stored as the site ID). Nil means the sites
	// of the stored ads, named by site ID only.
	Sites []Site
}

// Site is a site lure reads, for the sites of webhook subscriptions.
type Site struct {
	// Name is the site ID, as in ad.Ad.Site (e.g. "doska-ua").
	Name string
	// Hosts are the site's host names (e.g. "doska.ua"); a host of
	// several sites names none of them.
	Hosts []string
}

// Page sizes.
const (
	PageSize = 50
	// MaxPage bounds the page parameter of the HTML pages.
	MaxPage = 200
)

type server struct {
	opts     Options
	db       Store
	log      *slog.Logger
	pages    pages
	accounts *store.Accounts
	logins   *auth.LoginThrottle
	counts   counts
	sites    siteSet // of Options.Sites
}

func (s *server) now() time.Time { return s.opts.Now() }

// routeSet registers routes: handle(pattern, route label, handler); page
// and api wrap a handler so that it needs at least a role (pages redirect
// to the login, API calls get JSON errors).
type routeSet struct {
	handle func(pattern, route string, h http.HandlerFunc)
	page   func(role auth.Role, h http.HandlerFunc) http.HandlerFunc
	api    func(role auth.Role, h http.HandlerFunc) http.HandlerFunc
}

func (s *server) metricsLogin(outcome string) {
	if m := s.opts.RequestMetrics; m != nil {
		m.Logins.WithLabelValues(outcome).Inc()
	}
}

// New returns the dashboard's HTTP handler.
func New(opts Options) (http.Handler, error) {
	if opts.Store == nil {
		return nil, errors.New("dashboard: Options.Store is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &server{opts: opts, db: opts.Store, log: opts.Logger, pages: p,
		accounts: opts.Store.Accounts(), logins: auth.NewLoginThrottle(),
		sites: newSiteSet(opts.Sites)}

	static, err := fs.Sub(webFS, "web/static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static assets: %w", err)
	}
	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.HandlerFunc) {
		mux.Handle(pattern, s.instrument(route, h))
	}
	page := func(role auth.Role, h http.HandlerFunc) http.HandlerFunc { return s.require(role, false, h) }
	api := func(role auth.Role, h http.HandlerFunc) http.HandlerFunc { return s.require(role, true, h) }
	const (
		viewer  = auth.Viewer
		analyst = auth.Analyst
		admin   = auth.Admin
	)
	handle("GET /login", routeLogin, s.handleLoginPage)
	handle("POST /login", routeLogin, s.handleLogin)
	handle("POST /logout", routeLogout, s.handleLogout)
	handle("POST /logout-all", routeLogout, page(viewer, s.handleLogoutAll))
	handle("GET /{$}", routeList, page(viewer, s.handleList))
	handle("GET /stats", routeStats, page(viewer, s.handleStats))
	handle("GET /search", routeSearch, page(analyst, s.searchGate(false, s.handleSearch)))
	handle("GET /ads/{id}", routeAd, page(analyst, s.handleAd))
	handle("GET /ads/{id}/snapshot", routeAd, page(analyst, s.handleSnapshot))
	handle("POST /ads/{id}/review", routeDecide, page(analyst, s.handleReview))
	handle("POST /review", routeDecide, page(analyst, s.handleBulkReview))
	handle("GET /next", routeList, page(analyst, s.handleNext))
	handle("POST /saved", routeSaved, page(analyst, s.handleSaveSearch))
	handle("POST /saved/{id}/delete", routeSaved, page(analyst, s.handleDeleteSearch))
	handle("GET /export/labels.jsonl", routeExport, page(analyst, s.handleExportLabels))
	handle("GET /audit", routeAudit, page(admin, s.handleAudit))
	handle("GET /admin/users", routeAdmin, page(admin, s.handleUsers))
	handle("GET /admin/indicators", routeAdmin, page(admin, s.handleIndicators))
	handle("POST /admin/indicators", routeAdmin, page(admin, s.handleExportIndicators))
	handle("POST /admin/users", routeAdmin, page(admin, s.handleCreateUser))
	handle("POST /admin/users/{name}", routeAdmin, page(admin, s.handleUpdateUser))
	handle("POST /admin/tokens", routeAdmin, page(admin, s.handleCreateToken))

	handle("GET /api/v1/me", routeAPIMe, api(viewer, s.handleAPIMe))
	handle("GET /api/v1/stats", routeAPIStats, api(viewer, s.handleAPIStats))
	handle("GET /api/v1/ads", routeAPIList, api(analyst, s.searchGate(true, s.handleAPIList)))
	handle("GET /api/v1/search", routeAPIList, api(analyst, s.searchGate(false, s.handleAPISearch)))
	handle("GET /api/v1/ads/{id}", routeAPIAd, api(analyst, s.handleAPIAd))
	handle("GET /api/v1/ads/{id}/audit", routeAPIAudit, api(analyst, s.handleAPIAdAudit))
	handle("POST /api/v1/ads/{id}/review", routeAPIDecide, api(analyst, s.handleAPIReview))
	handle("POST /api/v1/reviews", routeAPIDecide, api(analyst, s.handleAPIBulkReview))
	handle("GET /api/v1/audit", routeAPIAudit, api(admin, s.handleAPIAudit))
	handle("GET /api/v1/labels", routeExport, api(analyst, s.handleExportLabels))
	// Each capability registers its own routes from its own file.
	rs := routeSet{handle: handle, page: page, api: api}
	s.noticeRoutes(rs)
	s.screenRoutes(rs)
	s.campaignRoutes(rs)
	s.clusterRoutes(rs)
	handle("/api/", routeNotFound, func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
	})
	handle("GET /healthz", routeHealth, s.handleHealth)
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", s.instrument(routeMetrics, opts.Metrics.ServeHTTP))
	}
	mux.Handle("GET /static/", s.instrument(routeStatic,
		http.StripPrefix("/static/", http.FileServerFS(static)).ServeHTTP))
	for _, icon := range []struct{ name, contentType string }{{"favicon.svg", "image/svg+xml"}, {"favicon.ico", "image/x-icon"}} {
		h, err := favicon(static, icon.name, icon.contentType)
		if err != nil {
			return nil, err
		}
		handle("GET /"+icon.name, routeStatic, h)
	}
	handle("/", routeNotFound, func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "Page not found.")
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("dashboard: cross-origin request refused", "path", r.URL.Path)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusForbidden, "cross-origin request refused")
			return
		}
		s.renderError(w, r, http.StatusForbidden, "Cross-site request refused.")
	}))
	return securityHeaders(s.recoverer(cop.Handler(s.authenticate(mux)))), nil
}

// csp is the Content-Security-Policy of every response: no inline script
// or style, nothing from elsewhere.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("dashboard: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeJSONError(w, http.StatusInternalServerError, "internal error")
					return
				}
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
