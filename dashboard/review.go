package dashboard

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/store"
)

func parseID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

func strconvItoa(n int) string { return strconv.Itoa(n) }

// reviewInput is a decision or assignment, from a form or JSON.
type reviewInput struct {
	IDs      []string `json:"ids,omitempty"`
	Status   string   `json:"status"`
	Note     string   `json:"note"`
	Assignee *string  `json:"assignee,omitempty"`
}

func (in reviewInput) change(actor string) (store.Change, error) {
	if in.Status != "" && (!store.ValidStatus(in.Status) || in.Status == store.StatusNew) {
		return store.Change{}, fmt.Errorf("status must be one of confirmed, false_positive, needs_info, escalated")
	}
	if in.Status == "" && in.Assignee == nil {
		return store.Change{}, errors.New("give a status or an assignee")
	}
	if len(in.Note) > store.MaxNote {
		return store.Change{}, fmt.Errorf("note is longer than %d bytes", store.MaxNote)
	}
	if len(in.IDs) == 0 || len(in.IDs) > store.MaxBatch {
		return store.Change{}, fmt.Errorf("give 1 to %d ads", store.MaxBatch)
	}
	if in.Assignee != nil && *in.Assignee != "" && !store.ValidUserName(*in.Assignee) {
		return store.Change{}, errors.New("bad assignee")
	}
	return store.Change{AdIDs: in.IDs, Actor: actor, Status: in.Status, Note: strings.TrimSpace(in.Note), Assign: in.Assignee}, nil
}

func formReview(r *http.Request) reviewInput {
	in := reviewInput{Status: r.PostFormValue("status"), Note: r.PostFormValue("note")}
	if r.PostForm.Has("assignee") {
		a := strings.TrimSpace(r.PostFormValue("assignee"))
		if a == "me" {
			a = who(r).Name
		}
		in.Assignee = &a
	}
	return in
}

// handleReview records a decision and/or assignment on one ad from the ad
// page, then goes to the next unreviewed ad or back to the ad.
func (s *server) handleReview(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad form.")
		return
	}
	in := formReview(r)
	in.IDs = []string{r.PathValue("id")}
	if !s.applyForm(w, r, in) {
		return
	}
	if r.PostFormValue("then") == "next" && in.Status != "" {
		http.Redirect(w, r, "/next", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ads/"+url.PathEscape(in.IDs[0])+"#review", http.StatusSeeOther)
}

// handleBulkReview applies one decision or assignment to the ads ticked
// in the queue.
func (s *server) handleBulkReview(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad form.")
		return
	}
	in := formReview(r)
	in.IDs = r.PostForm["id"]
	if !s.applyForm(w, r, in) {
		return
	}
	back := safeNext(r.PostFormValue("back"))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *server) applyForm(w http.ResponseWriter, r *http.Request, in reviewInput) bool {
	c, err := in.change(who(r).Name)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Cannot record this: "+err.Error()+".")
		return false
	}
	_, err = s.db.Apply(r.Context(), c)
	s.counts.invalidate()
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.renderError(w, r, http.StatusNotFound, "No ad with this ID.")
			return false
		}
		s.log.Error("dashboard: review", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not record the decision.")
		return false
	}
	return true
}

func (s *server) apiApply(w http.ResponseWriter, r *http.Request, in reviewInput) {
	c, err := in.change(who(r).Name)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	out, err := s.db.Apply(r.Context(), c)
	s.counts.invalidate()
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "ad not found")
		return
	}
	if err != nil {
		s.log.Error("dashboard: api review", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not record the decision")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reviews": out})
}

func decodeBody(w http.ResponseWriter, r *http.Request, into any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("bad JSON body: %v", err)
	}
	return nil
}

// handleAPIReview: POST /api/v1/ads/{id}/review {"status","note","assignee"}.
func (s *server) handleAPIReview(w http.ResponseWriter, r *http.Request) {
	var in reviewInput
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	in.IDs = []string{r.PathValue("id")}
	s.apiApply(w, r, in)
}

// handleAPIBulkReview: POST /api/v1/reviews {"ids":[…],"status","note","assignee"}.
func (s *server) handleAPIBulkReview(w http.ResponseWriter, r *http.Request) {
	var in reviewInput
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.apiApply(w, r, in)
}

func auditFilter(r *http.Request) (store.AuditFilter, int, error) {
	q := r.URL.Query()
	page, err := pageParam(r)
	if err != nil {
		return store.AuditFilter{}, 0, err
	}
	f := store.AuditFilter{AdID: q.Get("ad"), Actor: q.Get("actor"), Action: q.Get("action"), Text: q.Get("q"),
		Limit: PageSize, Offset: (page - 1) * PageSize}
	if len(f.Text) > 200 || len(f.Actor) > 200 || len(f.AdID) > 200 || len(f.Action) > 50 {
		return f, 0, errors.New("a filter is too long")
	}
	return f, page, nil
}

