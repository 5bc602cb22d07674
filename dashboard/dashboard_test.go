package dashboard

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
)

func TestListShowsFlaggedByScore(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	resp, body := f.get(t, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	last := -1
	for _, title := range []string{"Работа для девушек за границей", "Căutăm fete tinere", "Waitress wanted in Dubai"} {
		i := strings.Index(body, title)
		if i < 0 {
			t.Fatalf("list lacks %q", title)
		}
		if i < last {
			t.Errorf("%q out of score order", title)
		}
		last = i
	}
	if strings.Contains(body, "Бухгалтер") {
		t.Error("list shows an ad that is not flagged")
	}
	for _, want := range []string{`href="/ads/ru1"`, `class="badge band-high"`, "free_travel", "2025-03-01 12:00 UTC"} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}

	_, body = f.get(t, "/?site=locuri.example")
	if !strings.Contains(body, "Căutăm") || strings.Contains(body, "Waitress") {
		t.Error("site filter not applied")
	}
	resp, _ = f.get(t, "/?page=0")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /?page=0 = %d, want 400", resp.StatusCode)
	}
}

func TestListPaging(t *testing.T) {
	var vs []ad.Verdict
	for i := range PageSize + 3 {
		vs = append(vs, mkVerdict(t, "ad"+string(rune('A'+i/26))+string(rune('a'+i%26)), float64(40+i%50), true,
			ad.Ad{Title: "Ad number", Body: "x"}))
	}
	f := newFixture(t, Options{}, vs...)
	_, body := f.get(t, "/")
	if n := strings.Count(body, `<tr class="row"`); n != PageSize {
		t.Errorf("page 1 has %d ads, want %d", n, PageSize)
	}
	if !strings.Contains(body, `href="/?page=2"`) {
		t.Error("page 1 has no link to page 2")
	}
	_, body = f.get(t, "/?page=2")
	if n := strings.Count(body, `<tr class="row"`); n != 3 {
		t.Errorf("page 2 has %d ads, want 3", n)
	}
}

