package dashboard

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/lurewatch/lure/ad"
)

type listResp struct {
	Total int `json:"total"`
	Ads   []struct {
		ID        string              `json:"id"`
		Site      string              `json:"site"`
		URL       string              `json:"url"`
		Title     string              `json:"title"`
		Score     float64             `json:"score"`
		Band      string              `json:"band"`
		Flagged   bool                `json:"flagged"`
		Hits      []ad.Hit            `json:"hits"`
		Relevance float64             `json:"relevance"`
		Fragments map[string][]string `json:"fragments"`
	} `json:"ads"`
}

func (l listResp) ids() []string {
	out := []string{}
	for _, a := range l.Ads {
		out = append(out, a.ID)
	}
	return out
}

func TestAPIList(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	tests := []struct {
		path  string
		want  []string
		total int
	}{
		{"/api/v1/ads", []string{"ru1", "ro1", "en1", "low1"}, 4},
		{"/api/v1/ads?flagged=true", []string{"ru1", "ro1", "en1"}, 3},
		{"/api/v1/ads?flagged=false", []string{"low1"}, 1},
		{"/api/v1/ads?site=locuri.example", []string{"ro1"}, 1},
		{"/api/v1/ads?band=high", []string{"ru1", "ro1"}, 2},
		{"/api/v1/ads?limit=1&offset=1", []string{"ro1"}, 4},
		{"/api/v1/ads?q=девушкам", []string{"ru1"}, 1},
		{"/api/v1/ads?q=strainatate&flagged=true", []string{"ro1"}, 1},
		{"/api/v1/ads?q=Бухгалтер", []string{}, 0}, // not flagged: not indexed
		{"/api/v1/ads?q=работа+OR", []string{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var got listResp
			f.getJSON(t, tc.path, http.StatusOK, &got)
			if !reflect.DeepEqual(got.ids(), tc.want) || got.Total != tc.total {
				t.Errorf("ids %v total %d, want %v total %d", got.ids(), got.Total, tc.want, tc.total)
			}
		})
	}

	var got listResp
	f.getJSON(t, "/api/v1/ads?limit=1", http.StatusOK, &got)
	a := got.Ads[0]
	want := f.byID["ru1"]
	if a.Title != want.Ad.Title || a.Score != 91 || a.Band != "high" || !a.Flagged ||
		a.URL != want.Ad.URL || !reflect.DeepEqual(a.Hits, want.Hits) {
		t.Errorf("summary = %+v", a)
	}

	f.getJSON(t, "/api/v1/ads?q=визу", http.StatusOK, &got)
	if len(got.Ads) != 1 || got.Ads[0].Relevance <= 0 || len(got.Ads[0].Fragments["body"]) == 0 {
		t.Errorf("search summary lacks relevance or fragments: %+v", got)
	}
}

func TestAPIAd(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	var got ad.Verdict
	f.getJSON(t, "/api/v1/ads/ru1", http.StatusOK, &got)
	if !reflect.DeepEqual(got, f.byID["ru1"]) {
		t.Errorf("verdict = %+v\nwant %+v", got, f.byID["ru1"])
	}
	var e struct{ Error string }
	f.getJSON(t, "/api/v1/ads/unknown", http.StatusNotFound, &e)
	if e.Error == "" {
		t.Error("404 without an error message")
	}
	f.getJSON(t, "/api/v1/nothing", http.StatusNotFound, &e)
}

// TestAPIPageMessages checks that the list and search APIs answer a bad
// limit or offset alike.
func TestAPIPageMessages(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	for _, c := range []struct{ query, want string }{
		{"limit=0", "limit must be an integer from 1 to 500"},
		{"offset=-1", "offset must be an integer from 0 to 100000"},
	} {
		for _, path := range []string{"/api/v1/ads?", "/api/v1/search?q=x&"} {
			var e struct{ Error string }
			f.getJSON(t, path+c.query, http.StatusBadRequest, &e)
			if e.Error != c.want {
				t.Errorf("%s%s: error %q, want %q", path, c.query, e.Error, c.want)
			}
		}
	}
}

func TestAPIBadParams(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	for _, path := range []string{
		"/api/v1/ads?limit=abc",
		"/api/v1/ads?limit=0",
		"/api/v1/ads?limit=501",
		"/api/v1/ads?limit=-5",
		"/api/v1/ads?offset=-1",
		"/api/v1/ads?offset=1e9",
		"/api/v1/ads?flagged=maybe",
		"/api/v1/ads?band=extreme",
		"/api/v1/ads?kind=spam",
		"/api/v1/ads?q=x&flagged=false",
		"/api/v1/ads?q=x&offset=20000",
		"/api/v1/search?q=x&limit=0",
		"/api/v1/search?q=x&limit=501",
		"/api/v1/search?q=x&offset=-1",
	} {
		t.Run(path, func(t *testing.T) {
			var e struct{ Error string }
			f.getJSON(t, path, http.StatusBadRequest, &e)
			if e.Error == "" {
				t.Error("400 without an error message")
			}
		})
	}
}
