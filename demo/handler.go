// Package demo serves lure's bundled demo sites: fictional regional
// classifieds sites (a Moldovan job board, a Ukrainian classifieds site in
// windows-1251, a marriage agency's catalogue, a Telegram-style channel
// preview, a Kazakhstani job board read only through its sitemaps and
// schema.org JSON-LD, and a Kyrgyz classifieds section read through its
// RSS feed, OpenGraph tags and microdata) whose ads are written from the
// project's deception indicators, so that a fresh checkout can crawl,
// score and review something without touching the internet. The
// structured sites' ad pages answer conditional GETs (ETag,
// Last-Modified), and one of their ads is expired (validThrough past). Some pages are broken on purpose (slow, 500s,
// redirect loops, a 50 MB page, an endless pagination trap, missing
// fields, malformed HTML) to exercise a crawler's defences. It serves HTML
// and keeps the ad corpus (with the expected label of each ad, for tests);
// crawling, scoring and storing are left to other packages.
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

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// PageSize is the number of ads on one list page.
const PageSize = 10

// HugeBytes is the size of the page of a BrokenHuge ad. It is generated
// as it is sent, never held in memory.
const HugeBytes = 50 << 20

// SlowDelay is how long the page of a BrokenSlow ad takes to answer.
var SlowDelay = 8 * time.Second

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"adPath":  func(a Ad) string { return AdPath(a.Site, a.Slug) },
	"rfc3339": func(t time.Time) string { return t.Format(time.RFC3339) },
	"dmy":     func(t time.Time) string { return t.Format("02.01.2006") },
	"hm":      func(t time.Time) string { return t.Format("15:04") },
	"snippet": snippet,
	"views": func(a Ad) int {
		h := fnv.New32a()
		h.Write([]byte(a.Slug))
		return 40 + int(h.Sum32()%900)
	},
	"lines":       func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
	"num":         num,
	"isEmail":     isEmail,
	"vacancyPath": func(a Ad) string { return VacancyPath(a.Site, a.Slug) },
	"itemPath":    func(a Ad) string { return ItemPath(a.Site, a.Slug) },
}

func parse(files ...string) *template.Template {
	for i, f := range files {
		files[i] = "templates/" + f
	}
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, files...))
}

var (
	listTmpl       = parse("layout.html", "list.html")
	adTmpl         = parse("layout.html", "ad.html")
	indexTmpl      = parse("index.html")
	classifiedTmpl = parse("classifieds.html")
	catalogueTmpl  = parse("catalogue.html")
	channelTmpl    = parse("channel.html")
)

// robotsTxt returns the robots.txt of the demo host: the rules, then the
// sitemaps of the sites that have them, absolute on the request's host.
func robotsTxt(r *http.Request, sites []Site) string {
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /*/search\nDisallow: /*/private/\nAllow: /\n")
	for _, s := range sites {
		if s.Layout == LayoutJSONLD {
			fmt.Fprintf(&b, "\nSitemap: %s%s", baseURL(r), SitemapIndexPath(s.ID))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// Handler returns an http.Handler serving every demo site under
// "/<site-id>/", a /robots.txt (naming the sitemaps, absolute on the
// request's host), an index page at "/" and the platforms'
// moderation page at ModerationPath, whose POST actions remove and restore
// ads (in memory, per Handler). Everything else is GET and HEAD only.
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
		w.Write([]byte(robotsTxt(r, sites)))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		render(w, indexTmpl, "index", sites, "", nil)
	})
	mod := &moderation{removed: map[string]bool{}}
	(&moderationHandler{sites: sites, mod: mod}).routes(mux)
	for _, s := range sites {
		h := &siteHandler{site: s, bySlug: map[string]int{}, mod: mod}
		for i, a := range s.Ads {
			h.bySlug[a.Slug] = i
		}
		switch s.Layout {
		case LayoutBoard:
			mux.HandleFunc("GET /"+s.ID+"/{$}", h.list)
			mux.HandleFunc("GET /"+s.ID+"/ad/{slug}", h.ad)
		case LayoutClassifieds:
			mux.HandleFunc("GET /"+s.ID+"/{$}", h.classifiedsHome)
			mux.HandleFunc("GET /"+s.ID+"/c/{cat}/{$}", h.classifiedsList)
			mux.HandleFunc("GET /"+s.ID+"/ad/{slug}", h.classifiedsAd)
		case LayoutCatalogue:
			mux.HandleFunc("GET /"+s.ID+"/{$}", h.catalogueList)
			mux.HandleFunc("GET /"+s.ID+"/profile/{slug}", h.catalogueProfile)
		case LayoutChannel:
			mux.HandleFunc("GET /"+s.ID+"/s/"+s.Channel, h.channel)
			mux.HandleFunc("GET /"+s.ID+"/"+s.Channel+"/{n}", h.channelPost)
		case LayoutJSONLD:
			h.jsonLDRoutes(mux)
		case LayoutFeed:
			h.feedRoutes(mux)
		}
		mux.HandleFunc("GET /"+s.ID+"/loop/{slug}/{step}", h.loop)
	}
	return mux
}

