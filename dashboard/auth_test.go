package dashboard

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// browser is an HTTP client with a cookie jar that does not follow
// redirects, acting as a same-origin browser.
func (f *fixture) browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (f *fixture) login(t *testing.T, c *http.Client, user, pw string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(f.srv.URL+"/login", url.Values{"user": {user}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values, hdr map[string]string) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestLoginSessionCookieAndLogout(t *testing.T) {
	clk := &clock{t: time.Now()}
	f := newFixture(t, Options{Now: clk.now, SessionTTL: time.Hour}, standardAds(t)...)
	c := f.browser(t)
	if code, _ := do(t, c, "GET", f.srv.URL+"/", nil, nil); code != http.StatusSeeOther {
		t.Fatalf("anonymous / = %d, want redirect to login", code)
	}
	resp := f.login(t, c, "analyst1", testPassword)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", resp.StatusCode)
	}
	ck := resp.Cookies()
	if len(ck) != 1 || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode || ck[0].MaxAge != 3600 || ck[0].Path != "/" {
		t.Fatalf("session cookie = %+v", ck)
	}
	if code, body := do(t, c, "GET", f.srv.URL+"/", nil, nil); code != 200 || !strings.Contains(body, "analyst1") {
		t.Fatalf("queue after login = %d", code)
	}
	// Session expiry.
	clk.add(time.Hour + time.Second)
	if code, _ := do(t, c, "GET", f.srv.URL+"/", nil, nil); code != http.StatusSeeOther {
		t.Fatalf("after expiry / = %d, want redirect", code)
	}
	// Logout ends the session on the server, not just the cookie.
	f.login(t, c, "analyst1", testPassword)
	u, _ := url.Parse(f.srv.URL)
	stolen := c.Jar.Cookies(u)
	if code, _ := do(t, c, "POST", f.srv.URL+"/logout", url.Values{}, nil); code != http.StatusSeeOther {
		t.Fatalf("logout = %d", code)
	}
	c2 := f.browser(t)
	c2.Jar.SetCookies(u, stolen)
	if code, _ := do(t, c2, "GET", f.srv.URL+"/", nil, nil); code != http.StatusSeeOther {
		t.Fatalf("old session after logout: / = %d", code)
	}
	// Logout everywhere ends the other sessions too.
	a, b := f.browser(t), f.browser(t)
	f.login(t, a, "analyst1", testPassword)
	f.login(t, b, "analyst1", testPassword)
	do(t, a, "POST", f.srv.URL+"/logout-all", url.Values{}, nil)
	if code, _ := do(t, b, "GET", f.srv.URL+"/", nil, nil); code != http.StatusSeeOther {
		t.Fatalf("other session after logout everywhere: / = %d", code)
	}
}

func TestLoginThrottle(t *testing.T) {
	clk := &clock{t: time.Now()}
	f := newFixture(t, Options{Now: clk.now})
	c := f.browser(t)
	for i := range auth.LoginFailsAccount {
		if r := f.login(t, c, "analyst1", "wrong password!!"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i, r.StatusCode)
		}
	}
	// Locked: even the right password is refused.
	if r := f.login(t, c, "analyst1", testPassword); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("locked account login = %d", r.StatusCode)
	}
	// Another account from the same address still works until the
	// address limit.
	if r := f.login(t, c, "admin1", testPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other account = %d", r.StatusCode)
	}
	clk.add(auth.LoginWindow)
	if r := f.login(t, c, "analyst1", testPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window = %d", r.StatusCode)
	}
	// Per address: many accounts guessed from one address.
	for i := range auth.LoginFailsAddr {
		f.login(t, c, "nobody"+strconvItoa(i), "wrong password!!")
	}
	if r := f.login(t, c, "viewer1", testPassword); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("address over its limit = %d", r.StatusCode)
	}
}

// loginFrom posts the login form through the dashboard's handler as a
// client at addr (host:port): the address the throttle sees.
func (f *fixture) loginFrom(t *testing.T, addr, user, pw string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"user": {user}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(rec, req)
	return rec.Result()
}

