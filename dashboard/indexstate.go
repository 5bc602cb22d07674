package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/lurewatch/lure/index"
)

// Messages while the search index is not usable: the JSON error of the
// search API and the banner of every page.
const (
	msgRebuilding    = "search is rebuilding"
	msgDamaged       = "search is unavailable: the index is damaged"
	bannerRebuilding = "Search is rebuilding: the index is being rebuilt from the stored ads. " +
		"Search answers again when it has finished; everything else works."
	bannerDamaged = "Search is unavailable: the index is damaged and could not be rebuilt. " +
		"Restart lure or run lure reindex; everything else works."
)

// indexState is the index's state, StateOK when Options.IndexState is
// unset.
func (s *server) indexState() index.State {
	if s.opts.IndexState == nil {
		return index.StateOK
	}
	return s.opts.IndexState()
}

// indexBanner is the page banner for the index's state, "" when it is ok.
func (s *server) indexBanner() string {
	switch s.indexState() {
	case index.StateRebuilding:
		return bannerRebuilding
	case index.StateDamaged:
		return bannerDamaged
	}
	return ""
}

// searchGate answers 503 instead of running h while the index is being
// rebuilt or is damaged: a JSON error under /api/, the error page
// elsewhere. With onlyQ, only requests with a q parameter (a search) are
// held back.
func (s *server) searchGate(onlyQ bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if onlyQ && r.URL.Query().Get("q") == "" {
			h(w, r)
			return
		}
		var msg, page string
		switch s.indexState() {
		case index.StateRebuilding:
			msg, page = msgRebuilding, bannerRebuilding
		case index.StateDamaged:
			msg, page = msgDamaged, bannerDamaged
		default:
			h(w, r)
			return
		}
		w.Header().Set("Retry-After", "30")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusServiceUnavailable, msg)
			return
		}
		s.renderError(w, r, http.StatusServiceUnavailable, page)
	}
}

// health is the JSON body of GET /healthz (with Accept: application/json
// or ?format=json).
type health struct {
	// Status is "ok" or "unavailable", as the plain-text body says.
	Status string `json:"status"`
	// Index is the search index's state: "ok", "rebuilding" or
	// "damaged"; absent on a node without an index.
	Index index.State `json:"index,omitempty"`
}

// handleHealth answers GET /healthz: 200 "ok" when the node serves, 503
// "unavailable" when Options.Health fails or the index is damaged. An
// index being rebuilt is healthy (everything but search works, and it
// needs no action). The plain-text body adds an "index: STATE" line when
// the index is not ok; the JSON body always has the index state.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok"}
	if s.opts.IndexState != nil {
		h.Index = s.opts.IndexState()
	}
	code := http.StatusOK
	if s.opts.Health != nil {
		if err := s.opts.Health(r.Context()); err != nil {
			s.log.Warn("dashboard: unhealthy", "err", err)
			h.Status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	if h.Index == index.StateDamaged {
		h.Status, code = "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(h)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, h.Status)
	if h.Index != "" && h.Index != index.StateOK {
		fmt.Fprintln(w, "index:", h.Index)
	}
}
