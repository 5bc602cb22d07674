package dashboard

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
)

// queueRowHTML returns the queue row of ad id in body, or fails.
func queueRowHTML(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `data-href="/ads/`+id+`"`)
	if i < 0 {
		t.Fatalf("queue has no row for %s", id)
	}
	row := body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

var chipRe = regexp.MustCompile(`<span class="chip"[^>]*>([^<]*)</span>`)

// The Signals column shows the three signals that weigh most in the
// ad's score (a signal weighs the sum of its hits' weights), ties by name.
func TestQueueShowsStrongestSignals(t *testing.T) {
	v := mkVerdict(t, "w1", 90, true, ad.Ad{Title: "t", Body: "b"})
	for _, h := range []struct {
		rule, signal string
		w            float64
	}{
		{"r.a", "a_weak", 0.5}, {"r.b", "b_weak", 0.3}, {"r.y", "y_tie", 2.0},
		{"r.s1", "s_sum", 1.0}, {"r.z", "z_top", 3.0}, {"r.m", "m_tie", 2.0}, {"r.s2", "s_sum", 1.5},
		{"r.n", "neg", -1.0}, {"r.d", "dup", 0},
	} {
		v.Hits = append(v.Hits, ad.Hit{Rule: h.rule, Signal: h.signal, Weight: h.w})
	}
	f := newFixture(t, Options{}, v)
	_, body := f.get(t, "/")
	var got []string
	for _, m := range chipRe.FindAllStringSubmatch(queueRowHTML(t, body, "w1"), -1) {
		got = append(got, m[1])
	}
	if want := []string{"z_top", "s_sum", "m_tie"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("signal chips = %v, want %v", got, want)
	}
}

func TestTopSignalsStable(t *testing.T) {
	v := ad.Verdict{Hits: []ad.Hit{{Signal: "c", Weight: 1}, {Signal: "a", Weight: 1}, {Signal: "b", Weight: 1}, {Signal: "", Weight: 9}, {Signal: "d", Weight: 1}}}
	for range 20 {
		if got := strings.Join(topSignals(v, 3), ","); got != "a,b,c" {
			t.Fatalf("topSignals = %s, want a,b,c", got)
		}
	}
	if got := topSignals(ad.Verdict{}, 3); len(got) != 0 {
		t.Errorf("topSignals of no hits = %v", got)
	}
}

// /?q=… is a search: it is sent to /search with every parameter kept.
func TestQueueQueryRedirectsToSearch(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	c := *f.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tc := range []struct{ path, want string }{
		{"/?q=visa", "/search?q=visa"},
		{"/?q=%D0%B2%D0%B8%D0%B7%D0%B0+work&site=rabota.example&band=high", "/search?band=high&q=%D0%B2%D0%B8%D0%B7%D0%B0+work&site=rabota.example"},
	} {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tokens[auth.Analyst])
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.want {
			t.Errorf("GET %s = %d → %q, want 303 → %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.want)
		}
	}
	// Without q the queue is the queue.
	if resp, body := f.get(t, "/?site=rabota.example"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Review queue") {
		t.Errorf("GET /?site= = %d", resp.StatusCode)
	}
	// Followed, the redirect lands on the search results.
	if resp, body := f.get(t, "/?q=Dubai"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Search flagged ads") ||
		!strings.Contains(body, `href="/ads/en1"`) || strings.Contains(body, `href="/ads/ru1"`) {
		t.Errorf("GET /?q=Dubai followed = %d, not the search results for Dubai", resp.StatusCode)
	}
}

// The queue shows when an ad was posted, and the crawl time, marked as
// such, when the site gives no posting time.
func TestQueueShowsPostedTime(t *testing.T) {
	posted := mkVerdict(t, "p1", 90, true, ad.Ad{Title: "posted", Body: "b"})
	posted.Ad.Posted = t0.Add(-26 * time.Hour)
	crawled := mkVerdict(t, "c1", 80, true, ad.Ad{Title: "crawled only", Body: "b"})
	f := newFixture(t, Options{}, posted, crawled)
	_, body := f.get(t, "/")
	if !strings.Contains(body, ">Posted</th>") || strings.Contains(body, ">Crawled</th>") {
		t.Error("the time column is not headed Posted")
	}
	row := queueRowHTML(t, body, "p1")
	if !strings.Contains(row, "2025-02-28 10:00 UTC") || strings.Contains(row, "2025-03-01 12:00 UTC") {
		t.Errorf("posted ad's row does not show its posting time:\n%s", row)
	}
	if strings.Contains(strings.ToLower(row), "crawl") {
		t.Errorf("posted ad's row is marked as a crawl time:\n%s", row)
	}
	row = queueRowHTML(t, body, "c1")
	if !strings.Contains(row, "2025-03-01 12:00 UTC") {
		t.Errorf("ad without posting time does not show its crawl time:\n%s", row)
	}
	if !regexp.MustCompile(`title="[^"]*[Cc]rawl`).MatchString(row) {
		t.Errorf("crawl-time fallback is not marked:\n%s", row)
	}
}

// The queue's total is counted once per filter and served for CountsTTL;
// a decision drops it, so the next page counts again.
func TestQueueTotalCachedUntilADecision(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	_, body := f.get(t, "/?status=new")
	if !strings.Contains(body, `<span class="count">3 ads</span>`) {
		t.Fatalf("queue of new ads does not count 3:\n%s", body)
	}
	// Written behind the dashboard's back: the cached total stays, the
	// rows are read again.
	extra := mkVerdict(t, "late1", 99, true, ad.Ad{Title: "late", Body: "b"})
	if _, err := f.store.Upsert(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(t, "/?status=new")
	if !strings.Contains(body, `<span class="count">3 ads</span>`) || !strings.Contains(body, `href="/ads/late1"`) {
		t.Fatalf("second page: cached total or live rows missing:\n%s", body)
	}
	if code, body := f.call(t, "POST", "/api/v1/reviews", `{"ids":["ru1","ro1"],"status":"confirmed"}`, auth.Analyst); code != 200 {
		t.Fatalf("review = %d %s", code, body)
	}
	_, body = f.get(t, "/?status=new")
	if !strings.Contains(body, `<span class="count">2 ads</span>`) || strings.Contains(body, `href="/ads/ru1"`) {
		t.Fatalf("after a decision the queue of new ads is not counted again (en1 and late1):\n%s", body)
	}
}
