package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/charmap"
)

func get(t *testing.T, base, path string) (int, *goquery.Document) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, doc
}

func TestCorpus(t *testing.T) {
	ads, err := Ads()
	if err != nil {
		t.Fatal(err)
	}
	all, err := AllAds()
	if err != nil {
		t.Fatal(err)
	}
	if len(ads) < 200 {
		t.Errorf("got %d stored ads, want at least 200", len(ads))
	}
	if len(all)-len(ads) < 6 {
		t.Errorf("only %d broken pages", len(all)-len(ads))
	}
	count := map[string]int{}
	langs := map[string]int{}
	sites := map[string]int{}
	broken := map[string]int{}
	bySlug := map[string]Ad{}
	for _, a := range all {
		broken[a.Broken]++
		if !a.Stored() {
			continue
		}
		count[a.Expect]++
		langs[a.Lang]++
		sites[a.Site]++
		bySlug[a.Site+"/"+a.Slug] = a
	}
	for _, k := range []string{BrokenMissingTitle, BrokenMalformed, BrokenSlow, BrokenError, BrokenRedirectLoop, BrokenHuge, BrokenBinary} {
		if broken[k] == 0 {
			t.Errorf("no ad broken as %s", k)
		}
	}
	if count[ExpectRisky] < 60 || count[ExpectBenign] < 60 {
		t.Errorf("labels %v: want at least 60 of each", count)
	}
	for _, l := range []string{"ru", "ro", "en", "uk"} {
		if langs[l] < 3 {
			t.Errorf("only %d ads in %s", langs[l], l)
		}
	}
	for _, s := range []string{"rabota-md", "doska-ua", "svaha-intl", "tg-kordon"} {
		if sites[s] < 30 {
			t.Errorf("site %s has %d stored ads, want at least 30", s, sites[s])
		}
	}
	for slug, want := range map[string]string{"rabota-md/hostess-turkey": ExpectRisky, "rabota-md/accountant-chisinau": ExpectBenign} {
		if got := bySlug[slug].Expect; got != want {
			t.Errorf("%s: expect %q, want %q", slug, got, want)
		}
	}
	if bySlug["rabota-md/hostess-turkey"].Lang != "ru" || bySlug["rabota-md/accountant-chisinau"].Lang != "ro" {
		t.Error("hostess-turkey must be Russian and accountant-chisinau Romanian")
	}
}

// TestWindows1251 checks that every ad of a windows-1251 site survives
// the charset: nothing is replaced by "?".
func TestWindows1251(t *testing.T) {
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	enc := charmap.Windows1251.NewEncoder()
	for _, s := range sites {
		if s.Charset != "windows-1251" {
			continue
		}
		for _, a := range s.Ads {
			for _, f := range []string{a.Title, a.Body, a.Salary, a.Location, a.Contact} {
				if _, err := enc.String(f); err != nil {
					t.Errorf("%s/%s: %q is not encodable in windows-1251: %v", s.ID, a.Slug, f, err)
				}
			}
		}
	}
}

func TestParseSiteRejects(t *testing.T) {
	good := "site: s\nname: S\nads:\n  - slug: a\n    expect: risky\n    title: T\n    body: B\n    posted: 2025-01-01T00:00:00Z\n"
	if _, err := parseSite([]byte(good), "good.yaml"); err != nil {
		t.Fatalf("good site: %v", err)
	}
	cases := map[string]string{
		"unknown field": strings.Replace(good, "title: T", "titel: T", 1),
		"bad expect":    strings.Replace(good, "expect: risky", "expect: maybe", 1),
		"bad slug":      strings.Replace(good, "slug: a", "slug: A B", 1),
		"no body":       strings.Replace(good, "body: B", "body: ''", 1),
		"duplicate":     good + "  - slug: a\n    expect: risky\n    title: T\n    body: B\n    posted: 2025-01-01T00:00:00Z\n",
		"two documents": good + "---\nsite: t\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseSite([]byte(in), "bad.yaml")
			if err == nil || !strings.Contains(err.Error(), "bad.yaml") {
				t.Fatalf("got %v, want an error naming bad.yaml", err)
			}
		})
	}
}