func TestAdPageHighlightsEvidence(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	resp, body := f.get(t, "/ads/ru1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /ads/ru1 = %d", resp.StatusCode)
	}
	for _, want := range []string{
		`Молодые девушки, работа в Германии, <mark title="ru.free-travel">билеты и визу оплачиваем</mark>. Звоните!`,
		`Работа для <mark title="ru.young-women">девушек</mark> за границей`,
		`<code>ru.free-travel</code>`, `1.25`, `test-1`, "+7 999 123-45-67",
		`<a href="https://rabota.example/ad/ru1" rel="noopener noreferrer nofollow"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("ad page lacks %q", want)
		}
	}
	resp, _ = f.get(t, "/ads/nope")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /ads/nope = %d, want 404", resp.StatusCode)
	}
}

func TestHostileAdIsInert(t *testing.T) {
	evil := mkVerdict(t, "evil", 99, true, ad.Ad{
		Lang:    "en",
		Title:   `<script>alert(1)</script> visa job`,
		Body:    `Free visa <img src=x onerror=alert(1)> "quoted" 'single' & more`,
		Contact: `<a href="javascript:alert(1)">call</a>`,
		URL:     "javascript:alert(1)",
	}, `x.visa|free_travel|body|<img src=x onerror=alert(1)>`, `x.title|t|title|<script>alert(1)</script>`)
	evil.Hits[0].Rule = `r"><script>alert(2)</script>`
	f := newFixture(t, Options{}, evil)

	raw := []string{"<script>alert", "<img src=x", `<a href="javascript`, `href="javascript:`, "<script>alert(2)"}
	for _, path := range []string{"/", "/ads/evil", "/search?q=visa", "/search?q=" + "%3Cscript%3E"} {
		resp, body := f.get(t, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		for _, r := range raw {
			if strings.Contains(body, r) {
				t.Errorf("GET %s contains raw %q", path, r)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("GET %s: escaped payload not shown", path)
		}
	}
	_, body := f.get(t, "/ads/evil")
	for _, want := range []string{
		`<mark title="r&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">&lt;img src=x onerror=alert(1)&gt;</mark>`,
		`<code class="url">javascript:alert(1)</code> <span class="warn">(not a web link)</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("ad page lacks %q", want)
		}
	}
	_, body = f.get(t, "/search?q=visa")
	if !strings.Contains(body, "<mark>visa</mark>") {
		t.Errorf("search page lacks the highlighted fragment")
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	_, body := f.get(t, "/search?q=девушкам")
	if !strings.Contains(body, `href="/ads/ru1"`) || strings.Contains(body, `href="/ads/ro1"`) {
		t.Error("search for девушкам must find ru1 only")
	}
	if !strings.Contains(body, "<mark>девушки</mark>") {
		t.Error("search page lacks the highlighted inflected form")
	}
	_, body = f.get(t, "/search")
	if strings.Count(body, `<article class="result row"`) != 3 {
		t.Error("empty search must list every flagged ad")
	}
	if !strings.Contains(body, `href="/search?signal=free_travel"`) {
		t.Error("search page lacks the signal facet link")
	}
	// The facets of a search count its hits: ro1's site is not among
	// those of a search that finds ru1 alone.
	_, body = f.get(t, "/search?q=девушкам")
	if !strings.Contains(body, `signal=young_women`) || strings.Contains(body, `site=locuri.example`) {
		t.Error("the facets of a search must be those of its hits")
	}
	if strings.Contains(body, "Counts across all flagged ads") {
		t.Error("a small search must not show the counts of every flagged ad")
	}
}

func TestHeaders(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	for _, path := range []string{"/", "/ads/ru1", "/api/v1/ads", "/nope", "/static/style.css"} {
		resp, _ := f.get(t, path)
		h := resp.Header
		if h.Get("Content-Security-Policy") != csp ||
			h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") != "no-referrer" ||
			h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: security headers %v", path, h)
		}
	}
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("csp = %q", csp)
	}
	resp, body := f.get(t, "/static/style.css")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, "mark") {
		t.Errorf("GET /static/style.css = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, _ = f.get(t, "/nope")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope = %d", resp.StatusCode)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	var healthErr error
	f := newFixture(t, Options{
		Metrics:        promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		RequestMetrics: m,
		Health:         func(context.Context) error { return healthErr },
	}, standardAds(t)...)

	resp, body := f.get(t, "/healthz")
	if resp.StatusCode != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthy /healthz = %d %q", resp.StatusCode, body)
	}
	healthErr = errors.New("store down")
	resp, _ = f.get(t, "/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("unhealthy /healthz = %d, want 503", resp.StatusCode)
	}
	f.get(t, "/ads/ru1")
	f.get(t, "/ads/nope")
	if got := testutil.ToFloat64(m.Requests.WithLabelValues(routeAd, "200")); got != 1 {
		t.Errorf("requests{ad,200} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.Requests.WithLabelValues(routeAd, "404")); got != 1 {
		t.Errorf("requests{ad,404} = %v, want 1", got)
	}
	_, body = f.get(t, "/metrics")
	if !strings.Contains(body, `lure_dashboard_requests_total{code="503",route="healthz"} 1`) {
		t.Errorf("/metrics lacks the healthz 503 count")
	}
}

func TestNewNeedsStore(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a store succeeded")
	}
}

func TestLinkURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.example/x?y=1": "https://a.example/x?y=1",
		"HTTP://a.example/":       "http://a.example/",
		"javascript:alert(1)":     "",
		" JavaScript:alert(1)":    "",
		"data:text/html,x":        "",
		"//a.example/x":           "",
		"/relative":               "",
		"http://":                 "",
		"ftp://a.example/":        "",
	} {
		if got := linkURL(in); got != want {
			t.Errorf("linkURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeFragment(t *testing.T) {
	for in, want := range map[string]string{
		"a <mark>b</mark> c":               "a <mark>b</mark> c",
		"&lt;b&gt;<mark>x</mark>":          "&lt;b&gt;<mark>x</mark>",
		"<script>x</script>":               "&lt;script&gt;x&lt;/script&gt;",
		"<mark>open":                       "<mark>open</mark>",
		"</mark>stray":                     "&lt;/mark&gt;stray",
		`<mark onclick="x">y</mark>`:       `&lt;mark onclick=&#34;x&#34;&gt;y&lt;/mark&gt;`,
		"<mark><mark>nested</mark></mark>": "<mark>&lt;mark&gt;nested</mark>&lt;/mark&gt;",
	} {
		if got := string(safeFragment(in)); got != want {
			t.Errorf("safeFragment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFieldSpansDropsInvalid(t *testing.T) {
	v := ad.Verdict{Ad: ad.Ad{Title: "Привет", Body: "ok"}, Hits: []ad.Hit{{Rule: "r", Evidence: []ad.Span{
		{Field: "title", Start: 0, End: 4},  // two Cyrillic letters: valid
		{Field: "title", Start: 1, End: 4},  // inside a letter
		{Field: "title", Start: 0, End: 99}, // past the end
		{Field: "body", Start: 2, End: 1},   // reversed
		{Field: "nosuch", Start: 0, End: 1}, // unknown field
		{Field: "body", Start: -1, End: 1},  // negative
	}}}}
	got := fieldSpans(v)
	want := map[string][]markedSpan{"title": {{0, 4, "r"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fieldSpans = %v, want %v", got, want)
	}
}

// An ad whose language was detected shows it as detected, in the list,
// the ad page and the lang filter.
func TestDetectedLanguageShown(t *testing.T) {
	v := mkVerdict(t, "uz1", 81, true, ad.Ad{Title: "Koreyaga ish", Body: "Pasportingizni brigadirga topshirasiz"}, "uz.passport_held|documents_held|body|brigadirga")
	v.Lang, v.LangDetected = "uz", true
	f := newFixture(t, Options{}, v)
	if _, body := f.get(t, "/ads/uz1"); !strings.Contains(body, "uz (detected)") || !strings.Contains(body, `lang="uz"`) {
		t.Errorf("ad page does not show the detected language:\n%s", body)
	}
	if _, body := f.get(t, "/?lang=uz"); !strings.Contains(body, `href="/ads/uz1"`) {
		t.Errorf("lang filter uz does not list the ad")
	}
}
