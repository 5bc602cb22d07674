package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
)

// Route labels of the takedown-notice routes.
const (
	routeNotices      = "notices"
	routeNoticeExport = "notice_export"
	routeAPINotices   = "api_notices"
)

// noticeRouteLabels are the route labels of lure_dashboard_requests_total
// that noticeRoutes uses.
var noticeRouteLabels = []string{routeNotices, routeNoticeExport, routeAPINotices}

// noticeRoutes serves takedown notices to analysts: the list with
// overdue notices and time to removal per platform, drafting from
// confirmed ads, one notice with its lifecycle, and its exports (JSON,
// CSV, printable page, e-mail text); and the same under /api/v1/notices.
func (s *server) noticeRoutes(rs routeSet) {
	const analyst = auth.Analyst
	rs.handle("GET /notices", routeNotices, rs.page(analyst, s.handleNotices))
	rs.handle("POST /notices/draft", routeNotices, rs.page(analyst, s.handleDraftNotices))
	rs.handle("GET /notices/{ref}", routeNotices, rs.page(analyst, s.handleNotice))
	rs.handle("POST /notices/{id}/transition", routeNotices, rs.page(analyst, s.handleNoticeTransition))
	rs.handle("POST /notices/{id}/items/{adID}/drop", routeNotices, rs.page(analyst, s.handleNoticeDropItem))
	rs.handle("GET /notices/{id}/print", routeNoticeExport, rs.page(analyst, s.handleNoticePrint))
	rs.handle("GET /notices/{id}/email.txt", routeNoticeExport, rs.page(analyst, s.handleNoticeEmail))

	rs.handle("GET /api/v1/notices", routeAPINotices, rs.api(analyst, s.handleAPINotices))
	rs.handle("POST /api/v1/notices", routeAPINotices, rs.api(analyst, s.handleAPIDraftNotices))
	rs.handle("GET /api/v1/notices/{id}", routeAPINotices, rs.api(analyst, s.handleAPINotice))
	rs.handle("POST /api/v1/notices/{id}/transition", routeAPINotices, rs.api(analyst, s.handleAPINoticeTransition))
	rs.handle("POST /api/v1/notices/{id}/items/{adID}/drop", routeAPINotices, rs.api(analyst, s.handleAPINoticeDropItem))
}

// Export formats of GET /notices/{ref}.
const (
	formatPage = ""
	formatJSON = "json"
	formatCSV  = "csv"
)

// parseNoticeRef parses the last path segment of /notices/{ref}: a notice
// ID, optionally with a ".json" or ".csv" suffix.
func parseNoticeRef(ref string) (id int64, format string, err error) {
	num, format := ref, formatPage
	if i := strings.IndexByte(ref, '.'); i >= 0 {
		num, format = ref[:i], ref[i+1:]
		if format != formatJSON && format != formatCSV {
			return 0, "", fmt.Errorf("unknown export format %q (want .json or .csv)", format)
		}
	}
	if id, err = parseNoticeID(num); err != nil {
		return 0, "", err
	}
	return id, format, nil
}

// parseNoticeID parses a notice ID: 1 to 18 ASCII digits, not starting
// with zero.
func parseNoticeID(s string) (int64, error) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, errors.New("a notice ID is 1 to 18 digits")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("a notice ID is 1 to 18 digits")
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errors.New("a notice ID is a positive number")
	}
	return id, nil
}

func (s *server) noticeOpts() notice.Options { return s.opts.Notices }

// notices is the store's notices.
func (s *server) notices() *store.Notices { return s.db.Notices() }

// noticeDoc is the exported form of a notice now.
func (s *server) noticeDoc(n notice.Notice) notice.Document {
	return notice.NewDocument(n, s.noticeOpts(), s.now(), s.isCombination)
}

