package dashboard

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// mkVerdict builds a verdict; each evidence entry is "rule|signal|field|text"
// and is located by searching text in the field.
func mkVerdict(t *testing.T, id string, score float64, flagged bool, a ad.Ad, evidence ...string) ad.Verdict {
	t.Helper()
	a.V, a.ID = ad.Version, id
	if a.Site == "" {
		a.Site = "rabota.example"
	}
	if a.URL == "" {
		a.URL = "https://" + a.Site + "/ad/" + id
	}
	if a.Kind == "" {
		a.Kind = ad.KindJob
	}
	a.Crawled = t0
	a.ContentHash = a.Hash()
	band := ad.BandLow
	switch {
	case score >= 70:
		band = ad.BandHigh
	case score >= 40:
		band = ad.BandMedium
	}
	v := ad.Verdict{V: ad.Version, Ad: a, Score: score, Band: band, Flagged: flagged,
		RulePack: "test-1", ScoredAt: t0.Add(time.Minute)}
	for _, e := range evidence {
		p := strings.SplitN(e, "|", 4)
		text := a.Field(p[2])
		i := strings.Index(text, p[3])
		if i < 0 {
			t.Fatalf("evidence %q not in %s of %s", p[3], p[2], id)
		}
		v.Hits = append(v.Hits, ad.Hit{Rule: p[0], Signal: p[1], Weight: 1.25,
			Evidence: []ad.Span{{Field: p[2], Start: i, End: i + len(p[3]), Text: p[3]}}})
	}
	return v
}

type fixture struct {
	store *store.Store
	index *index.Index
	srv   *httptest.Server
	byID  map[string]ad.Verdict
	// tokens holds an API token per role; get and getJSON send the
	// analyst's unless a test switches f.as.
	tokens map[auth.Role]string
	as     auth.Role
}

// testPassword is every fixture user's password.
const testPassword = "correct horse battery staple"

// testHash is testPassword hashed once (argon2id is slow on purpose).
var testHash = func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

func newFixture(t testing.TB, opts Options, vs ...ad.Verdict) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f := &fixture{store: st, index: ix, byID: map[string]ad.Verdict{}}
	for _, v := range vs {
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(ctx, v); err != nil {
			t.Fatal(err)
		}
		f.byID[v.Ad.ID] = v
	}
	f.tokens, f.as = map[auth.Role]string{}, auth.Analyst
	accounts := st.Accounts()
	for _, role := range auth.Roles {
		if _, err := accounts.CreateUser(ctx, string(role)+"1", role, testHash); err != nil {
			t.Fatal(err)
		}
		secret, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := accounts.CreateToken(ctx, string(role)+"-token", role, hash); err != nil {
			t.Fatal(err)
		}
		f.tokens[role] = secret
	}
	opts.Store, opts.Index = st, ix
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.as != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[f.as])
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func (f *fixture) getJSON(t *testing.T, path string, wantCode int, into any) {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != wantCode {
		t.Fatalf("GET %s = %d %s, want %d", path, resp.StatusCode, body, wantCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s Content-Type = %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("GET %s: decode %q: %v", path, body, err)
	}
}

// standardAds are the ads most tests use.
func standardAds(t *testing.T) []ad.Verdict {
	return []ad.Verdict{
		mkVerdict(t, "ru1", 91, true, ad.Ad{Lang: "ru", Title: "Работа для девушек за границей",
			Body:    "Молодые девушки, работа в Германии, билеты и визу оплачиваем. Звоните!",
			Contact: "+7 999 123-45-67"},
			"ru.free-travel|free_travel|body|билеты и визу оплачиваем",
			"ru.young-women|young_women|title|девушек"),
		mkVerdict(t, "ro1", 74, true, ad.Ad{Site: "locuri.example", Lang: "ro",
			Title: "Căutăm fete tinere pentru muncă în străinătate", Body: "Cazare gratuită, plecare imediată."},
			"ro.free-housing|free_travel|body|Cazare gratuită"),
		mkVerdict(t, "en1", 48, true, ad.Ad{Site: "jobs.example", Lang: "en",
			Title: "Waitress wanted in Dubai", Body: "No experience needed."}),
		mkVerdict(t, "low1", 8, false, ad.Ad{Lang: "ru", Title: "Бухгалтер в офис",
			Body: "Официальное трудоустройство, ООО Ромашка, Москва."}),
	}
}