// TestLoginThrottleOtherAddress checks that failures from one address do
// not lock the account's owner out from another: the account is
// throttled per address.
func TestLoginThrottleOtherAddress(t *testing.T) {
	clk := &clock{t: time.Now()}
	f := newFixture(t, Options{Now: clk.now})
	const attacker, owner = "203.0.113.7:40000", "198.51.100.20:50000"
	for i := range auth.LoginFailsAccount {
		if r := f.loginFrom(t, attacker, "analyst1", "wrong password!!"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i, r.StatusCode)
		}
	}
	if r := f.loginFrom(t, attacker, "analyst1", testPassword); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled address, right password = %d, want 429 with Retry-After", r.StatusCode)
	}
	r := f.loginFrom(t, owner, "analyst1", testPassword)
	if r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 || r.Cookies()[0].Value == "" {
		t.Fatalf("the owner from another address = %d %v, want 303 with a session", r.StatusCode, r.Cookies())
	}
	// The session works, and the attacker's address stays throttled.
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.RemoteAddr = owner
	req.AddCookie(r.Cookies()[0])
	rec := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"name":"analyst1"`) {
		t.Fatalf("me with the owner's session = %d %s", rec.Code, rec.Body.String())
	}
	if r := f.loginFrom(t, attacker, "analyst1", testPassword); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attacker after the owner's login = %d, want 429", r.StatusCode)
	}
}

func TestRouteAuthorisation(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	routes := []struct {
		method, path string
		min          auth.Role // least role allowed; "" means public
	}{
		{"GET", "/login", ""},
		{"GET", "/healthz", ""},
		{"GET", "/static/app.js", ""},
		{"GET", "/stats", auth.Viewer},
		{"GET", "/api/v1/me", auth.Viewer},
		{"GET", "/api/v1/stats", auth.Viewer},
		{"GET", "/search?q=x", auth.Analyst},
		{"GET", "/ads/ru1", auth.Analyst},
		{"GET", "/export/labels.jsonl", auth.Analyst},
		{"GET", "/api/v1/ads", auth.Analyst},
		{"GET", "/api/v1/search?q=x", auth.Analyst},
		{"GET", "/api/v1/ads/ru1", auth.Analyst},
		{"GET", "/api/v1/ads/ru1/audit", auth.Analyst},
		{"GET", "/api/v1/labels", auth.Analyst},
		{"POST", "/ads/ru1/review", auth.Analyst},
		{"POST", "/review", auth.Analyst},
		{"POST", "/api/v1/ads/ru1/review", auth.Analyst},
		{"POST", "/api/v1/reviews", auth.Analyst},
		{"GET", "/audit", auth.Admin},
		{"GET", "/admin/users", auth.Admin},
		{"POST", "/admin/users", auth.Admin},
		{"POST", "/admin/tokens", auth.Admin},
		{"GET", "/api/v1/audit", auth.Admin},
	}
	for _, rt := range routes {
		for _, role := range append([]auth.Role{""}, auth.Roles...) {
			t.Run(rt.method+" "+rt.path+" as "+string(role), func(t *testing.T) {
				hdr := map[string]string{}
				if role != "" {
					hdr["Authorization"] = "Bearer " + f.tokens[role]
				}
				var form url.Values
				if rt.method == "POST" {
					form = url.Values{}
				}
				code, body := do(t, f.browser(t), rt.method, f.srv.URL+rt.path, form, hdr)
				allowed := rt.min == "" || role != "" && role.Rank() >= rt.min.Rank()
				denied := code == 401 || code == 403 || code == 303 && rt.min != ""
				if allowed == denied {
					t.Errorf("= %d (allowed %v): %.200s", code, allowed, body)
				}
			})
		}
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	c := f.browser(t)
	f.login(t, c, "analyst1", testPassword)
	form := url.Values{"status": {"false_positive"}}
	code, _ := do(t, c, "POST", f.srv.URL+"/ads/ru1/review", form,
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if code != http.StatusForbidden {
		t.Fatalf("cross-site post = %d, want 403", code)
	}
	code, _ = do(t, c, "POST", f.srv.URL+"/ads/ru1/review", form, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if code != http.StatusSeeOther {
		t.Fatalf("same-origin post = %d, want 303", code)
	}
	revs, err := f.store.Reviews(t.Context(), []string{"ru1"})
	if err != nil || revs["ru1"].Status != store.StatusFalsePositive || revs["ru1"].DecidedBy != "analyst1" {
		t.Fatalf("review = %+v %v", revs["ru1"], err)
	}
}

func TestAPIReviewAuditAndLabels(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	api := func(method, path, body string, role auth.Role) (int, string) {
		req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := api("POST", "/api/v1/ads/ru1/review", `{"status":"confirmed","note":"seen"}`, auth.Analyst); code != 200 {
		t.Fatalf("decide = %d %s", code, body)
	}
	if code, _ := api("POST", "/api/v1/reviews", `{"ids":["ro1","en1"],"status":"false_positive"}`, auth.Analyst); code != 200 {
		t.Fatalf("bulk = %d", code)
	}
	for _, bad := range []string{`{"status":"new"}`, `{"status":"maybe"}`, `{}`, `{"status":"confirmed","x":1}`} {
		if code, _ := api("POST", "/api/v1/ads/ru1/review", bad, auth.Analyst); code != 400 {
			t.Errorf("%s = %d, want 400", bad, code)
		}
	}
	if code, _ := api("POST", "/api/v1/ads/nope/review", `{"status":"confirmed"}`, auth.Analyst); code != 404 {
		t.Errorf("unknown ad = %d", code)
	}
	var audit struct {
		Total   int                `json:"total"`
		Entries []store.AuditEntry `json:"entries"`
	}
	_, body := api("GET", "/api/v1/ads/ru1/audit", "", auth.Analyst)
	if err := json.Unmarshal([]byte(body), &audit); err != nil || audit.Total != 1 ||
		audit.Entries[0].Actor != "token:analyst-token" || !strings.Contains(audit.Entries[0].After, `"confirmed"`) ||
		!strings.Contains(audit.Entries[0].Before, `"new"`) {
		t.Fatalf("ad audit = %s", body)
	}
	_, body = api("GET", "/api/v1/audit?q=seen", "", auth.Admin)
	if !strings.Contains(body, `"total":1`) {
		t.Errorf("admin audit search = %s", body)
	}
	_, body = api("GET", "/api/v1/labels", "", auth.Analyst)
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 3 || !strings.Contains(body, `"label":"deceptive"`) || strings.Count(body, `"label":"legit"`) != 2 {
		t.Fatalf("labels = %s", body)
	}
}
