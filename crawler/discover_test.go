package crawler

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

func TestFormatProfileRoundTrip(t *testing.T) {
	p := Profile{
		Site: "jobs-kz", Name: `Работа: "вахта" # и не только`, PlatformName: "Jobs.kz", NoticeContact: "abuse@jobs.example",
		Type: TypeSitemap, Kind: ad.KindJob, Lang: "ru", Country: "KZ", BaseURL: "https://jobs.example",
		Sitemaps: []string{"/sitemap.xml.gz", "/s/2.xml?x=1&y=2"}, Include: []string{"/vacancy/*", "re:^/v/[0-9]+$"},
		Exclude: []string{"/vacancy/archive-*"}, Delay: 1500 * time.Millisecond, Parallelism: 1, MaxPages: 7,
		Recrawl: 2 * time.Hour, Timeout: 5 * time.Second,
		Fields: FieldSpecs{Salary: Selector{CSS: ".salary"}, Posted: Selector{CSS: "time", Attr: "datetime"}},
	}
	b, err := FormatProfile(p, "first line\nsecond line")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("# first line\n# second line\n")) {
		t.Errorf("header lost:\n%s", b)
	}
	got, err := LoadProfile(bytes.NewReader(b), "x.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	got.Source = ""
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v\n%s", got, p, b)
	}
	feed := Profile{Site: "f", Type: TypeFeed, Kind: ad.KindMarriage, BaseURL: "http://f.example", Feeds: []string{"/rss"}}
	b, err = FormatProfile(feed, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := LoadProfile(bytes.NewReader(b), "f.yaml"); err != nil || !slices.Equal(got.Feeds, feed.Feeds) || got.Kind != ad.KindMarriage {
		t.Errorf("feed profile: %+v %v\n%s", got, err, b)
	}
}

func TestURLGroups(t *testing.T) {
	urls := []string{
		"https://j.example/vacancy/1", "https://j.example/vacancy/2", "https://j.example/vacancy/3",
		"https://j.example/about", "https://j.example/", "https://j.example/news/2026/a", "https://other.example/vacancy/9",
		"https://j.example/star*/x",
	}
	gs := urlGroups(urls, "j.example")
	if len(gs) == 0 || gs[0].pattern != "/vacancy/*" || len(gs[0].urls) != 3 {
		t.Fatalf("groups %+v", gs)
	}
	for _, g := range gs {
		if _, err := compilePattern(g.pattern); err != nil {
			t.Errorf("pattern %q does not compile: %v", g.pattern, err)
		}
		for _, u := range g.urls {
			pu, _ := url.Parse(u)
			if pat, _ := compilePattern(g.pattern); !pat.match(pu) {
				t.Errorf("pattern %q does not match its own URL %s", g.pattern, u)
			}
			if pu.Host != "j.example" || pu.Path == "/" {
				t.Errorf("group %q holds %s", g.pattern, u)
			}
		}
	}
}

func TestSiteIDAndSection(t *testing.T) {
	for _, tc := range []struct{ in, id, prefix string }{
		{"https://www.Rabota.md/", "rabota-md", "/"},
		{"http://127.0.0.1:8090/vakansii-kz/", "vakansii-kz", "/vakansii-kz/"},
		{"https://jobs.example.kz/vacancies/index.html", "vacancies", "/vacancies/"},
		{"https://jobs.example.kz/index.html", "jobs-example-kz", "/"},
		{"https://x.example/Работа/", "x-example", "/Работа/"},
	} {
		u, _ := url.Parse(tc.in)
		if got := siteIDFor(u); got != tc.id || !siteIDRE.MatchString(got) {
			t.Errorf("siteIDFor(%s) = %q, want %q", tc.in, got, tc.id)
		}
		if got := sectionPrefix(u.Path); got != tc.prefix {
			t.Errorf("sectionPrefix(%s) = %q, want %q", u.Path, got, tc.prefix)
		}
	}
}

func TestDiscoverHonoursRobots(t *testing.T) {
	var hits []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits = append(hits, r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /\n\nSitemap: http://" + r.Host + "/sitemap.xml\n"))
		default:
			w.Write([]byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://` + r.Host + `/v/1</loc></url></urlset>`))
		}
	}))
	defer srv.Close()
	d, err := Discover(context.Background(), srv.URL+"/", DiscoverOptions{Delay: time.Millisecond})
	if !errors.Is(err, ErrNothingFound) {
		t.Fatalf("err %v, want ErrNothingFound", err)
	}
	if len(d.Sitemaps) == 0 || !strings.Contains(d.Sitemaps[0].Err, "robots.txt") {
		t.Errorf("sitemaps %+v: want the refusal by robots.txt said", d.Sitemaps)
	}
	if !slices.Equal(hits, []string{"/robots.txt"}) {
		t.Errorf("fetched %v; robots.txt disallows everything else", hits)
	}
}
