package dashboard

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/index"
)

func TestSearchWhileIndexRebuilds(t *testing.T) {
	state := index.StateRebuilding
	f := newFixture(t, Options{IndexState: func() index.State { return state }}, standardAds(t)...)

	for _, path := range []string{"/api/v1/search?q=работа", "/api/v1/ads?q=работа"} {
		var e struct{ Error string }
		f.getJSON(t, path, http.StatusServiceUnavailable, &e)
		if e.Error != "search is rebuilding" {
			t.Errorf("%s: error %q", path, e.Error)
		}
	}
	// Listing without q reads the store and works.
	var list apiList
	f.getJSON(t, "/api/v1/ads", http.StatusOK, &list)
	if list.Total == 0 {
		t.Error("listing while rebuilding found nothing")
	}
	resp, body := f.get(t, "/search?q=работа")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Search is rebuilding") {
		t.Errorf("/search while rebuilding = %d, banner missing", resp.StatusCode)
	}
	resp, body = f.get(t, "/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `class="banner"`) || !strings.Contains(body, "Search is rebuilding") {
		t.Errorf("queue while rebuilding = %d, banner missing", resp.StatusCode)
	}

	state = index.StateOK
	var res apiList
	f.getJSON(t, "/api/v1/search?q=работа", http.StatusOK, &res)
	if res.Total == 0 {
		t.Error("search after the rebuild found nothing")
	}
	if _, body := f.get(t, "/"); strings.Contains(body, `class="banner"`) {
		t.Error("banner shown with a sound index")
	}
}

func TestHealthzIndexStates(t *testing.T) {
	state := index.StateOK
	f := newFixture(t, Options{IndexState: func() index.State { return state }})
	f.as = ""
	for _, tc := range []struct {
		state     index.State
		code      int
		text      string
		jsonState string
	}{
		{index.StateOK, 200, "ok", "ok"},
		{index.StateRebuilding, 200, "ok\nindex: rebuilding", "ok"},
		{index.StateDamaged, 503, "unavailable\nindex: damaged", "unavailable"},
	} {
		state = tc.state
		resp, body := f.get(t, "/healthz")
		if resp.StatusCode != tc.code || strings.TrimSpace(body) != tc.text {
			t.Errorf("%s: /healthz = %d %q, want %d %q", tc.state, resp.StatusCode, body, tc.code, tc.text)
		}
		var h struct{ Status, Index string }
		f.getJSON(t, "/healthz?format=json", tc.code, &h)
		if h.Status != tc.jsonState || h.Index != string(tc.state) {
			t.Errorf("%s: /healthz JSON = %+v", tc.state, h)
		}
	}
}

type panicSearcher struct{}

func (panicSearcher) Search(context.Context, index.Query) (index.Result, error) {
	panic("segment exploded")
}

// A panic in an API handler answers a JSON 500, like every API error.
func TestAPIPanicIsJSON(t *testing.T) {
	f := newFixture(t, Options{})
	h, err := New(Options{Store: f.store, Index: panicSearcher{}, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tokens[auth.Analyst])
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/api/v1/search?q=x")
	var e struct{ Error string }
	if resp.StatusCode != 500 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
		t.Errorf("API panic = %d %q %q, want a JSON 500", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, _ = get("/search?q=x")
	if resp.StatusCode != 500 || strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("page panic = %d %q, want a plain 500", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
