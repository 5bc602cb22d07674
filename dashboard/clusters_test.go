package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// lateNetworks lets a test build the views after the fixture's store.
type lateNetworks struct{ *NetworkViews }

func networkFixture(t *testing.T) *fixture {
	t.Helper()
	body := "Срочно требуются девушки хостес в Дубай. Зарплата от %d долларов. Жильё и билеты бесплатно. Звоните, спросить %s."
	names := []string{"Ольгу", "Марину", "Наташу"}
	var vs []ad.Verdict
	for i, n := range names {
		v := mkVerdict(t, "net"+string(rune('1'+i)), 80, true, ad.Ad{Lang: "ru", Title: "Хостес в Дубай <b>",
			Body:     strings.Replace(strings.Replace(body, "%d", string(rune('3'+i))+"000", 1), "%s", n, 1),
			Location: []string{"Москва", "Казань", "Самара"}[i]})
		v.Entities.Phones = []string{"+79001234567"}
		vs = append(vs, v)
	}
	vs = append(vs, standardAds(t)...)
	late := &lateNetworks{}
	f := newFixture(t, Options{Networks: late}, vs...)
	late.NetworkViews = NewNetworkViews(f.store.Networks(), f.store, network.Weights{})
	e, err := network.New(context.Background(), network.Options{Store: f.store.Networks()})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if _, err := e.Add(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestClusterPages(t *testing.T) {
	f := networkFixture(t)
	for _, tc := range []struct {
		path string
		code int
		want []string
	}{
		{"/clusters", 200, []string{`href="/clusters/net1"`, "contact_ads", "Recruiter networks"}},
		{"/clusters?sort=risk", 200, []string{`href="/clusters/net1"`}},
		{"/clusters?sort=evil", 400, nil},
		{"/clusters/net1", 200, []string{"3 linked ads", `<mark class="vary"`, "<svg class=\"netgraph\"", "79001234567",
			`action="/clusters/net1/review"`, "Хостес в Дубай &lt;b&gt;", "москва"}},
		{"/clusters/nope", 404, nil},
		{"/ads/net2", 200, []string{`href="/clusters/net1"`, "network · 3 ads", "contact_cities"}},
		{"/ads/low1", 200, []string{"Linked to no other ad yet."}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := f.get(t, tc.path)
			if resp.StatusCode != tc.code {
				t.Fatalf("GET %s = %d, want %d", tc.path, resp.StatusCode, tc.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q", tc.path, w)
				}
			}
			if strings.Contains(body, "<b>") || strings.Contains(body, "style=") {
				t.Errorf("GET %s: unescaped markup or inline style", tc.path)
			}
		})
	}
	f.as = auth.Viewer
	if resp, _ := f.get(t, "/api/v1/clusters"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer GET /api/v1/clusters = %d, want 403", resp.StatusCode)
	}
}

func TestClusterAPI(t *testing.T) {
	f := networkFixture(t)
	var list struct {
		Total    int `json:"total"`
		Clusters []struct {
			ID      string `json:"id"`
			Size    int    `json:"size"`
			Network struct {
				Score float64 `json:"score"`
			} `json:"network"`
		} `json:"clusters"`
	}
	f.getJSON(t, "/api/v1/clusters", 200, &list)
	if list.Total != 1 || list.Clusters[0].ID != "net1" || list.Clusters[0].Size != 3 || list.Clusters[0].Network.Score != 40 {
		t.Fatalf("clusters = %+v", list)
	}
	var one ClusterView
	f.getJSON(t, "/api/v1/clusters/net1", 200, &one)
	if len(one.Ads) != 3 || len(one.ContactList) != 1 || one.Representative.AdID == "" {
		t.Errorf("cluster = %+v", one)
	}

	var contact ContactView
	f.getJSON(t, "/api/v1/contacts?value=%2B79001234567", 200, &contact)
	if contact.Ads != 3 || len(contact.Cities) != 3 || len(contact.Clusters) != 1 || contact.Clusters[0] != "net1" {
		t.Errorf("contact = %+v", contact)
	}
	var e map[string]any
	f.getJSON(t, "/api/v1/contacts?value=%2B10000000000", 404, &e)
	f.getJSON(t, "/api/v1/contacts", 400, &e)

	// One decision for the whole network, audited per ad and once for
	// the network; the network score then counts confirmed ads.
	post := func(path, body string) int {
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.tokens[auth.Analyst])
		req.Header.Set("Content-Type", "application/json")
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name, path, body string
		code             int
	}{
		{"no status", "/api/v1/clusters/net1/review", `{"note":"x"}`, 400},
		{"ids refused", "/api/v1/clusters/net1/review", `{"status":"confirmed","ids":["ru1"]}`, 400},
		{"unknown cluster", "/api/v1/clusters/nope/review", `{"status":"confirmed"}`, 404},
		{"confirm", "/api/v1/clusters/net1/review", `{"status":"confirmed","note":"one poster"}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := post(tc.path, tc.body); code != tc.code {
				t.Errorf("POST %s = %d, want %d", tc.path, code, tc.code)
			}
		})
	}
	revs, err := f.store.Reviews(context.Background(), []string{"net1", "net2", "net3", "ru1"})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"net1": "confirmed", "net2": "confirmed", "net3": "confirmed", "ru1": "new"} {
		if revs[id].Status != want {
			t.Errorf("%s status %s, want %s", id, revs[id].Status, want)
		}
	}
	_, n, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "cluster_review", Limit: 10})
	if err != nil || n != 1 {
		t.Errorf("cluster_review audit entries = %d, %v", n, err)
	}
	f.getJSON(t, "/api/v1/clusters", 200, &list)
	if list.Clusters[0].Network.Score != 80 {
		t.Errorf("network score after confirming = %v, want 80", list.Clusters[0].Network.Score)
	}
	// The HTML form does the same.
	form := url.Values{"status": {"needs_info"}, "note": {"check"}}
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/clusters/net1/review", strings.NewReader(form.Encode()))
	req.Header.Set("Authorization", "Bearer "+f.tokens[auth.Analyst])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := *f.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/clusters/net1#decide" {
		t.Errorf("form POST = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if revs, _ := f.store.Reviews(context.Background(), []string{"net3"}); revs["net3"].Status != "needs_info" {
		t.Errorf("net3 after form = %+v", revs["net3"])
	}
}

func TestClustersUnavailable(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	if resp, _ := f.get(t, "/clusters"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /clusters without Networks = %d, want 503", resp.StatusCode)
	}
	if resp, body := f.get(t, "/ads/ru1"); resp.StatusCode != 200 || strings.Contains(body, `id="network"`) {
		t.Errorf("ad page without Networks: %d, network box shown", resp.StatusCode)
	}
}

var (
	svgRe       = regexp.MustCompile(`(?s)<svg class="netgraph".*?</svg>`)
	svgTitleRe  = regexp.MustCompile(`(?s)<title>.*?</title>`)
	adLabelRe   = regexp.MustCompile(`(?s)<text class="adlabel"[^>]*>(.*?)</text>`)
	contLabelRe = regexp.MustCompile(`(?s)<text class="contactlabel"[^>]*>(.*?)</text>`)
	tagRe       = regexp.MustCompile(`<[^>]*>`)
)

// The graph labels its nodes: ads by title, site and city, so that ads of
// one template tell apart; contacts redacted, numbered as in the list.
func TestClusterGraphLabels(t *testing.T) {
	f := networkFixture(t)
	_, body := f.get(t, "/clusters/net1")
	svg := svgRe.FindString(body)
	if svg == "" {
		t.Fatal("no graph")
	}
	seen := map[string]bool{}
	for _, m := range adLabelRe.FindAllStringSubmatch(svg, -1) {
		label := tagRe.ReplaceAllString(m[1], " ")
		if !strings.Contains(label, "Хостес в Дубай &lt;b&gt;") || !strings.Contains(label, "rabota.example") {
			t.Errorf("ad label %q lacks the title or site", label)
		}
		seen[label] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d distinct ad labels, want 3: %v", len(seen), seen)
	}
	cs := contLabelRe.FindAllStringSubmatch(svg, -1)
	if len(cs) != 1 || !strings.Contains(cs[0][1], "[phone]") || !strings.Contains(cs[0][1], "1") {
		t.Errorf("contact labels = %q, want one redacted phone numbered 1", cs)
	}
	if visible := svgTitleRe.ReplaceAllString(svg, ""); strings.Contains(visible, "79001234567") || strings.Contains(visible, "1234567") {
		t.Error("the graph shows a contact's value outside its tooltip")
	}
}
