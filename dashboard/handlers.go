package dashboard

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

type searchRow struct {
	ID        string
	Found     bool // the store has the ad
	S         store.Summary
	Review    store.Review
	Relevance float64
	Fragments []fragment
}

type fragment struct {
	Field string
	HTML  template.HTML
}

type facetView struct {
	Name  string
	Param string
	Terms []facetTerm
}

type facetTerm struct {
	Term   string
	Count  int
	URL    string
	Active bool
}

type searchData struct {
	Q      string
	Total  uint64
	Rows   []searchRow
	Facets []facetView
	// FacetsOfAll: the facet counts are of every flagged ad, not of the
	// hits (there are more than searchFacetHits).
	FacetsOfAll bool
	Filter      map[string]string
	Pager       pager
	Saved       []store.SavedSearch
	Query       string
}

// searchFacetHits is the most hits whose facets a search counts itself;
// counting costs per hit, so above it the page shows the queue's counts
// of every flagged ad, cached, and says so.
const searchFacetHits = 5000

// searchFacets counts the site, band and signal terms of a search's hits
// (a second, one-hit query that asks the index for facets) when there are
// at most searchFacetHits of them, and otherwise returns the queue's
// counts of every flagged ad. Keys are the store's facet names.
func (s *server) searchFacets(r *http.Request, iq index.Query, total uint64) (map[string][]store.Facet, error) {
	if total > searchFacetHits {
		_, counts, err := s.counts.get(r.Context(), s.db, time.Now(), s.log)
		return counts, err
	}
	fq := iq
	fq.Facets, fq.Limit, fq.Offset = true, 1, 0
	res, err := s.opts.Index.Search(r.Context(), fq)
	if err != nil {
		return nil, err
	}
	out := map[string][]store.Facet{}
	for name, facet := range map[string]string{"site": index.FacetSite, "band": index.FacetBand, "signal": index.FacetSignal} {
		for _, t := range res.Facets[facet] {
			out[name] = append(out[name], store.Facet{Value: t.Term, Count: t.Count})
		}
	}
	return out, nil
}

