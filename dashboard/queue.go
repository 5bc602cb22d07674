package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// queueParams are the queue's filter parameters, in display order.
var queueParams = []string{"site", "country", "lang", "kind", "band", "signal", "status", "assignee", "known", "from", "to", "order"}

type queueRow struct {
	S      store.Summary
	Review store.Review
}

type filterMenu struct {
	Name, Param, Value string
	Options            []store.Facet
}

type queueData struct {
	Rows     []queueRow
	Total    int
	More     bool // Total is a lower bound
	Stats    store.Stats
	Bands    []ad.Band
	Menus    []filterMenu
	Filter   map[string]string
	Active   bool // some filter is set
	From, To string
	Newest   bool
	Query    string // the current filter as a URL query, for saving
	Saved    []store.SavedSearch
	Statuses []statusOption
	Pager    pager
	Me       string
}

type statusOption struct {
	Value, Label, Key string
}

// statusOptions are the decisions an analyst can take, with their
// keyboard shortcut.
var statusOptions = []statusOption{
	{store.StatusConfirmed, "Confirmed risky", "c"},
	{store.StatusFalsePositive, "False positive", "f"},
	{store.StatusNeedsInfo, "Needs more information", "i"},
	{store.StatusEscalated, "Escalated", "e"},
}

var statusLabels = map[string]string{
	store.StatusNew: "New", store.StatusConfirmed: "Confirmed risky", store.StatusFalsePositive: "False positive",
	store.StatusNeedsInfo: "Needs info", store.StatusEscalated: "Escalated",
}

// parseDay parses an optional YYYY-MM-DD date.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, errors.New("dates must be YYYY-MM-DD")
	}
	return t, nil
}

// queueFilter reads the queue's filter from a query string.
func queueFilter(q url.Values, me string) (store.Filter, error) {
	flagged := true
	f := store.Filter{Flagged: &flagged, Site: q.Get("site"), Lang: q.Get("lang"), Kind: q.Get("kind"),
		Band: q.Get("band"), Signal: q.Get("signal"), Destination: q.Get("country"),
		Status: q.Get("status"), Assignee: q.Get("assignee"), Newest: q.Get("order") == "newest", Known: q.Get("known") == "1"}
	if f.Assignee == "me" {
		f.Assignee = me
	}
	if f.Status != "" && !store.ValidStatus(f.Status) {
		return f, errors.New("unknown review status")
	}
	var err error
	if f.Since, err = parseDay(q.Get("from")); err != nil {
		return f, err
	}
	if f.Until, err = parseDay(q.Get("to")); err != nil {
		return f, err
	}
	if !f.Until.IsZero() {
		f.Until = f.Until.AddDate(0, 0, 1) // inclusive day
	}
	for _, k := range queueParams {
		if len(q.Get(k)) > 200 {
			return f, errors.New("a filter value is too long")
		}
	}
	return f, nil
}

// queueKey identifies a queue filter, paging aside, for the cached totals.
func queueKey(f store.Filter) string {
	f.Limit, f.Offset = 0, 0
	flagged := f.Flagged != nil && *f.Flagged
	f.Flagged = nil
	return fmt.Sprintf("%t %#v", flagged, f)
}