type siteHandler struct {
	site   Site
	bySlug map[string]int
	mod    *moderation
}

// page returns the n-th page (from 1) of ads and the number of pages, or
// false when n is out of range.
func page(ads []Ad, n int) ([]Ad, int, bool) {
	pages := max(1, (len(ads)+PageSize-1)/PageSize)
	if n < 1 || n > pages {
		return nil, pages, false
	}
	lo := (n - 1) * PageSize
	return ads[lo:min(lo+PageSize, len(ads))], pages, true
}

// pageNum reads ?page=N, 1 when absent, 0 when bad.
func pageNum(r *http.Request) int {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1<<20 {
		return 0
	}
	return n
}

// findAd returns the ad of the {slug} path value.
func (h *siteHandler) findAd(r *http.Request) (Ad, bool) {
	i, ok := h.bySlug[r.PathValue("slug")]
	if !ok {
		return Ad{}, false
	}
	return h.site.Ads[i], true
}

// serveBroken answers for an ad whose page is broken on purpose and
// reports whether it did. Slow pages are delayed here and then rendered
// by the caller; missing-title and malformed pages are rendered by the
// caller too.
func (h *siteHandler) serveBroken(w http.ResponseWriter, r *http.Request, a Ad) bool {
	switch a.Broken {
	case BrokenSlow:
		t := time.NewTimer(SlowDelay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return true
		case <-t.C:
		}
		return false
	case BrokenError:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return true
	case BrokenRedirectLoop:
		http.Redirect(w, r, "/"+h.site.ID+"/loop/"+a.Slug+"/a", http.StatusFound)
		return true
	case BrokenHuge:
		serveHuge(w, r, a)
		return true
	case BrokenBinary:
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"))
		return true
	}
	return false
}

// loop redirects between two steps forever.
func (h *siteHandler) loop(w http.ResponseWriter, r *http.Request) {
	next := "a"
	if r.PathValue("step") == "a" {
		next = "b"
	}
	http.Redirect(w, r, "/"+h.site.ID+"/loop/"+r.PathValue("slug")+"/"+next, http.StatusFound)
}

// serveHuge streams HugeBytes of HTML without a Content-Length, stopping
// as soon as the client goes away.
func serveHuge(w http.ResponseWriter, r *http.Request, a Ad) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><h1>%s</h1><div>", template.HTMLEscapeString(a.Title), template.HTMLEscapeString(a.Title))
	chunk := []byte(strings.Repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n", 512))
	for sent := 0; sent < HugeBytes; sent += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	w.Write([]byte("</div></body></html>"))
}

// malform breaks a rendered page the way sloppy sites do: unclosed
// paragraphs and list items, stray closing tags, unbalanced inline tags.
// An HTML5 parser still reads every field.
func malform(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("</p>"), nil)
	b = bytes.ReplaceAll(b, []byte("</li>"), nil)
	b = bytes.Replace(b, []byte("<body>"), []byte("<body></span></table><b><i>"), 1)
	b = bytes.ReplaceAll(b, []byte("</html>"), []byte("</htm"))
	return b
}

// render executes a template into a buffer first, so a template error
// becomes a clean 500 rather than half a page, then encodes it in the
// given charset ("" for UTF-8) and applies mutate, if set.
func render(w http.ResponseWriter, t *template.Template, name string, data any, cs string, mutate func([]byte) []byte) {
	out, ct, ok := execute(w, t, name, data, cs, mutate)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// execute renders a page as render does and returns it with its content
// type; on an error it answers 500 itself and returns false.
func execute(w http.ResponseWriter, t *template.Template, name string, data any, cs string, mutate func([]byte) []byte) ([]byte, string, bool) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		slog.Error("demo: render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil, "", false
	}
	out := buf.Bytes()
	ct := "text/html; charset=utf-8"
	if cs == "windows-1251" {
		enc := encoding.ReplaceUnsupported(charmap.Windows1251.NewEncoder())
		b, err := enc.Bytes(out)
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return nil, "", false
		}
		out, ct = b, "text/html; charset=windows-1251"
	}
	if mutate != nil {
		out = mutate(out)
	}
	return out, ct, true
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