// isCombination reports whether rule is a combination rule of the
// loaded rule pack (one whose evidence is other rules' evidence).
func (s *server) isCombination(rule string) bool {
	if s.opts.Rules == nil {
		return false
	}
	r, ok := s.opts.Rules.Rule(rule)
	return ok && r.When != nil
}

// loadNotice reads a notice, answering 404 or 500 itself when it cannot.
func (s *server) loadNotice(w http.ResponseWriter, r *http.Request, id int64, api bool) (notice.Notice, bool) {
	n, err := s.notices().Get(r.Context(), id)
	if err == nil {
		return n, true
	}
	code, msg := http.StatusInternalServerError, "could not read the notice"
	if errors.Is(err, notice.ErrNotFound) {
		code, msg = http.StatusNotFound, "no notice with this ID"
	} else {
		s.log.Error("dashboard: notice", "id", id, "err", err)
	}
	if api {
		writeJSONError(w, code, msg)
	} else {
		s.renderError(w, r, code, capitalize(msg)+".")
	}
	return notice.Notice{}, false
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// noticeFilter reads the list filters: status, site, overdue.
func (s *server) noticeFilter(r *http.Request) (notice.Filter, bool, error) {
	q := r.URL.Query()
	f := notice.Filter{Status: notice.Status(q.Get("status")), Site: q.Get("site")}
	if f.Status != "" && !f.Status.Valid() {
		return f, false, fmt.Errorf("status must be one of %s", statusList(notice.Statuses))
	}
	if len(f.Site) > 200 {
		return f, false, errors.New("site is too long")
	}
	overdue := false
	switch q.Get("overdue") {
	case "", "0", "false":
	case "1", "true":
		overdue = true
		f.SentBefore = notice.OverdueFilter(s.now(), s.noticeOpts().Period()).SentBefore
	default:
		return f, false, errors.New("overdue must be true or false")
	}
	return f, overdue, nil
}

// statusList is the statuses as "a, b, c".
func statusList(ss []notice.Status) string {
	out := make([]string, len(ss))
	for i, x := range ss {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

// noticeRow is one line of the notice list.
type noticeRow struct {
	notice.Notice
	Overdue bool
}

// removalRow is one platform's time to removal, for display.
type removalRow struct {
	Site   string
	Count  int
	Median string
	Max    string
}

type noticesData struct {
	Rows      []noticeRow
	Total     int
	Pager     pager
	Statuses  []notice.Status
	Sites     []string
	Status    notice.Status
	Site      string
	Overdue   bool
	OpenCount int
	Late      int
	Period    string
	Removal   []removalRow
	Drafted   string
	Notifier  bool
}

func (s *server) handleNotices(w http.ResponseWriter, r *http.Request) {
	f, overdue, err := s.noticeFilter(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, capitalize(err.Error())+".")
		return
	}
	page, err := pageParam(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, capitalize(err.Error())+".")
		return
	}
	f.Limit, f.Offset = PageSize, (page-1)*PageSize
	ctx := r.Context()
	ns, total, err := s.notices().List(ctx, f)
	if err != nil {
		s.log.Error("dashboard: notices", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the notices.")
		return
	}
	now, o := s.now(), s.noticeOpts()
	d := noticesData{Total: total, Statuses: notice.Statuses, Status: f.Status, Site: f.Site, Overdue: overdue,
		Period: humanDuration(o.Period()), Notifier: o.NotifierName != "" && o.NotifierEmail != ""}
	for _, n := range ns {
		d.Rows = append(d.Rows, noticeRow{Notice: n, Overdue: n.Overdue(now, o.Period())})
	}
	d.Pager = newPager("/notices", r.URL.Query(), page, total, PageSize)
	if d.Sites, err = s.notices().Sites(ctx); err != nil {
		s.log.Error("dashboard: notice sites", "err", err)
	}
	for _, st := range notice.OpenStatuses {
		_, n, err := s.notices().List(ctx, notice.Filter{Status: st, Limit: 1})
		if err != nil {
			s.log.Error("dashboard: open notices", "err", err)
		}
		d.OpenCount += n
	}
	late := notice.OverdueFilter(now, o.Period())
	late.Limit = 1
	if _, d.Late, err = s.notices().List(ctx, late); err != nil {
		s.log.Error("dashboard: overdue notices", "err", err)
	}
	stats, err := s.notices().TimeToRemoval(ctx)
	if err != nil {
		s.log.Error("dashboard: time to removal", "err", err)
	}
	for _, st := range stats {
		d.Removal = append(d.Removal, removalRow{Site: st.Site, Count: st.Count, Median: humanDuration(st.Median), Max: humanDuration(st.Max)})
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("drafted")); err == nil && n >= 0 {
		d.Drafted = strconv.Itoa(n)
	}
	s.render(w, r, http.StatusOK, "notices", view{Title: "Takedown notices", Nav: "notices", Data: d})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// humanDuration shows a duration in days and hours, or minutes when short.
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 24*time.Hour:
		return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " h"
	}
	return strconv.FormatFloat(d.Hours()/24, 'f', 1, 64) + " days"
}

func (s *server) draft(r *http.Request) ([]notice.Notice, error) {
	o := s.noticeOpts()
	ns, err := notice.DraftNotices(r.Context(), s.notices(), notice.DraftRequest{Actor: who(r).Name,
		NotifierName: o.NotifierName, NotifierEmail: o.NotifierEmail, Describe: s.describeRule})
	if err != nil {
		s.log.Error("dashboard: draft notices", "err", err)
	}
	return ns, err
}

func (s *server) handleDraftNotices(w http.ResponseWriter, r *http.Request) {
	ns, err := s.draft(r)
	if err != nil {
		s.renderError(w, r, http.StatusInternalServerError, "Could not draft notices.")
		return
	}
	if len(ns) == 1 {
		http.Redirect(w, r, "/notices/"+strconv.FormatInt(ns[0].ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/notices?drafted="+strconv.Itoa(len(ns)), http.StatusSeeOther)
}

type noticeData struct {
	Doc    notice.Document
	Notice notice.Notice
	Period string
	Links  map[string]string // ad ID → safe link to the ad's URL
}

func (s *server) handleNotice(w http.ResponseWriter, r *http.Request) {
	id, format, err := parseNoticeRef(r.PathValue("ref"))
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "No such notice: "+err.Error()+".")
		return
	}
	n, ok := s.loadNotice(w, r, id, false)
	if !ok {
		return
	}
	d := s.noticeDoc(n)
	name := fmt.Sprintf("lure-notice-%d-%s", n.ID, fileSafe(n.Site))
	switch format {
	case formatJSON:
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		writeJSON(w, http.StatusOK, d)
		s.audit(r, "notice_export", nil, map[string]any{"notice": n.ID, "site": n.Site, "format": "json"})
		return
	case formatCSV:
		var buf bytes.Buffer
		if err := notice.WriteCSV(&buf, d); err != nil {
			s.log.Error("dashboard: notice csv", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "Could not export the notice.")
			return
		}
		csvDownload(w, name+".csv")
		w.Write(buf.Bytes())
		s.audit(r, "notice_export", nil, map[string]any{"notice": n.ID, "site": n.Site, "format": "csv"})
		return
	}
	s.renderNotice(w, r, "notice", n, d)
}

func (s *server) renderNotice(w http.ResponseWriter, r *http.Request, page string, n notice.Notice, d notice.Document) {
	links := map[string]string{}
	for _, it := range n.Items {
		links[it.AdID] = linkURL(it.URL)
	}
	title := fmt.Sprintf("Notice #%d to %s", n.ID, d.To.Name)
	s.render(w, r, http.StatusOK, page, view{Title: title, Nav: "notices",
		Data: noticeData{Doc: d, Notice: n, Period: humanDuration(s.noticeOpts().Period()), Links: links}})
}

// fileSafe keeps letters, digits, '.', '-' of a site name for a file name.
func fileSafe(s string) string {
	b := []byte{}
	for i := 0; i < len(s) && len(b) < 60; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			b = append(b, c)
		} else {
			b = append(b, '_')
		}
	}
	return string(b)
}