// handleSearch runs a full-text search over the flagged ads.
func (s *server) handleSearch(w http.ResponseWriter, r *http.Request) {
	if s.opts.Index == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, "Search is not available on this node.")
		return
	}
	page, err := pageParam(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	q := r.URL.Query()
	iq := index.Query{Text: q.Get("q"), Site: q.Get("site"), Band: q.Get("band"), Kind: q.Get("kind"),
		Lang: q.Get("lang"), Signal: q.Get("signal"), Limit: PageSize, Offset: (page - 1) * PageSize}
	res, err := s.opts.Index.Search(r.Context(), iq)
	if errors.Is(err, index.ErrBadQuery) {
		s.renderError(w, r, http.StatusBadRequest, "The search is too long or malformed.")
		return
	}
	if err != nil {
		s.log.Error("dashboard: search", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "The search failed.")
		return
	}
	summaries, err := s.summariesByID(r, res.Hits)
	if err != nil {
		s.log.Error("dashboard: search: load ads", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the ads.")
		return
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	revs, err := s.db.Reviews(r.Context(), ids)
	if err != nil {
		s.log.Error("dashboard: search: reviews", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the reviews.")
		return
	}
	d := searchData{Q: iq.Text, Total: res.Total, Filter: map[string]string{}}
	for _, h := range res.Hits {
		sm, ok := summaries[h.ID]
		row := searchRow{ID: h.ID, Found: ok, S: sm, Relevance: h.Score, Review: revs[h.ID]}
		for _, f := range ad.Fields {
			for _, fr := range h.Fragments[f] {
				row.Fragments = append(row.Fragments, fragment{Field: f, HTML: safeFragment(fr)})
			}
		}
		d.Rows = append(d.Rows, row)
	}
	keep := url.Values{}
	for _, k := range []string{"q", "site", "band", "kind", "lang", "signal"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
			d.Filter[k] = v
		}
	}
	counts, err := s.searchFacets(r, iq, res.Total)
	if err != nil {
		s.log.Error("dashboard: search: facets", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not count the results.")
		return
	}
	d.FacetsOfAll = res.Total > searchFacetHits
	for _, fc := range []struct{ name, facet, param string }{
		{"Site", "site", "site"},
		{"Band", "band", "band"},
		{"Signal", "signal", "signal"},
	} {
		fv := facetView{Name: fc.name, Param: fc.param}
		terms := counts[fc.facet]
		for _, t := range terms[:min(len(terms), index.FacetSize)] {
			v := url.Values{}
			for k, vs := range keep {
				v[k] = vs
			}
			active := keep.Get(fc.param) == t.Value
			if active {
				v.Del(fc.param)
			} else {
				v.Set(fc.param, t.Value)
			}
			fv.Terms = append(fv.Terms, facetTerm{Term: t.Value, Count: t.Count,
				URL: "/search?" + v.Encode(), Active: active})
		}
		d.Facets = append(d.Facets, fv)
	}
	d.Query = "/search?" + keep.Encode()
	d.Pager = newPager("/search", keep, page, int(min(res.Total, uint64(MaxPage*PageSize))), PageSize)
	if p := who(r); p.UserID != 0 {
		d.Saved, _ = s.db.SavedSearches(r.Context(), p.UserID)
	}
	s.render(w, r, http.StatusOK, "search", view{Title: "Search", Nav: "search", Q: iq.Text, Data: d})
}

// loadByID reads the verdicts of search hits from the store.
func (s *server) loadByID(r *http.Request, hits []index.Hit) (map[string]ad.Verdict, error) {
	out := map[string]ad.Verdict{}
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	vs, _, err := s.db.List(r.Context(), store.Filter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.Ad.ID] = v
	}
	return out, nil
}

// summariesByID reads the list summaries of search hits from the store.
func (s *server) summariesByID(r *http.Request, hits []index.Hit) (map[string]store.Summary, error) {
	out := map[string]store.Summary{}
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	ss, _, err := s.db.Summaries(r.Context(), store.Filter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	for _, sm := range ss {
		out[sm.ID] = sm
	}
	return out, nil
}

type fieldView struct {
	Name  string
	Label string
	HTML  template.HTML
}

type evidenceView struct {
	Field string
	Text  string
	Found bool // the span's offsets are valid in the field's text
}

type hitView struct {
	Rule        string
	Signal      string
	Weight      float64
	Description string
	NotCounted  string // why the hit adds nothing to the score; "" when it counts
	Evidence    []evidenceView
}

type adData struct {
	V        ad.Verdict
	Link     string // "" when the URL must not be a link
	Fields   []fieldView
	Title    template.HTML
	Hits     []hitView
	Signals  []string
	Entities ad.Entities
	Review   store.Review
	Audit    []auditRow
	Related  []store.Related
	Statuses []statusOption
	Snapshot bool // the archived page can be shown
	Me       string
	Positive float64              // sum of positive weights
	Negative float64              // sum of negative weights
	Network  *AdNetwork           // the ad's recruiter network; nil when unknown
	Known    []store.KnownPartner // partner organisations that shared an indicator of the ad
}

var fieldLabels = map[string]string{
	ad.FieldTitle: "Title", ad.FieldBody: "Body", ad.FieldSalary: "Salary",
	ad.FieldLocation: "Location", ad.FieldContact: "Contact",
}

// handleAd shows one ad with its evidence highlighted in place.
func (s *server) handleAd(w http.ResponseWriter, r *http.Request) {
	v, err := s.db.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "No ad with this ID.")
		return
	}
	if err != nil {
		s.log.Error("dashboard: get ad", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the ad.")
		return
	}
	spans := fieldSpans(v)
	d := adData{V: v, Link: linkURL(v.Ad.URL), Signals: v.Signals(), Entities: v.Entities,
		Title: highlight(v.Ad.Title, spans[ad.FieldTitle])}
	for _, f := range ad.Fields {
		if text := v.Ad.Field(f); text != "" {
			d.Fields = append(d.Fields, fieldView{Name: f, Label: fieldLabels[f], HTML: highlight(text, spans[f])})
		}
	}
	ctx := r.Context()
	revs, err := s.db.Reviews(ctx, []string{v.Ad.ID})
	if err != nil {
		s.log.Error("dashboard: ad review", "err", err)
	}
	d.Review = revs[v.Ad.ID]
	es, _, err := s.db.AuditLog(ctx, store.AuditFilter{AdID: v.Ad.ID, Limit: 100})
	if err != nil {
		s.log.Error("dashboard: ad audit", "err", err)
	}
	d.Audit = namingNotices(auditRows(es))
	if d.Related, err = s.db.Related(ctx, v.Ad.ID, 50); err != nil {
		s.log.Error("dashboard: related ads", "err", err)
	}
	d.Network = s.adNetwork(ctx, v.Ad.ID)
	d.Known = s.knownTo(ctx, v.Ad.ID)
	d.Statuses, d.Snapshot, d.Me = statusOptions, s.opts.Snapshots != nil && v.Ad.Snapshot != "", who(r).Name
	for _, h := range v.Hits {
		if h.Weight >= 0 {
			d.Positive += h.Weight
		} else {
			d.Negative += h.Weight
		}
		hv := hitView{Rule: h.Rule, Signal: h.Signal, Weight: h.Weight, Description: s.describeRule(h.Rule),
			NotCounted: classifier.NotCounted(h)}
		if h.Learned && hv.Description == "" {
			hv.Description = classifier.LearnedDescription(h)
		}
		for _, sp := range h.Evidence {
			hv.Evidence = append(hv.Evidence, evidenceView{Field: sp.Field, Text: sp.Text,
				Found: validSpan(v.Ad.Field(sp.Field), sp.Start, sp.End)})
		}
		d.Hits = append(d.Hits, hv)
	}
	title := v.Ad.Title
	if title == "" {
		title = "Ad " + v.Ad.ID
	}
	s.render(w, r, http.StatusOK, "ad", view{Title: title, Nav: "queue", Data: d})
}

// describeRule returns a rule's description from the rule pack, or "" when
// the dashboard has no pack or the pack no such rule.
func (s *server) describeRule(rule string) string {
	if s.opts.Rules == nil {
		return ""
	}
	if r, ok := s.opts.Rules.Rule(rule); ok {
		return r.Description
	}
	return ""
}
