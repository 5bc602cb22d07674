package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// pages holds one template set per page, each with the shared layout.
type pages map[string]*template.Template

var pageNames = []string{"list", "search", "ad", "error", "login", "stats", "audit", "users", "snapshot", "notices", "notice", "notice_print", "webhooks", "campaign", "aim", "clusters", "cluster", "indicators"}

var funcs = template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"score":   func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) },
	"weight":  func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"join":    func(ss []string) string { return strings.Join(ss, ", ") },
	"band":    bandClass,
	"link":    linkURL,
	"short":   shortTitle,
	"contact": contactLabel,
	"inc":     func(i int) int { return i + 1 },
	"status":  func(s string) string { return statusLabels[s] },
	"pct": func(n, m int) int {
		if m <= 0 {
			return 0
		}
		return (n*20 + m - 1) / m
	},
	"list": func(ss ...string) []string { return ss },
	"kb":   func(n int) string { return strconv.Itoa((n+1023)/1024) + " KB" },
}

func bandClass(b ad.Band) string {
	switch b {
	case ad.BandLow, ad.BandMedium, ad.BandHigh:
		return "band-" + string(b)
	}
	return "band-unknown"
}

func parsePages() (pages, error) {
	p := pages{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(webFS,
			"web/templates/layout.html", "web/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard: parse template %s: %w", name, err)
		}
		p[name] = t
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	User  *auth.Principal // nil when not logged in
	Title string          // page title
	Nav   string          // active nav item: "flagged" or "search"
	Q     string          // search box content
	Data  any
	// Banner, if set, is shown above every page's content (the index
	// is rebuilding, say).
	Banner string
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, code int, page string, v view) {
	v.User = who(r)
	v.Banner = s.indexBanner()
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("dashboard: render", "page", page, "err", err)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusInternalServerError, "internal error")
			return
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (s *server) renderError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") { // an API error is JSON, whoever reports it
		writeJSONError(w, code, msg)
		return
	}
	s.render(w, r, code, "error", view{Title: http.StatusText(code), Data: struct {
		Code    int
		Status  string
		Message string
	}{code, http.StatusText(code), msg}})
}

// pageParam parses the 1-based "page" parameter.
func pageParam(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("page")
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxPage {
		return 0, fmt.Errorf("page must be a number from 1 to %d", MaxPage)
	}
	return n, nil
}

// pager links to the neighbouring pages of a listing.
type pager struct {
	Page, Pages int
	Prev, Next  string // URLs, "" when there is none
}

func newPager(path string, q url.Values, page, total, size int) pager {
	pages := max(1, (total+size-1)/size)
	p := pager{Page: page, Pages: pages}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages && page < MaxPage {
		p.Next = link(page + 1)
	}
	return p
}
