package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/rules"
)

// testClock is a settable clock for rate-limit tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	testClassifierOnce sync.Once
	testClassifier     *classifier.Classifier
	testClassifierErr  error
)

// defaultClassifier is the classifier of the embedded rule pack.
func defaultClassifier(t testing.TB) *classifier.Classifier {
	t.Helper()
	testClassifierOnce.Do(func() {
		p, err := rules.Default()
		if err != nil {
			testClassifierErr = err
			return
		}
		testClassifier, testClassifierErr = classifier.New(p, classifier.Options{})
	})
	if testClassifierErr != nil {
		t.Fatal(testClassifierErr)
	}
	return testClassifier
}

// post sends body to path as role (none: anonymous) with a content type.
func (f *fixture) post(t *testing.T, role auth.Role, path, ctype, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
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

func (f *fixture) score(t *testing.T, role auth.Role, body string) (*http.Response, string) {
	t.Helper()
	return f.post(t, role, "/api/v1/score", "application/json", body)
}

const (
	riskyAd  = `{"title":"Работа за границей для девушек","body":"Приглашаем девушек 18-25 лет на работу в Турцию. Высокий доход, билеты и визу оплачиваем. Пишите только в Telegram","lang":"ru","site":"doska.example"}`
	benignAd = `{"title":"Бухгалтер в офис","body":"Официальное трудоустройство, ООО Ромашка, Москва, ул. Ленина 5. Лицензия № 123.","lang":"ru"}`
)

func TestScoreSingleAndBatch(t *testing.T) {
	c := defaultClassifier(t)
	f := newFixture(t, Options{Scorer: c})
	// Single ad: one result object with explanations.
	resp, body := f.score(t, auth.Viewer, riskyAd)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("score = %d %s", resp.StatusCode, body)
	}
	var one scoreResult
	if err := json.Unmarshal([]byte(body), &one); err != nil {
		t.Fatal(err)
	}
	var in ad.Input
	json.Unmarshal([]byte(riskyAd), &in)
	a, _ := inputAd(in, 0)
	want := c.Score(context.Background(), a)
	if one.Score != want.Score || one.Band != want.Band || one.Flagged != want.Flagged || one.RulePack != c.Pack().Version || !one.Flagged {
		t.Errorf("result %+v, classifier says %v %v flagged=%v", one, want.Score, want.Band, want.Flagged)
	}
	if len(one.Hits) == 0 || one.Hits[0].Rule == "" || one.Hits[0].Description == "" || len(one.Signals) == 0 {
		t.Fatalf("no explained hits: %s", body)
	}
	for _, h := range one.Hits {
		for _, sp := range h.Evidence {
			if got := a.Field(sp.Field)[sp.Start:sp.End]; got != sp.Text {
				t.Errorf("span %+v points at %q", sp, got)
			}
		}
	}

	// Batches keep the input order, in both forms.
	for _, tc := range []struct{ name, body string }{
		{"ads object", `{"ads":[` + riskyAd + `,` + benignAd + `,` + riskyAd + `]}`},
		{"array", `[` + riskyAd + `,` + benignAd + `,` + riskyAd + `]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.score(t, auth.Viewer, tc.body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("score = %d %s", resp.StatusCode, body)
			}
			var out struct{ Results []scoreResult }
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			if len(out.Results) != 3 {
				t.Fatalf("%d results: %s", len(out.Results), body)
			}
			for i, r := range out.Results {
				if r.Index != i {
					t.Errorf("result %d has index %d", i, r.Index)
				}
			}
			if !out.Results[0].Flagged || out.Results[1].Flagged || !out.Results[2].Flagged {
				t.Errorf("flags out of order: %v %v %v", out.Results[0].Flagged, out.Results[1].Flagged, out.Results[2].Flagged)
			}
			if out.Results[1].ID != "ad-1" {
				t.Errorf("id of an ad without id and url = %q, want ad-1", out.Results[1].ID)
			}
		})
	}
}

func TestScoreErrors(t *testing.T) {
	f := newFixture(t, Options{Scorer: defaultClassifier(t), Screening: ScreenLimits{MaxAds: 3, MaxBodyBytes: 4096, Burst: 100}})
	big := `{"title":"x","body":"` + strings.Repeat("a", 5000) + `"}`
	for _, tc := range []struct {
		name, role, ctype, body string
		code                    int
		want                    string // in the error message
		index                   int    // -1: no index
	}{
		{"bad JSON", "viewer", "application/json", `{"title":`, 400, "bad JSON", -1},
		{"not an object", "viewer", "application/json", `"hello"`, 400, "must be a JSON object", -1},
		{"empty body", "viewer", "application/json", ``, 400, "empty body", -1},
		{"empty batch", "viewer", "application/json", `{"ads":[]}`, 400, "no ads", -1},
		{"ads not an array", "viewer", "application/json", `{"ads":{}}`, 400, "must be an array", -1},
		{"bad field type", "viewer", "application/json", `[` + riskyAd + `,{"title":5}]`, 400, "ad 1", 1},
		{"trailing data", "viewer", "application/json", riskyAd + `{}`, 400, "bad JSON", -1},
		{"wrong content type", "viewer", "text/plain", riskyAd, 415, "application/json", -1},
		{"no content type", "viewer", "", riskyAd, 415, "application/json", -1},
		{"body too large", "viewer", "application/json", big, 413, "4096 bytes", -1},
		{"too many ads", "viewer", "application/json", `[` + benignAd + `,` + benignAd + `,` + benignAd + `,` + benignAd + `]`, 413, "at most 3", -1},
		{"invalid ad", "viewer", "application/json", `{"ads":[` + riskyAd + `,{"lang":"ru"}]}`, 422, "no title and no body", 1},
		{"bad kind", "viewer", "application/json", `{"title":"x","kind":"spam"}`, 422, "kind", 0},
		{"anonymous", "", "application/json", riskyAd, 401, "authentication", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.post(t, auth.Role(tc.role), "/api/v1/score", tc.ctype, tc.body)
			if resp.StatusCode != tc.code {
				t.Fatalf("= %d %s, want %d", resp.StatusCode, body, tc.code)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			var e struct {
				Error string
				Index *int
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("not JSON: %q", body)
			}
			if !strings.Contains(e.Error, tc.want) {
				t.Errorf("error %q does not say %q", e.Error, tc.want)
			}
			switch {
			case tc.index < 0 && e.Index != nil:
				t.Errorf("unexpected index %d", *e.Index)
			case tc.index >= 0 && (e.Index == nil || *e.Index != tc.index):
				t.Errorf("index = %v, want %d", e.Index, tc.index)
			}
		})
	}
	t.Run("field over the ad limit", func(t *testing.T) {
		huge := `{"title":"x","body":"` + strings.Repeat("a", ad.MaxFieldBytes+1) + `"}`
		g := newFixture(t, Options{Scorer: defaultClassifier(t)})
		resp, body := g.score(t, "viewer", huge)
		if resp.StatusCode != 422 || !strings.Contains(body, "limit") {
			t.Errorf("= %d %s, want 422 naming the limit", resp.StatusCode, body)
		}
	})
	t.Run("no scorer", func(t *testing.T) {
		g := newFixture(t, Options{})
		if resp, body := g.score(t, "viewer", riskyAd); resp.StatusCode != 503 || !strings.Contains(body, "not available") {
			t.Errorf("= %d %s, want 503", resp.StatusCode, body)
		}
	})
}

// TestScoreInvalidAdMessage checks that a 422 names the ad once: its index
// in the request and its id, then what is wrong.
func TestScoreInvalidAdMessage(t *testing.T) {
	f := newFixture(t, Options{Scorer: defaultClassifier(t)})
	for _, tc := range []struct{ name, body, want string }{
		{"no text, second of a batch", `{"ads":[` + riskyAd + `,{"lang":"ru"}]}`, "ad 1 (ad-1): invalid: no title and no body"},
		{"bad kind", `{"title":"x","kind":"spam"}`, `ad 0 (ad-0): invalid: kind "spam"`},
		{"own id", `{"id":"mine-7","title":"x","kind":"spam"}`, `ad 0 (mine-7): invalid: kind "spam"`},
		{"field over the limit", `{"title":"x","body":"` + strings.Repeat("a", ad.MaxFieldBytes+1) + `"}`,
			fmt.Sprintf("ad 0 (ad-0): invalid: field body is %d bytes, limit %d", ad.MaxFieldBytes+1, ad.MaxFieldBytes)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.score(t, "viewer", tc.body)
			var e struct{ Error string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("= %d %q, want 422 JSON", resp.StatusCode, body)
			}
			if e.Error != tc.want {
				t.Errorf("error %q, want %q", e.Error, tc.want)
			}
		})
	}
}
func TestScoreRateLimit(t *testing.T) {
	clk := &testClock{t: t0}
	f := newFixture(t, Options{Scorer: defaultClassifier(t), Now: clk.Now, Screening: ScreenLimits{Rate: 1, Burst: 3}})
	for i := range 3 {
		if resp, body := f.score(t, "viewer", benignAd); resp.StatusCode != 200 {
			t.Fatalf("request %d within the burst = %d %s", i, resp.StatusCode, body)
		}
	}
	resp, body := f.score(t, "viewer", benignAd)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("over the burst = %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	var e struct {
		Error      string
		RetryAfter int `json:"retry_after"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.RetryAfter != 1 || !strings.Contains(e.Error, "rate limit") {
		t.Errorf("429 body %q", body)
	}
	// Another token has its own bucket.
	if resp, body := f.score(t, "analyst", benignAd); resp.StatusCode != 200 {
		t.Fatalf("other token = %d %s", resp.StatusCode, body)
	}
	// One second refills one ad.
	clk.Add(time.Second)
	if resp, body := f.score(t, "viewer", benignAd); resp.StatusCode != 200 {
		t.Fatalf("after refill = %d %s", resp.StatusCode, body)
	}
	// A batch costs one token per ad: 3 ads need 3 s of refill.
	clk.Add(time.Second)
	resp, body = f.score(t, "viewer", `[`+benignAd+`,`+benignAd+`,`+benignAd+`]`)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("batch over the bucket = %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	clk.Add(2 * time.Second)
	if resp, body := f.score(t, "viewer", `[`+benignAd+`,`+benignAd+`,`+benignAd+`]`); resp.StatusCode != 200 {
		t.Fatalf("batch after refill = %d %s", resp.StatusCode, body)
	}
}

// slowScorer scores nothing until its context is done.
type slowScorer struct{}

func (slowScorer) Score(ctx context.Context, a ad.Ad) ad.Verdict {
	<-ctx.Done()
	return ad.Verdict{V: ad.Version, Ad: a, Band: ad.BandLow}
}

func TestScoreTimeout(t *testing.T) {
	f := newFixture(t, Options{Scorer: slowScorer{}, Screening: ScreenLimits{Timeout: 20 * time.Millisecond}})
	resp, body := f.score(t, "viewer", riskyAd)
	if resp.StatusCode != 503 || !strings.Contains(body, "timed out") {
		t.Errorf("= %d %s, want 503 timed out", resp.StatusCode, body)
	}
}

func TestViewerScoresButCannotReadAds(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	f := newFixture(t, Options{Scorer: defaultClassifier(t), RequestMetrics: m}, standardAds(t)...)
	if resp, body := f.score(t, "viewer", riskyAd); resp.StatusCode != 200 {
		t.Fatalf("viewer score = %d %s", resp.StatusCode, body)
	}
	f.as = auth.Viewer
	for _, path := range []string{"/api/v1/ads", "/api/v1/ads/ru1", "/api/v1/search?q=work"} {
		if resp, body := f.get(t, path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d %s, want 403", path, resp.StatusCode, body)
		}
	}
	if got := testutil.ToFloat64(m.Requests.WithLabelValues(routeAPIScore, "200")); got != 1 {
		t.Errorf("api_score 200 requests = %v, want 1", got)
	}
}

// The classifier, and its holder that swaps rule packs, are scorers.
var (
	_ Scorer = (*classifier.Classifier)(nil)
	_ Scorer = (*classifier.Holder)(nil)
	_ packer = (*classifier.Classifier)(nil)
	_ packer = (*classifier.Holder)(nil)
)

// TestScoreRateLimitPerTokenID checks that two tokens with the same name
// (an admin may create several) have their own buckets.
func TestScoreRateLimitPerTokenID(t *testing.T) {
	clk := &testClock{t: t0}
	f := newFixture(t, Options{Scorer: defaultClassifier(t), Now: clk.Now, Screening: ScreenLimits{Rate: 1, Burst: 2}})
	secret, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Accounts().CreateToken(context.Background(), string(auth.Viewer)+"-token", auth.Viewer, hash); err != nil {
		t.Fatal(err)
	}
	f.tokens["twin"] = secret
	for i := range 2 {
		if resp, body := f.score(t, "viewer", benignAd); resp.StatusCode != 200 {
			t.Fatalf("request %d within the burst = %d %s", i, resp.StatusCode, body)
		}
	}
	if resp, _ := f.score(t, "viewer", benignAd); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("over the burst = %d, want 429", resp.StatusCode)
	}
	for _, role := range []auth.Role{"twin", "twin"} {
		if resp, body := f.score(t, role, benignAd); resp.StatusCode != 200 {
			t.Fatalf("token of the same name = %d %s, want its own bucket", resp.StatusCode, body)
		}
	}
	if resp, _ := f.score(t, "twin", benignAd); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("twin over its burst = %d, want 429", resp.StatusCode)
	}
}