// auditRow is an audit entry with its states decoded for display, and
// the notice it is about, if any.
type auditRow struct {
	store.AuditEntry
	BeforeView, AfterView string
	// NoticeID and NoticeSite name the notice of a notice entry (the site
	// is empty on entries written before it was recorded).
	NoticeID   int64
	NoticeSite string
}

// describeState turns a stored review or notice state into a short
// readable line.
func describeState(js string) string {
	if js == "" {
		return "—"
	}
	var m map[string]any
	if json.Unmarshal([]byte(js), &m) != nil {
		return js
	}
	var parts []string
	if st, ok := m["status"].(string); ok {
		if l := statusLabels[st]; l != "" {
			st = l
		}
		parts = append(parts, st)
	}
	if st, ok := m["review_status"].(string); ok && st != "" {
		parts = append(parts, "review: "+cmp.Or(statusLabels[st], st))
	}
	if n, ok := m["items"].(float64); ok {
		parts = append(parts, strconv.Itoa(int(n))+" ad"+plural(int(n)))
	}
	if f, ok := m["format"].(string); ok && f != "" {
		parts = append(parts, "exported as "+f)
	}
	if a, ok := m["assignee"].(string); ok && a != "" {
		parts = append(parts, "assigned to "+a)
	}
	if n, ok := m["note"].(string); ok && n != "" {
		parts = append(parts, "note: “"+n+"”")
	}
	if len(parts) == 0 {
		return js
	}
	return strings.Join(parts, " · ")
}

// auditNotice returns the notice an entry of a notice action names in
// its after (else before) state: its ID and site.
func auditNotice(e store.AuditEntry) (int64, string) {
	if !strings.HasPrefix(e.Action, "notice_") {
		return 0, ""
	}
	for _, js := range []string{e.After, e.Before} {
		var st struct {
			Notice int64  `json:"notice"`
			Site   string `json:"site"`
		}
		if js != "" && json.Unmarshal([]byte(js), &st) == nil && st.Notice > 0 {
			return st.Notice, st.Site
		}
	}
	return 0, ""
}

func auditRows(es []store.AuditEntry) []auditRow {
	out := make([]auditRow, len(es))
	for i, e := range es {
		out[i] = auditRow{AuditEntry: e, BeforeView: describeState(e.Before), AfterView: describeState(e.After)}
		out[i].NoticeID, out[i].NoticeSite = auditNotice(e)
	}
	return out
}

// namingNotices prefixes the states of notice entries with the notice
// they are about, for the ad page, which has no column for it.
func namingNotices(rows []auditRow) []auditRow {
	for i, a := range rows {
		if a.NoticeID == 0 {
			continue
		}
		ref := "notice #" + strconv.FormatInt(a.NoticeID, 10)
		if a.NoticeSite != "" {
			ref += " to " + a.NoticeSite
		}
		rows[i].BeforeView, rows[i].AfterView = ref+" · "+a.BeforeView, ref+" · "+a.AfterView
	}
	return rows
}

type auditData struct {
	Rows    []auditRow
	Total   int
	Filter  store.AuditFilter
	Pager   pager
	Actions []string // the action filter's choices
}

// handleAudit is the admins' searchable audit log.
func (s *server) handleAudit(w http.ResponseWriter, r *http.Request) {
	f, page, err := auditFilter(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	es, total, err := s.db.AuditLog(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: audit", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the audit log.")
		return
	}
	keep := url.Values{}
	for _, k := range []string{"ad", "actor", "action", "q"} {
		if v := r.URL.Query().Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	s.render(w, r, http.StatusOK, "audit", view{Title: "Audit log", Nav: "audit", Data: auditData{
		Rows: auditRows(es), Total: total, Filter: f, Pager: newPager("/audit", keep, page, total, PageSize), Actions: store.AuditActions}})
}

func (s *server) handleAPIAudit(w http.ResponseWriter, r *http.Request) {
	f, _, err := auditFilter(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.apiAudit(w, r, f)
}

func (s *server) handleAPIAdAudit(w http.ResponseWriter, r *http.Request) {
	s.apiAudit(w, r, store.AuditFilter{AdID: r.PathValue("id"), Limit: store.MaxLimit})
}

func (s *server) apiAudit(w http.ResponseWriter, r *http.Request, f store.AuditFilter) {
	es, total, err := s.db.AuditLog(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: api audit", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the audit log")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "entries": es})
}

// handleExportLabels streams confirmed and false-positive decisions as
// JSON Lines for `lure fit`.
func (s *server) handleExportLabels(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="lure-labels.jsonl"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := s.db.ExportLabels(r.Context(), w)
	if err != nil {
		s.log.Error("dashboard: export labels", "err", err, "written", n)
		if n == 0 { // nothing sent yet: the client gets an error, not an empty file
			w.Header().Del("Content-Disposition")
			s.renderError(w, r, http.StatusInternalServerError, "could not export the labels")
			return
		}
	}
	s.audit(r, "export_labels", nil, map[string]int{"labels": n})
}
