// Package dashboard serves lure's review UI (server-rendered HTML, assets
// embedded) and its JSON API over the store of scored ads and the index of
// flagged ads.
//
// Every ad field is untrusted: templates escape it, evidence highlighting
// escapes each segment before adding marks, only http(s) URLs become links,
// and every response carries a strict Content-Security-Policy. The package
// reads through the small AdStore and Searcher interfaces declared here;
// consuming Kafka, writing the store and index, and authentication are left
// to others.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// AdStore is what the dashboard reads from the system of record.
// *store.Store implements it.
type AdStore interface {
	Get(ctx context.Context, id string) (ad.Verdict, error)
	List(ctx context.Context, f store.Filter) ([]ad.Verdict, int, error)
	Stats(ctx context.Context) (store.Stats, error)
}

// Searcher is the full-text search over flagged ads. *index.Index
// implements it.
type Searcher interface {
	Search(ctx context.Context, q index.Query) (index.Result, error)
}

// Options configure the dashboard. Store is required.
type Options struct {
	Store AdStore
	// Index serves /search and the API's q parameter; nil disables them
	// (they answer 503).
	Index Searcher
	// Metrics, if set, is served at GET /metrics.
	Metrics http.Handler
	// Health reports readiness for GET /healthz; nil means always healthy.
	Health func(ctx context.Context) error
	// RequestMetrics, if set, counts requests by route and status code.
	RequestMetrics *Metrics
	// Logger receives errors and request logs; nil means slog.Default().
	Logger *slog.Logger
}

// Page sizes.
const (
	PageSize = 50
	// MaxPage bounds the page parameter of the HTML pages.
	MaxPage = 200
)

type server struct {
	opts  Options
	log   *slog.Logger
	pages pages
}

// New returns the dashboard's HTTP handler.
func New(opts Options) (http.Handler, error) {
	if opts.Store == nil {
		return nil, errors.New("dashboard: Options.Store is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &server{opts: opts, log: opts.Logger, pages: p}

	static, err := fs.Sub(webFS, "web/static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static assets: %w", err)
	}
	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.HandlerFunc) {
		mux.Handle(pattern, s.instrument(route, h))
	}
	handle("GET /{$}", routeList, s.handleList)
	handle("GET /search", routeSearch, s.handleSearch)
	handle("GET /ads/{id}", routeAd, s.handleAd)
	handle("GET /api/v1/ads", routeAPIList, s.handleAPIList)
	handle("GET /api/v1/ads/{id}", routeAPIAd, s.handleAPIAd)
	handle("/api/", routeNotFound, func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such endpoint")
	})
	handle("GET /healthz", routeHealth, s.handleHealth)
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", s.instrument(routeMetrics, opts.Metrics.ServeHTTP))
	}
	mux.Handle("GET /static/", s.instrument(routeStatic,
		http.StripPrefix("/static/", http.FileServerFS(static)).ServeHTTP))
	handle("/", routeNotFound, func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "Page not found.")
	})
	return securityHeaders(s.recoverer(mux)), nil
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
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.opts.Health != nil {
		if err := s.opts.Health(r.Context()); err != nil {
			s.log.Warn("dashboard: unhealthy", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "unavailable")
			return
		}
	}
	fmt.Fprintln(w, "ok")
}