func (s *server) noticeFromPath(w http.ResponseWriter, r *http.Request, api bool) (notice.Notice, bool) {
	id, err := parseNoticeID(r.PathValue("id"))
	if err != nil {
		if api {
			writeJSONError(w, http.StatusNotFound, "no such notice: "+err.Error())
		} else {
			s.renderError(w, r, http.StatusNotFound, "No such notice: "+err.Error()+".")
		}
		return notice.Notice{}, false
	}
	return s.loadNotice(w, r, id, api)
}

func (s *server) handleNoticePrint(w http.ResponseWriter, r *http.Request) {
	n, ok := s.noticeFromPath(w, r, false)
	if !ok {
		return
	}
	s.renderNotice(w, r, "notice_print", n, s.noticeDoc(n))
	s.audit(r, "notice_export", nil, map[string]any{"notice": n.ID, "site": n.Site, "format": "print"})
}

func (s *server) handleNoticeEmail(w http.ResponseWriter, r *http.Request) {
	n, ok := s.noticeFromPath(w, r, false)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := notice.WriteEmail(&buf, s.noticeDoc(n)); err != nil {
		s.log.Error("dashboard: notice email", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not export the notice.")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	s.audit(r, "notice_export", nil, map[string]any{"notice": n.ID, "site": n.Site, "format": "email"})
}

// transitionInput is a lifecycle step, from a form or JSON.
type transitionInput struct {
	Status notice.Status `json:"status"`
	Note   string        `json:"note"`
}

// transition applies a lifecycle step; code and msg describe a refusal.
func (s *server) transition(r *http.Request, id int64, in transitionInput) (n notice.Notice, code int, msg string) {
	if len(in.Note) > store.MaxNote {
		return n, http.StatusBadRequest, fmt.Sprintf("note is longer than %d bytes", store.MaxNote)
	}
	o := s.noticeOpts()
	n, err := notice.Move(r.Context(), s.notices(), notice.Transition{ID: id, To: in.Status, Actor: who(r).Name,
		Note: strings.TrimSpace(in.Note), NotifierName: o.NotifierName, NotifierEmail: o.NotifierEmail})
	switch {
	case err == nil:
		return n, http.StatusOK, ""
	case errors.Is(err, notice.ErrNotFound):
		return n, http.StatusNotFound, "no notice with this ID"
	case errors.Is(err, notice.ErrNotifierRequired):
		return n, http.StatusConflict, "a notice cannot be sent without the notifier's name and e-mail: start lure with --notifier-name and --notifier-email"
	case errors.Is(err, notice.ErrBadTransition), errors.Is(err, notice.ErrNotConfirmed):
		return n, http.StatusConflict, strings.TrimPrefix(err.Error(), "notice: ")
	}
	s.log.Error("dashboard: notice transition", "id", id, "err", err)
	return n, http.StatusInternalServerError, "could not change the notice"
}

func (s *server) handleNoticeTransition(w http.ResponseWriter, r *http.Request) {
	id, err := parseNoticeID(r.PathValue("id"))
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "No such notice: "+err.Error()+".")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad form.")
		return
	}
	_, code, msg := s.transition(r, id, transitionInput{Status: notice.Status(r.PostFormValue("status")), Note: r.PostFormValue("note")})
	if code != http.StatusOK {
		s.renderError(w, r, code, "Cannot change the notice: "+msg+".")
		return
	}
	http.Redirect(w, r, "/notices/"+url.PathEscape(strconv.FormatInt(id, 10))+"#history", http.StatusSeeOther)
}