// handleList is the review queue: flagged ads, riskiest (or newest) first,
// with filters. Viewers are sent to the statistics.
func (s *server) handleList(w http.ResponseWriter, r *http.Request) {
	p := who(r)
	if !p.Can(auth.Analyst) {
		http.Redirect(w, r, "/stats", http.StatusSeeOther)
		return
	}
	page, err := pageParam(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	q := r.URL.Query()
	if q.Has("q") {
		// The search box's parameter: the queue has no full-text filter,
		// so this is a search, with the other filters kept.
		http.Redirect(w, r, "/search?"+q.Encode(), http.StatusSeeOther)
		return
	}
	f, err := queueFilter(q, p.Name)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad filter: "+err.Error())
		return
	}
	f.CountLimit = MaxPage*PageSize + 1
	key := queueKey(f)
	total, counted, gen := s.counts.total(key, time.Now())
	f.Limit, f.Offset, f.SkipCount = PageSize, (page-1)*PageSize, counted
	ctx := r.Context()
	vs, n, err := s.db.Summaries(ctx, f)
	if err != nil {
		s.log.Error("dashboard: list", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the ads.")
		return
	}
	if !counted {
		total = n
		s.counts.putTotal(key, total, time.Now(), gen)
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	revs, err := s.db.Reviews(ctx, ids)
	if err != nil {
		s.log.Error("dashboard: reviews", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the reviews.")
		return
	}
	st, facets, err := s.counts.get(ctx, s.db, time.Now(), s.log)
	if err != nil {
		s.log.Error("dashboard: counts", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the statistics.")
		return
	}
	saved, err := s.db.SavedSearches(ctx, p.UserID)
	if err != nil {
		s.log.Error("dashboard: saved searches", "err", err)
	}
	keep := url.Values{}
	d := queueData{Total: min(total, MaxPage*PageSize), More: total > MaxPage*PageSize, Stats: st, Bands: ad.Bands, Filter: map[string]string{}, Saved: saved,
		Statuses: statusOptions, Newest: f.Newest, From: q.Get("from"), To: q.Get("to"), Me: p.Name}
	for _, k := range queueParams {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
			d.Filter[k] = v
			if k != "order" {
				d.Active = true
			}
		}
	}
	d.Query = keep.Encode()
	for _, m := range []struct{ name, param, facet string }{
		{"Site", "site", "site"}, {"Destination", "country", "destination"}, {"Language", "lang", "lang"},
		{"Kind", "kind", "kind"}, {"Band", "band", "band"}, {"Signal", "signal", "signal"}, {"Review", "status", "status"},
	} {
		d.Menus = append(d.Menus, filterMenu{Name: m.name, Param: m.param, Value: q.Get(m.param), Options: facets[m.facet]})
	}
	for _, v := range vs {
		d.Rows = append(d.Rows, queueRow{S: v, Review: revs[v.ID]})
	}
	d.Pager = newPager("/", keep, page, total, PageSize)
	s.render(w, r, http.StatusOK, "list", view{Title: "Review queue", Nav: "queue", Data: d})
}

// topSignals returns the n signals of v that weigh most in its score (see
// store.RankSignals), as the lists show them.
func topSignals(v ad.Verdict, n int) []string {
	return store.Summarize(v).Top(n)
}

// handleNext opens the riskiest flagged ad nobody decided on yet.
func (s *server) handleNext(w http.ResponseWriter, r *http.Request) {
	flagged := true
	vs, _, err := s.db.Summaries(r.Context(), store.Filter{Flagged: &flagged, Status: store.StatusNew, Limit: 1, SkipCount: true})
	if err != nil {
		s.log.Error("dashboard: next", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the queue.")
		return
	}
	if len(vs) == 0 {
		http.Redirect(w, r, "/?status=new", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ads/"+url.PathEscape(vs[0].ID), http.StatusSeeOther)
}

func (s *server) handleSaveSearch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	p := who(r)
	name := strings.TrimSpace(r.PostFormValue("name"))
	query := r.PostFormValue("query")
	if safeNext(query) != query || p.UserID == 0 {
		s.renderError(w, r, http.StatusBadRequest, "This search cannot be saved.")
		return
	}
	if err := s.db.SaveSearch(r.Context(), p.UserID, name, query); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Could not save: give the search a name of at most 100 characters.")
		return
	}
	http.Redirect(w, r, query, http.StatusSeeOther)
}

func (s *server) handleDeleteSearch(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad saved search.")
		return
	}
	if err := s.db.DeleteSavedSearch(r.Context(), who(r).UserID, id); err != nil {
		s.log.Error("dashboard: delete saved search", "err", err)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
