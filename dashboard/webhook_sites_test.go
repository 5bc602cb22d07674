package dashboard

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// testSites are the known sites of the webhook tests: two Telegram
// channels share their host.
var testSites = []Site{
	{Name: "rabota-md", Hosts: []string{"rabota.md"}},
	{Name: "doska-ua", Hosts: []string{"www.doska.ua", "img.doska-cdn.example"}},
	{Name: "tg-kordon", Hosts: []string{"t.me"}},
	{Name: "tg-vakansii", Hosts: []string{"t.me"}},
}

const testSitesValid = "valid sites: doska-ua (www.doska.ua, img.doska-cdn.example), rabota-md (rabota.md), tg-kordon, tg-vakansii"

func TestWebhookSites(t *testing.T) {
	f := newFixture(t, Options{Sites: testSites})
	for i, tc := range []struct {
		name  string
		sites []string
		want  []string // stored; nil: refused with 422 and msg
		msg   string
	}{
		{"site id", []string{"doska-ua"}, []string{"doska-ua"}, ""},
		{"host names and a URL", []string{"rabota.md", "https://www.doska.ua/c/robota/", "DOSKA.UA", "doska-ua"}, []string{"rabota-md", "doska-ua"}, ""},
		{"further host", []string{"img.doska-cdn.example"}, []string{"doska-ua"}, ""},
		{"one channel of a shared host", []string{"tg-vakansii"}, []string{"tg-vakansii"}, ""},
		{"unknown host", []string{"doska.example"}, nil, `invalid webhook subscription: unknown site "doska.example"; ` + testSitesValid},
		{"unknown among known", []string{"doska-ua", "x.example", "y"}, nil, `invalid webhook subscription: unknown sites "x.example", "y"; ` + testSitesValid},
		{"shared host", []string{"t.me"}, nil, `invalid webhook subscription: site "t.me" is a host of several sites (tg-kordon, tg-vakansii): name one of them`},
		{"no sites", []string{}, nil, "invalid webhook subscription: a subscription covers 1 to 100 sites"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := json.Marshal(webhookInput{Name: "p" + string(rune('a'+i)), URL: "https://platform.example/hook", Sites: tc.sites})
			resp, body := f.post(t, "admin", "/api/v1/webhooks", "application/json", string(in))
			if tc.want == nil {
				var e struct{ Error string }
				json.Unmarshal([]byte(body), &e)
				if resp.StatusCode != http.StatusUnprocessableEntity || e.Error != tc.msg {
					t.Errorf("= %d %s, want 422 %q", resp.StatusCode, body, tc.msg)
				}
				return
			}
			var created struct{ Subscription store.Subscription }
			if err := json.Unmarshal([]byte(body), &created); err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("= %d %s, want 201", resp.StatusCode, body)
			}
			sub, err := f.store.Webhooks().Subscription(t.Context(), created.Subscription.ID)
			if err != nil || !slices.Equal(sub.Sites, tc.want) || !slices.Equal(created.Subscription.Sites, tc.want) {
				t.Fatalf("stored sites %q (answer %q), %v; want %q", sub.Sites, created.Subscription.Sites, err, tc.want)
			}
			if !sub.Covers(tc.want[0], 100) {
				t.Errorf("the subscription does not cover ads of %s", tc.want[0])
			}
		})
	}
}

func TestWebhookFormUnknownSite(t *testing.T) {
	f := newFixture(t, Options{Sites: testSites})
	f.as = auth.Admin
	_, page := f.get(t, "/admin/webhooks")
	if !strings.Contains(page, `placeholder="e.g. doska-ua, rabota-md"`) || !strings.Contains(page, "Site IDs, or a host name of one site; "+testSitesValid+".") {
		t.Errorf("the form does not show the known sites:\n%s", page)
	}
	typed := "doska.example, rabota-md"
	form := url.Values{"name": {"platform-z"}, "url": {"https://z.example/hook"}, "sites": {typed}, "min_score": {"65"}}
	resp, body := f.post(t, "admin", "/admin/webhooks", "application/x-www-form-urlencoded", form.Encode())
	msg := `Not created: invalid webhook subscription: unknown site "doska.example"; ` + testSitesValid + "."
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, template.HTMLEscapeString(msg)) {
		t.Errorf("= %d, want 422 saying %q:\n%s", resp.StatusCode, msg, body)
	}
	for _, kept := range []string{`value="platform-z"`, `value="https://z.example/hook"`, `value="` + typed + `"`, `value="65"`} {
		if !strings.Contains(body, kept) {
			t.Errorf("the form lost %s", kept)
		}
	}
	if subs, _ := f.store.Webhooks().Subscriptions(t.Context()); len(subs) != 0 {
		t.Errorf("stored %+v", subs)
	}
}

// TestWebhookSitesOfStoredAds checks the known sites when Options.Sites
// is nil: those of the stored ads.
func TestWebhookSitesOfStoredAds(t *testing.T) {
	f := newFixture(t, Options{}, mkVerdict(t, "a1", 80, true, ad.Ad{Site: "rabota.example", Title: "t"}),
		mkVerdict(t, "a2", 80, true, ad.Ad{Site: "seti.example", Title: "t"}))
	for i, tc := range []struct {
		sites string
		code  int
		msg   string
	}{
		{`["seti.example"]`, http.StatusCreated, ""},
		{`["doska.example"]`, http.StatusUnprocessableEntity, `invalid webhook subscription: unknown site "doska.example"; valid sites: rabota.example, seti.example`},
	} {
		resp, body := f.post(t, "admin", "/api/v1/webhooks", "application/json", `{"name":"p`+strconv.Itoa(i)+`","url":"https://p.example/","sites":`+tc.sites+`}`)
		var e struct{ Error string }
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != tc.code || e.Error != tc.msg {
			t.Errorf("sites %s = %d %s, want %d %q", tc.sites, resp.StatusCode, body, tc.code, tc.msg)
		}
	}
	empty := newFixture(t, Options{})
	resp, body := empty.post(t, "admin", "/api/v1/webhooks", "application/json", `{"name":"p","url":"https://p.example/","sites":["rabota.example"]}`)
	if want := `{"error":"invalid webhook subscription: unknown site \"rabota.example\"; no site is known yet"}`; resp.StatusCode != http.StatusUnprocessableEntity || strings.TrimSpace(body) != want {
		t.Errorf("with no ads = %d %s, want 422 %s", resp.StatusCode, body, want)
	}
}

func TestSiteSetDescribeBounded(t *testing.T) {
	var sites []Site
	for i := range maxListedSites + 3 {
		sites = append(sites, Site{Name: fmt.Sprintf("site-%03d", i), Hosts: []string{fmt.Sprintf("s%d.example", i)}})
	}
	got := newSiteSet(sites).describe()
	if !strings.HasPrefix(got, "valid sites: site-000 (s0.example), site-001 (s1.example), ") ||
		!strings.HasSuffix(got, fmt.Sprintf("site-%03d (s%d.example), and 3 more", maxListedSites-1, maxListedSites-1)) {
		t.Errorf("describe() = %q", got)
	}
}
