package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func getBody(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// moderate posts a remove or restore action with the given extra headers
// and returns the status.
func moderate(t *testing.T, base, action, site, slug string, hdr map[string]string) int {
	t.Helper()
	form := url.Values{"site": {site}, "slug": {slug}}
	req, err := http.NewRequest(http.MethodPost, base+ModerationPath+"/"+action, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var sameOrigin = map[string]string{"Sec-Fetch-Site": "same-origin"}

func TestModerationRemoveRestore(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		t.Run(s.ID, func(t *testing.T) {
			// The newest sound ad: it is on the first list page.
			i := 0
			for s.Ads[i].Broken != "" {
				i++
			}
			a, link := s.Ads[i], s.link(i)
			list := s.Home()
			switch s.Layout {
			case LayoutClassifieds:
				list = CategoryPath(s.ID, a.Category, 1)
			case LayoutJSONLD: // no list pages: the newest ad is in the first sitemap
				list = SitemapPaths(s.ID)[0]
			}
			listed := func() bool {
				code, body := getBody(t, srv.URL, list)
				if code != http.StatusOK {
					t.Fatalf("GET %s: %d", list, code)
				}
				if s.Layout == LayoutJSONLD {
					return strings.Contains(gunzip(t, body), "<loc>"+srv.URL+link+"</loc>")
				}
				return strings.Contains(body, `href="`+link+`"`)
			}
			if code, _ := getBody(t, srv.URL, link); code != http.StatusOK || !listed() {
				t.Fatalf("before removal: GET %s = %d, listed %v", link, code, listed())
			}
			if code := moderate(t, srv.URL, "remove", s.ID, a.Slug, sameOrigin); code != http.StatusSeeOther {
				t.Fatalf("remove: %d, want 303", code)
			}
			if code, _ := getBody(t, srv.URL, link); code != http.StatusGone {
				t.Errorf("removed: GET %s = %d, want 410", link, code)
			}
			if listed() {
				t.Errorf("removed: %s still links %s", list, link)
			}
			if _, body := getBody(t, srv.URL, ModerationPath); !strings.Contains(body, "1 of ") {
				t.Errorf("moderation page does not count the removal")
			}
			if code := moderate(t, srv.URL, "restore", s.ID, a.Slug, sameOrigin); code != http.StatusSeeOther {
				t.Fatalf("restore: %d, want 303", code)
			}
			if code, _ := getBody(t, srv.URL, link); code != http.StatusOK || !listed() {
				t.Errorf("restored: GET %s = %d, listed %v", link, code, listed())
			}
		})
	}
}

func TestModerationPageIsReadOnly(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	for range 2 {
		code, body := getBody(t, srv.URL, ModerationPath)
		if code != http.StatusOK {
			t.Fatalf("GET: %d", code)
		}
		if !strings.Contains(body, "0 of ") || strings.Contains(body, ">removed<") {
			t.Fatalf("a GET changed the state or the page is wrong")
		}
		if !strings.Contains(body, `action="/-/moderation/remove"`) || !strings.Contains(body, "restarting lure restores every ad") {
			t.Fatalf("page lacks its remove forms or its warning")
		}
	}
	// The actions are POST only.
	for _, p := range []string{"/remove?site=rabota-md&slug=hostess-turkey", "/restore?site=rabota-md&slug=hostess-turkey"} {
		if code, _ := getBody(t, srv.URL, ModerationPath+p); code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d, want 405", p, code)
		}
	}
	if code, _ := getBody(t, srv.URL, AdPath("rabota-md", "hostess-turkey")); code != http.StatusOK {
		t.Errorf("ad page after GETs: %d", code)
	}
}

func TestModerationRefusesCrossOrigin(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"foreign origin", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"same origin", sameOrigin, http.StatusSeeOther},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code := moderate(t, srv.URL, "remove", "rabota-md", "hostess-turkey", c.hdr); code != c.want {
				t.Errorf("POST: %d, want %d", code, c.want)
			}
			code, _ := getBody(t, srv.URL, AdPath("rabota-md", "hostess-turkey"))
			want := http.StatusGone
			if c.want == http.StatusForbidden {
				want = http.StatusOK // refused: the ad stays up
			}
			if code != want {
				t.Errorf("ad page after the POST: %d, want %d", code, want)
			}
			moderate(t, srv.URL, "restore", "rabota-md", "hostess-turkey", sameOrigin)
		})
	}
	t.Run("unknown ad", func(t *testing.T) {
		if code := moderate(t, srv.URL, "remove", "rabota-md", "no-such-ad", sameOrigin); code != http.StatusNotFound {
			t.Errorf("POST: %d, want 404", code)
		}
	})
}
