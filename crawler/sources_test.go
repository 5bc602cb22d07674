package crawler

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// jobSite is a fixture job board that publishes only a robots.txt, a
// gzipped sitemap index, a plain sitemap, an RSS feed and JSON-LD ad
// pages with ETags. Tests change it between crawls.
type jobSite struct {
	mu    sync.Mutex
	ads   map[string]*jobAd // by slug
	other []string          // non-ad paths listed in the sitemap
	hits  map[string]int    // GETs per path
	cond  map[string]int    // conditional GETs answered 304, per path
	noTag bool              // serve ad pages without ETag or Last-Modified
	srv   *httptest.Server
}

type jobAd struct {
	title, body, salary, city string
	lastmod, validThrough     time.Time
	gone                      bool // answers 404 and leaves the sitemap
}

func newJobSite(t *testing.T, n int) *jobSite {
	s := &jobSite{ads: map[string]*jobAd{}, hits: map[string]int{}, cond: map[string]int{},
		other: []string{"/about", "/employers"}}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		s.ads[fmt.Sprintf("v%d", i)] = &jobAd{
			title: fmt.Sprintf("Сварщик %d, вахта", i), body: fmt.Sprintf("Работа вахтой %d дней, жильё предоставляется.", 15+i),
			salary: "300000", city: "Атырау", lastmod: t0.Add(time.Duration(i) * time.Hour),
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *jobSite) slugs() []string {
	var out []string
	for k, a := range s.ads {
		if !a.gone {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func (s *jobSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	base := "http://" + r.Host
	switch p := r.URL.Path; {
	case p == "/robots.txt":
		fmt.Fprintf(w, "User-agent: *\nDisallow: /private/\n\nSitemap: %s/sitemap-index.xml.gz\n", base)
	case p == "/sitemap-index.xml.gz":
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz(fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/sitemaps/vacancies.xml.gz</loc></sitemap>
<sitemap><loc>%[1]s/sitemaps/pages.xml</loc></sitemap>
<sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap>
</sitemapindex>`, base)))
	case p == "/sitemaps/vacancies.xml.gz":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, slug := range s.slugs() {
			fmt.Fprintf(&b, "<url><loc>%s/vacancy/%s</loc><lastmod>%s</lastmod></url>\n", base, slug, s.ads[slug].lastmod.Format(time.RFC3339))
		}
		b.WriteString(`</urlset>`)
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz([]byte(b.String())))
	case p == "/sitemaps/pages.xml":
		var b strings.Builder
		b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, o := range s.other {
			fmt.Fprintf(&b, "<url><loc>%s%s</loc></url>", base, o)
		}
		b.WriteString(`</urlset>`)
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte(b.String()))
	case p == "/rss.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Jobs</title>`)
		for _, slug := range s.slugs() {
			fmt.Fprintf(&b, "<item><title>%s</title><link>/vacancy/%s</link><pubDate>%s</pubDate></item>",
				html.EscapeString(s.ads[slug].title), slug, s.ads[slug].lastmod.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	case strings.HasPrefix(p, "/vacancy/"):
		a := s.ads[strings.TrimPrefix(p, "/vacancy/")]
		if a == nil || a.gone {
			http.NotFound(w, r)
			return
		}
		posting := map[string]any{"@context": "https://schema.org", "@type": "JobPosting", "title": a.title,
			"description": "<p>" + html.EscapeString(a.body) + "</p>", "datePosted": a.lastmod.Format(time.DateOnly),
			"baseSalary": map[string]any{"@type": "MonetaryAmount", "currency": "KZT",
				"value": map[string]any{"@type": "QuantitativeValue", "value": a.salary, "unitText": "MONTH"}},
			"jobLocation": map[string]any{"@type": "Place", "address": map[string]any{"@type": "PostalAddress", "addressLocality": a.city, "addressCountry": "KZ"}}}
		if !a.validThrough.IsZero() {
			posting["validThrough"] = a.validThrough.Format(time.RFC3339)
		}
		ld, _ := json.Marshal(posting)
		page := fmt.Sprintf(`<!doctype html><html lang="ru"><head><title>%s</title><script type="application/ld+json">%s</script></head>
<body><nav>Меню</nav><main><h1>%s</h1><p>%s</p></main></body></html>`, html.EscapeString(a.title), ld, html.EscapeString(a.title), html.EscapeString(a.body))
		if !s.noTag {
			tag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(page)))
			w.Header().Set("ETag", tag)
			if r.Header.Get("If-None-Match") == tag {
				s.cond[p]++
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	case p == "/about", p == "/employers":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>О компании</title></head><body><main><p>Мы лучший сайт вакансий.</p></main></body></html>`)
	default:
		http.NotFound(w, r)
	}
}

func (s *jobSite) adHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if strings.HasPrefix(p, "/vacancy/") {
			n += c
		}
	}
	return n
}

func (s *jobSite) resetHits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits, s.cond = map[string]int{}, map[string]int{}
}

func (s *jobSite) profile(typ string) Profile {
	p := Profile{Site: "jobs-kz", Kind: "job", Type: typ, BaseURL: s.srv.URL, Parallelism: 2,
		Include: []string{"/vacancy/*"}}
	if typ == TypeFeed {
		p.Feeds = []string{"/rss.xml"}
	}
	return p
}

func TestRunSitemapSite(t *testing.T) {
	site := newJobSite(t, 6)
	st := openState(t)
	sink, rem := &collector{}, &removals{}
	crawl := func() {
		t.Helper()
		opts := Options{Profiles: []Profile{site.profile(TypeSitemap)}, Sink: sink, Removals: rem, State: st, MaxRetries: -1}
		if err := Run(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
	}

	// First crawl: the sitemap named by robots.txt, through the index,
	// gives every ad, read from JSON-LD; /about is not an ad page.
	crawl()
	got := sink.take()
	if len(got) != 6 {
		t.Fatalf("first crawl sent %d ads, want 6", len(got))
	}
	for _, a := range got {
		if a.Title == "" || a.Body == "" || a.Salary != "300000 KZT per month" || !strings.HasPrefix(a.Location, "Атырау") {
			t.Errorf("ad %s: title %q body %q salary %q location %q", a.URL, a.Title, a.Body, a.Salary, a.Location)
		}
		if a.Lang != "ru" || a.Posted.IsZero() {
			t.Errorf("ad %s: lang %q posted %v", a.URL, a.Lang, a.Posted)
		}
	}
	if site.hits["/about"] != 0 {
		t.Error("a page outside include was fetched")
	}

	// Second crawl, nothing changed: lastmod dates say so, and no ad page
	// is fetched at all.
	site.resetHits()
	crawl()
	if got := sink.take(); len(got) != 0 {
		t.Errorf("unchanged site: %d ads sent again", len(got))
	}
	if n := site.adHits(); n != 0 {
		t.Errorf("unchanged sitemap: %d ad pages fetched, want 0", n)
	}

	// One ad edited (new lastmod), one removed from the site, one expired.
	site.mu.Lock()
	site.ads["v1"].lastmod = site.ads["v1"].lastmod.Add(24 * time.Hour)
	site.ads["v1"].body += " Оплата каждую неделю."
	site.ads["v2"].gone = true
	site.ads["v3"].validThrough = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	site.ads["v3"].lastmod = site.ads["v3"].lastmod.Add(24 * time.Hour)
	site.mu.Unlock()
	site.resetHits()
	crawl()
	got = sink.take()
	if len(got) != 1 || !strings.HasSuffix(got[0].URL, "/v1") {
		t.Errorf("after an edit: sent %v, want v1 only", urlsOf(got))
	}
	if n := site.adHits(); n != 2 {
		t.Errorf("after an edit: %d ad pages fetched, want 2 (v1, v3)", n)
	}
	want := map[string]string{"v2": "delisted", "v3": "expired"}
	if gotRem := rem.take(); fmt.Sprint(gotRem) != fmt.Sprint(want) {
		t.Errorf("removals %v, want %v", gotRem, want)
	}
}

func TestRunSitemapSiteMaxAds(t *testing.T) {
	site := newJobSite(t, 7)
	st := openState(t)
	sink, rem := &collector{}, &removals{}
	p := site.profile(TypeSitemap)
	p.MaxAds = 3
	for i, want := range []int{3, 3, 1, 0} {
		if err := Run(t.Context(), Options{Profiles: []Profile{p}, Sink: sink, Removals: rem, State: st, MaxRetries: -1}); err != nil {
			t.Fatal(err)
		}
		if got := len(sink.take()); got != want {
			t.Errorf("crawl %d: %d ads sent, want %d", i+1, got, want)
		}
	}
	if got := rem.take(); len(got) != 0 {
		t.Errorf("ads not yet fetched were taken as removed: %v", got)
	}
}

func urlsOf(ads []ad.Ad) []string {
	var out []string
	for _, a := range ads {
		out = append(out, a.URL)
	}
	return out
}

func TestRunFeedSiteConditionalGET(t *testing.T) {
	site := newJobSite(t, 4)
	st := openState(t)
	sink, rem := &collector{}, &removals{}
	crawl := func() {
		t.Helper()
		opts := Options{Profiles: []Profile{site.profile(TypeFeed)}, Sink: sink, Removals: rem, State: st, MaxRetries: -1}
		if err := Run(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
	}
	crawl()
	if got := sink.take(); len(got) != 4 {
		t.Fatalf("feed crawl sent %d ads, want 4", len(got))
	}
	// Feed dates unchanged: nothing fetched.
	site.resetHits()
	crawl()
	if n := site.adHits(); n != 0 || len(sink.take()) != 0 {
		t.Errorf("unchanged feed: %d pages fetched", n)
	}
	// A feed date moves but the page is the same: the ETag answers 304.
	site.mu.Lock()
	site.ads["v0"].lastmod = site.ads["v0"].lastmod.Add(time.Minute)
	site.mu.Unlock()
	site.resetHits()
	crawl()
	if got := sink.take(); len(got) != 0 {
		t.Errorf("same page: sent %d ads", len(got))
	}
	site.mu.Lock()
	cond := site.cond["/vacancy/v0"]
	site.mu.Unlock()
	if cond != 1 {
		t.Errorf("conditional GETs answered 304: %d, want 1", cond)
	}
	// An ad leaves the feed and the site: a feed shows only the latest
	// ads, so its absence proves nothing; the recheck of its page finds it
	// gone.
	site.mu.Lock()
	site.ads["v3"].gone = true
	site.mu.Unlock()
	crawl()
	if got := rem.take(); got["v3"] != "gone_404" || len(got) != 1 {
		t.Errorf("removals %v, want v3 gone_404", got)
	}
}