func TestListPages(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	all, err := AllAds()
	if err != nil {
		t.Fatal(err)
	}
	var ads []Ad // the board lists broken pages too
	for _, a := range all {
		if a.Site == "rabota-md" {
			ads = append(ads, a)
		}
	}
	pages := (len(ads) + PageSize - 1) / PageSize
	seen := map[string]bool{}
	path := ListPath("rabota-md", 1)
	for n := 1; path != ""; n++ {
		code, doc := get(t, srv.URL, path)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", path, code)
		}
		links := doc.Find("li.ads-list__item a.ads-list__title")
		want := PageSize
		if n == pages {
			want = len(ads) - (pages-1)*PageSize
		}
		if links.Length() != want {
			t.Errorf("page %d: %d ads, want %d", n, links.Length(), want)
		}
		links.Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			if seen[href] {
				t.Errorf("ad %s listed twice", href)
			}
			seen[href] = true
		})
		path, _ = doc.Find(`a[rel="next"]`).Attr("href")
		if n > pages {
			t.Fatalf("pagination does not stop after %d pages", pages)
		}
	}
	if len(seen) != len(ads) {
		t.Errorf("list pages link %d ads, want %d", len(seen), len(ads))
	}
	for _, a := range ads {
		if !seen[AdPath(a.Site, a.Slug)] {
			t.Errorf("ad %s is not listed", a.Slug)
		}
	}
}

func TestDetailPage(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	code, doc := get(t, srv.URL, AdPath("rabota-md", "hostess-turkey"))
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	checks := []struct{ sel, want string }{
		{"article.ad-view h1.ad-title", "Хостес в ночной клуб"},
		{"article.ad-view .ad-text p", "Перелёт и виза в счёт будущей зарплаты"},
		{"article.ad-view .ad-salary .value", "от 3000 €"},
		{"article.ad-view .ad-location .value", "Анталья"},
		{"article.ad-view .ad-contact-value", "@antalya_girls_job"},
	}
	for _, c := range checks {
		t.Run(c.sel, func(t *testing.T) {
			if got := doc.Find(c.sel).Text(); !strings.Contains(got, c.want) {
				t.Errorf("%s = %q, want it to contain %q", c.sel, got, c.want)
			}
		})
	}
	if n := doc.Find("article.ad-view .ad-text p").Length(); n != 4 {
		t.Errorf("%d body paragraphs, want 4", n)
	}
	if dt, _ := doc.Find("time[itemprop=datePosted]").Attr("datetime"); dt != "2025-11-21T09:15:00+02:00" {
		t.Errorf("datetime %q", dt)
	}
	if lang, _ := doc.Find("article.ad-view").Attr("lang"); lang != "ru" {
		t.Errorf("article lang %q, want ru", lang)
	}
	if strings.Contains(doc.Text(), "risky") {
		t.Error("page leaks the expected label")
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	cases := []struct {
		method, path string
		code         int
	}{
		{"GET", "/rabota-md/ad/no-such-ad", http.StatusNotFound},
		{"GET", "/rabota-md/ad/", http.StatusNotFound},
		{"GET", "/rabota-md/?page=0", http.StatusNotFound},
		{"GET", "/rabota-md/?page=99", http.StatusNotFound},
		{"GET", "/rabota-md/?page=abc", http.StatusNotFound},
		{"GET", "/no-such-site/", http.StatusNotFound},
		{"POST", "/rabota-md/", http.StatusMethodNotAllowed},
		{"HEAD", "/rabota-md/", http.StatusOK},
		{"GET", "/", http.StatusOK},
		{"GET", "/robots.txt", http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.code {
				t.Errorf("status %d, want %d", resp.StatusCode, c.code)
			}
		})
	}
}

func TestStart(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "10.1.2.3:0", "example.com:80", "nonsense"} {
		t.Run(addr, func(t *testing.T) {
			if s, err := Start(addr); err == nil {
				s.Close()
				t.Fatalf("Start(%q) succeeded, want an error", addr)
			}
		})
	}
	s, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q", s.URL())
	}
	resp, err := http.Get(s.URL() + "/robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Allow: /") {
		t.Errorf("robots.txt = %q", b)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(s.URL() + "/"); err == nil {
		t.Error("server still answers after Close")
	}
}
