package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// API paging limits.
const (
	APIDefaultLimit = 50
	APIMaxLimit     = 500
	APIMaxOffset    = 100000
)

// apiList is the answer of GET /api/v1/ads.
type apiList struct {
	Total uint64  `json:"total"`
	Ads   []apiAd `json:"ads"`
}

// apiAd is an ad's summary in listings; GET /api/v1/ads/{id} returns the
// full verdict instead.
type apiAd struct {
	ID        string              `json:"id"`
	Site      string              `json:"site"`
	URL       string              `json:"url"`
	Kind      ad.Kind             `json:"kind"`
	Lang      string              `json:"lang,omitempty"`
	Title     string              `json:"title"`
	Score     float64             `json:"score"`
	Band      ad.Band             `json:"band"`
	Flagged   bool                `json:"flagged"`
	RulePack  string              `json:"rule_pack"`
	Signals   []string            `json:"signals"`
	Hits      []ad.Hit            `json:"hits"`
	Crawled   time.Time           `json:"crawled,omitzero"`
	ScoredAt  time.Time           `json:"scored_at,omitzero"`
	Relevance float64             `json:"relevance,omitempty"`
	Fragments map[string][]string `json:"fragments,omitempty"`
	Review    *store.Review       `json:"review,omitempty"`
}

// withReviews sets the review state of each listed ad.
func (s *server) withReviews(r *http.Request, as []apiAd) error {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	revs, err := s.db.Reviews(r.Context(), ids)
	if err != nil {
		return err
	}
	for i := range as {
		rv := revs[as[i].ID]
		as[i].Review = &rv
	}
	return nil
}

func summary(v ad.Verdict) apiAd {
	hits := v.Hits
	if hits == nil {
		hits = []ad.Hit{}
	}
	sig := v.Signals()
	if sig == nil {
		sig = []string{}
	}
	return apiAd{ID: v.Ad.ID, Site: v.Ad.Site, URL: v.Ad.URL, Kind: v.Ad.Kind, Lang: v.Language(),
		Title: v.Ad.Title, Score: v.Score, Band: v.Band, Flagged: v.Flagged, RulePack: v.RulePack,
		Signals: sig, Hits: hits, Crawled: v.Ad.Crawled, ScoredAt: v.ScoredAt}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

func writeJSONError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// intParam parses an optional integer parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

// pageParams parses the optional limit (from 1 to maxLimit, default
// defLimit) and offset (from 0 to maxOffset, default 0) parameters.
func pageParams(r *http.Request, defLimit, maxLimit, maxOffset int) (limit, offset int, err error) {
	if limit, err = intParam(r, "limit", defLimit, 1, maxLimit); err != nil {
		return 0, 0, err
	}
	if offset, err = intParam(r, "offset", 0, 0, maxOffset); err != nil {
		return 0, 0, err
	}
	return limit, offset, nil
}

// apiPage parses the limit and offset of the ad list and search APIs
// (APIDefaultLimit, APIMaxLimit, APIMaxOffset). On a bad value it answers
// 400 and reports false.
func apiPage(w http.ResponseWriter, r *http.Request) (limit, offset int, ok bool) {
	limit, offset, err := pageParams(r, APIDefaultLimit, APIMaxLimit, APIMaxOffset)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return 0, 0, false
	}
	return limit, offset, true
}

// handleAPIList lists ads from the store, or searches the flagged ones
// when q is given (keeping the search's relevance order).
func (s *server) handleAPIList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, ok := apiPage(w, r)
	if !ok {
		return
	}
	var flagged *bool
	if raw := q.Get("flagged"); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, "flagged must be true or false")
			return
		}
		flagged = &b
	}
	if band := q.Get("band"); band != "" && !validBand(band) {
		writeJSONError(w, http.StatusBadRequest, "band must be low, medium or high")
		return
	}
	if kind := q.Get("kind"); kind != "" && !ad.Kind(kind).Valid() {
		writeJSONError(w, http.StatusBadRequest, "kind must be job, marriage or other")
		return
	}

	if text := q.Get("q"); text != "" {
		if flagged != nil && !*flagged {
			writeJSONError(w, http.StatusBadRequest, "q searches flagged ads only; drop flagged=false")
			return
		}
		s.apiSearch(w, r, index.Query{Text: text, Site: q.Get("site"), Band: q.Get("band"),
			Kind: q.Get("kind"), Lang: q.Get("lang"), Signal: q.Get("signal"), Limit: limit, Offset: offset})
		return
	}
	f, err := queueFilter(q, who(r).Name)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	f.Flagged, f.Limit, f.Offset = flagged, limit, offset
	vs, total, err := s.db.List(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: api list", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the ads")
		return
	}
	out := apiList{Total: uint64(total), Ads: make([]apiAd, 0, len(vs))}
	for _, v := range vs {
		out.Ads = append(out.Ads, summary(v))
	}
	if err := s.withReviews(r, out.Ads); err != nil {
		s.log.Error("dashboard: api list: reviews", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the reviews")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func validBand(b string) bool {
	for _, x := range ad.Bands {
		if string(x) == b {
			return true
		}
	}
	return false
}

func (s *server) apiSearch(w http.ResponseWriter, r *http.Request, iq index.Query) {
	if s.opts.Index == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "search is not available on this node")
		return
	}
	if iq.Offset > index.MaxOffset {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("offset must be at most %d with q", index.MaxOffset))
		return
	}
	res, err := s.opts.Index.Search(r.Context(), iq)
	if errors.Is(err, index.ErrBadQuery) {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.log.Error("dashboard: api search", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "search failed")
		return
	}
	byID, err := s.loadByID(r, res.Hits)
	if err != nil {
		s.log.Error("dashboard: api search: load ads", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the ads")
		return
	}
	out := apiList{Total: res.Total, Ads: make([]apiAd, 0, len(res.Hits))}
	for _, h := range res.Hits {
		v, ok := byID[h.ID]
		if !ok { // indexed but not (yet) in the store
			continue
		}
		a := summary(v)
		a.Relevance = h.Score
		a.Fragments = h.Fragments
		out.Ads = append(out.Ads, a)
	}
	if err := s.withReviews(r, out.Ads); err != nil {
		s.log.Error("dashboard: api search: reviews", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the reviews")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handleAPIAd returns one ad's full verdict.
func (s *server) handleAPIAd(w http.ResponseWriter, r *http.Request) {
	v, err := s.db.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "ad not found")
		return
	}
	if err != nil {
		s.log.Error("dashboard: api get", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the ad")
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handleAPISearch is GET /api/v1/search?q=…: full-text search over the
// flagged ads with the list's filters, relevance first.
func (s *server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, ok := apiPage(w, r)
	if !ok {
		return
	}
	s.apiSearch(w, r, index.Query{Text: q.Get("q"), Site: q.Get("site"), Band: q.Get("band"),
		Kind: q.Get("kind"), Lang: q.Get("lang"), Signal: q.Get("signal"), Limit: limit, Offset: offset})
}
