// Package demo serves lure's bundled demo sites: fictional regional
// classifieds sites whose ads are written from the project's deception
// indicators, so that a fresh checkout can crawl, score and review something
// without touching the internet. It serves HTML and keeps the ad corpus
// (with the expected label of each ad, for tests); crawling, scoring and
// storing are left to other packages.
package demo

import (
	"bytes"
	"embed"
	"fmt"
	"hash/fnv"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PageSize is the number of ads on one list page.
const PageSize = 10

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"adPath":  func(a Ad) string { return AdPath(a.Site, a.Slug) },
	"rfc3339": func(t time.Time) string { return t.Format(time.RFC3339) },
	"dmy":     func(t time.Time) string { return t.Format("02.01.2006") },
	"snippet": snippet,
	"views": func(a Ad) int {
		h := fnv.New32a()
		h.Write([]byte(a.Slug))
		return 40 + int(h.Sum32()%900)
	},
}

var (
	listTmpl  = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/list.html"))
	adTmpl    = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/ad.html"))
	indexTmpl = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/index.html"))
)

const robotsTxt = "User-agent: *\nDisallow: /*/search\nAllow: /\n"

// Handler returns an http.Handler serving every demo site under
// "/<site-id>/", a permissive /robots.txt and an index page at "/".
// Only GET and HEAD are served.
func Handler() http.Handler {
	sites, err := loadSites()
	mux := http.NewServeMux()
	if err != nil {
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "demo data is broken", http.StatusInternalServerError)
		})
		return mux
	}
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(robotsTxt))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		render(w, indexTmpl, "index", sites)
	})
	for _, s := range sites {
		h := &siteHandler{site: s, bySlug: map[string]int{}}
		for i, a := range s.Ads {
			h.bySlug[a.Slug] = i
		}
		mux.HandleFunc("GET /"+s.ID+"/{$}", h.list)
		mux.HandleFunc("GET /"+s.ID+"/ad/{slug}", h.ad)
	}
	return mux
}

type siteHandler struct {
	site   Site
	bySlug map[string]int
}

type pageLink struct {
	N       int
	Path    string
	Current bool
}

type listPage struct {
	Site                          Site
	Title, Description, Canonical string
	Ads                           []Ad
	Page, Pages                   int
	PrevPath, NextPath            string
	PageLinks                     []pageLink
}

func (h *siteHandler) pages() int {
	return max(1, (len(h.site.Ads)+PageSize-1)/PageSize)
}

func (h *siteHandler) list(w http.ResponseWriter, r *http.Request) {
	n := 1
	if p := r.URL.Query().Get("page"); p != "" {
		var err error
		n, err = strconv.Atoi(p)
		if err != nil || n < 1 || n > h.pages() {
			http.NotFound(w, r)
			return
		}
	}
	lo := (n - 1) * PageSize
	hi := min(lo+PageSize, len(h.site.Ads))
	data := listPage{
		Site:        h.site,
		Title:       fmt.Sprintf("Вакансии — страница %d — %s", n, h.site.Name),
		Description: h.site.Tagline,
		Canonical:   ListPath(h.site.ID, n),
		Ads:         h.site.Ads[lo:hi],
		Page:        n,
		Pages:       h.pages(),
		PrevPath:    ListPath(h.site.ID, n-1),
		NextPath:    ListPath(h.site.ID, n+1),
	}
	for i := 1; i <= data.Pages; i++ {
		data.PageLinks = append(data.PageLinks, pageLink{N: i, Path: ListPath(h.site.ID, i), Current: i == n})
	}
	render(w, listTmpl, "layout", data)
}

type adPage struct {
	Site                          Site
	Title, Description, Canonical string
	Ad                            Ad
	Similar                       []Ad
}

func (h *siteHandler) ad(w http.ResponseWriter, r *http.Request) {
	i, ok := h.bySlug[r.PathValue("slug")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a := h.site.Ads[i]
	data := adPage{
		Site:        h.site,
		Title:       a.Title + " — " + h.site.Name,
		Description: snippet(a),
		Canonical:   AdPath(a.Site, a.Slug),
		Ad:          a,
	}
	for _, o := range h.site.Ads {
		if o.Slug != a.Slug && o.Category == a.Category && len(data.Similar) < 4 {
			data.Similar = append(data.Similar, o)
		}
	}
	render(w, adTmpl, "layout", data)
}

// render executes a template into a buffer first, so a template error
// becomes a clean 500 rather than half a page.
func render(w http.ResponseWriter, t *template.Template, name string, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		slog.Error("demo: render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// snippet returns the start of an ad's body, cut at a rune boundary.
func snippet(a Ad) string {
	s := strings.Join(strings.Fields(a.Body), " ")
	const limit = 140
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit]) + "…"
}
