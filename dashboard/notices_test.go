package dashboard

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

const (
	testNotifier = "Стоп-трафик NGO"
	testEmail    = "notices@ngo.example"
)

// noticeAds are standard ads with snapshots and real rule IDs, plus a
// hostile one on the same site as ru1.
func noticeAds(t *testing.T) []ad.Verdict {
	vs := []ad.Verdict{
		mkVerdict(t, "ru1", 91, true, ad.Ad{Lang: "ru", Title: "Работа для девушек за границей",
			Body: "Молодые девушки, работа в Германии, билеты и визу оплачиваем. Звоните!"},
			"ru.work_abroad|work_abroad|body|работа в Германии", "ru.for_girls|young_women|title|девушек"),
		mkVerdict(t, "ro1", 74, true, ad.Ad{Site: "locuri.example", Lang: "ro",
			Title: "Căutăm fete tinere pentru muncă în străinătate", Body: "Cazare gratuită, plecare imediată."},
			"ro.free-housing|free_travel|body|Cazare gratuită"),
		mkVerdict(t, "evil", 99, true, ad.Ad{Lang: "en", Title: `<script>alert(1)</script> visa job`,
			Body: `=HYPERLINK("http://x") Free visa <img src=x onerror=alert(1)>`},
			`x.visa|free_travel|body|<img src=x onerror=alert(1)>`, `x.formula|f|body|=HYPERLINK("http://x")`),
		mkVerdict(t, "low1", 8, false, ad.Ad{Lang: "ru", Title: "Бухгалтер в офис", Body: "Официальное трудоустройство."}),
	}
	for i := range vs {
		vs[i].Ad.Snapshot = "sha256:" + strings.Repeat(strconv.Itoa(i), 64)
	}
	return vs
}

func noticeFixture(t *testing.T, o notice.Options, now func() time.Time) *fixture {
	t.Helper()
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{Rules: pack, Notices: o, Now: now}, noticeAds(t)...)
	if _, err := f.store.Apply(context.Background(), store.Change{AdIDs: []string{"ru1", "ro1", "evil"}, Actor: "analyst1",
		Status: store.StatusConfirmed, Note: "Recruiter asks for passport copy up front"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// call sends an API or page request as role and returns code and body.
func (f *fixture) call(t *testing.T, method, path, body string, role auth.Role) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		if strings.Contains(body, "=") && !strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// draftAll drafts notices through the API and returns them by site.
func draftAll(t *testing.T, f *fixture) map[string]notice.Notice {
	t.Helper()
	code, body := f.call(t, "POST", "/api/v1/notices", "", auth.Analyst)
	if code != http.StatusCreated {
		t.Fatalf("draft = %d %s", code, body)
	}
	var out struct{ Notices []notice.Notice }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	by := map[string]notice.Notice{}
	for _, n := range out.Notices {
		by[n.Site] = n
	}
	return by
}

func TestNoticeExportsCarryEveryDSAField(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	by := draftAll(t, f)
	if len(by) != 2 || by["rabota.example"].ItemCount != 2 || by["locuri.example"].ItemCount != 1 {
		t.Fatalf("drafts = %+v, want rabota.example (2 ads) and locuri.example (1)", by)
	}
	for site, n := range by {
		t.Run(site, func(t *testing.T) {
			id := strconv.FormatInt(n.ID, 10)
			// JSON export.
			code, body := f.call(t, "GET", "/notices/"+id+".json", "", auth.Analyst)
			if code != 200 {
				t.Fatalf("json = %d %s", code, body)
			}
			var d notice.Document
			if err := json.Unmarshal([]byte(body), &d); err != nil {
				t.Fatal(err)
			}
			if d.Notifier.Name != testNotifier || d.Notifier.Email != testEmail || d.Statement != notice.GoodFaithStatement ||
				d.Explanation == "" || d.Site != site || len(d.Missing) != 0 {
				t.Errorf("notice fields = %+v", d)
			}
			if len(d.Items) != n.ItemCount {
				t.Fatalf("%d items, want %d", len(d.Items), n.ItemCount)
			}
			for _, it := range d.Items {
				v := f.byID[it.AdID]
				if it.URL != v.Ad.URL || it.Snapshot != v.Ad.Snapshot || !it.FetchedAt.Equal(v.Ad.Crawled) ||
					it.ReviewNote != "Recruiter asks for passport copy up front" {
					t.Errorf("item %s = %+v", it.AdID, it)
				}
				// Every hit's words are quoted under a plain indicator
				// name, never under its rule ID.
				var lines []string
				for _, in := range it.Indicators {
					lines = append(lines, in.Line())
				}
				text := strings.Join(lines, "\n")
				for _, h := range v.Hits {
					if !strings.Contains(text, "\u201c"+h.Evidence[0].Text+"\u201d") || strings.Contains(text, h.Rule) {
						t.Errorf("item %s indicators %q: want %q quoted, without rule %s", it.AdID, text, h.Evidence[0].Text, h.Rule)
					}
				}
			}
			// CSV export.
			code, body = f.call(t, "GET", "/notices/"+id+".csv", "", auth.Analyst)
			if code != 200 {
				t.Fatalf("csv = %d", code)
			}
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1+n.ItemCount || strings.Join(recs[0], ",") != strings.Join(notice.CSVHeader, ",") {
				t.Fatalf("csv has %d rows, header %v", len(recs), recs[0])
			}
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h] = i
			}
			for _, row := range recs[1:] {
				for _, h := range []string{"notice", "site", "notifier_name", "notifier_email", "good_faith_statement",
					"ad_id", "url", "title", "indicators", "review_note", "snapshot", "fetched_at"} {
					if row[col[h]] == "" {
						t.Errorf("csv row %s: %s is empty", row[col["ad_id"]], h)
					}
				}
				v := f.byID[row[col["ad_id"]]]
				if row[col["url"]] != v.Ad.URL || row[col["snapshot"]] != v.Ad.Snapshot || row[col["notifier_name"]] != testNotifier {
					t.Errorf("csv row = %v", row)
				}
				for _, h := range v.Hits {
					if !strings.Contains(row[col["indicators"]], h.Evidence[0].Text) {
						t.Errorf("csv indicators %q lack %q", row[col["indicators"]], h.Evidence[0].Text)
					}
				}
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
						t.Errorf("csv cell %q would run as a formula", cell)
					}
				}
			}
			// Printable page and e-mail text.
			for _, path := range []string{"/notices/" + id + "/print", "/notices/" + id + "/email.txt", "/notices/" + id} {
				code, body := f.call(t, "GET", path, "", auth.Analyst)
				if code != 200 {
					t.Fatalf("%s = %d", path, code)
				}
				for _, want := range []string{"bona fide belief", testNotifier, testEmail} {
					if !strings.Contains(body, want) {
						t.Errorf("%s lacks %q", path, want)
					}
				}
				for _, it := range d.Items {
					if !strings.Contains(body, it.Snapshot) {
						t.Errorf("%s lacks the snapshot of %s", path, it.AdID)
					}
				}
				for _, raw := range []string{"<script>alert", "<img src=x"} {
					if !strings.HasSuffix(path, ".txt") && strings.Contains(body, raw) {
						t.Errorf("%s contains raw %q", path, raw)
					}
				}
			}
			_, body = f.call(t, "GET", "/notices/"+id+"/email.txt", "", auth.Analyst)
			if !strings.HasPrefix(body, "Subject: Notice of illegal content") || !strings.Contains(body, "\n\n") {
				t.Errorf("email text starts %.100q", body)
			}
		})
	}
	es, _, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "notice_export"})
	if err != nil || len(es) != 2*5 { // json, csv, print, e-mail twice
		t.Errorf("notice_export audit entries = %d (%v), want 10", len(es), err)
	}
}

func TestNoticeLifecycleAPI(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	n := draftAll(t, f)["locuri.example"]
	path := "/api/v1/notices/" + strconv.FormatInt(n.ID, 10) + "/transition"
	steps := []struct {
		body string
		code int
		want string
	}{
		{`{"status":"acknowledged"}`, 409, "a draft notice cannot become acknowledged (allowed: sent, withdrawn)"},
		{`{"status":"sent","note":"sent via the platform's form"}`, 200, `"status":"sent"`},
		{`{"status":"draft"}`, 409, "cannot become draft"},
		{`{"status":"lost"}`, 409, "unknown status"},
		{`{"status":"sent","extra":1}`, 400, "unknown field"},
		{`{"status":"acknowledged","note":"ticket 42"}`, 200, `"status":"acknowledged"`},
		{`{"status":"rejected"}`, 200, `"status":"rejected"`},
		{`{"status":"removed"}`, 409, "the notice is closed"},
	}
	for _, st := range steps {
		code, body := f.call(t, "POST", path, st.body, auth.Analyst)
		if code != st.code || !strings.Contains(body, st.want) {
			t.Errorf("%s = %d %s, want %d with %q", st.body, code, body, st.code, st.want)
		}
	}
	var d notice.Document
	f.getJSON(t, "/api/v1/notices/"+strconv.FormatInt(n.ID, 10), 200, &d)
	if len(d.History) != 4 || d.History[1].Actor != "token:analyst-token" || d.History[1].Note != "sent via the platform's form" ||
		d.SentAt.IsZero() || d.ClosedAt.IsZero() {
		t.Errorf("history = %+v, sent %v, closed %v", d.History, d.SentAt, d.ClosedAt)
	}
	if code, _ := f.call(t, "POST", "/api/v1/notices/99999/transition", `{"status":"sent"}`, auth.Analyst); code != 404 {
		t.Errorf("unknown notice = %d", code)
	}
}

func TestNoticeNeedsNotifierToSend(t *testing.T) {
	f := noticeFixture(t, notice.Options{}, nil)
	n := draftAll(t, f)["locuri.example"]
	id := strconv.FormatInt(n.ID, 10)
	_, page := f.call(t, "GET", "/notices/"+id, "", auth.Analyst)
	if !strings.Contains(page, "This notice cannot be sent: missing notifier name") {
		t.Errorf("notice page does not say the notifier is missing")
	}
	code, body := f.call(t, "POST", "/notices/"+id+"/transition", "status=sent", auth.Analyst)
	if code != http.StatusConflict || !strings.Contains(body, "--notifier-name") {
		t.Errorf("send without notifier = %d %.300s", code, body)
	}
	code, _ = f.call(t, "POST", "/notices/"+id+"/transition", "status=withdrawn&note=duplicate", auth.Analyst)
	if code != http.StatusOK { // the redirect back to the notice, followed
		t.Errorf("withdraw = %d, want 200", code)
	}
	got, err := f.store.Notices().Get(context.Background(), n.ID)
	if err != nil || got.Status != notice.Withdrawn || got.Note != "duplicate" {
		t.Errorf("notice = %+v (%v)", got, err)
	}
}

func TestNoticeOverdueAndTimeToRemoval(t *testing.T) {
	clk := &clock{t: time.Now()}
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail, Overdue: 48 * time.Hour}, clk.now)
	by := draftAll(t, f)
	for _, n := range by {
		if code, body := f.call(t, "POST", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10)+"/transition", `{"status":"sent"}`, auth.Analyst); code != 200 {
			t.Fatalf("send = %d %s", code, body)
		}
	}
	ctx := context.Background()
	sent, _ := f.store.Notices().Get(ctx, by["locuri.example"].ID)
	if _, err := f.store.Notices().RecordRemoval(ctx, ad.Removal{V: ad.Version, ID: "ro1", Site: "locuri.example", URL: f.byID["ro1"].Ad.URL,
		Reason: ad.RemovedGone410, DetectedAt: sent.SentAt.Add(30 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Notices []struct {
			ID      int64  `json:"id"`
			Status  string `json:"status"`
			Overdue bool   `json:"overdue"`
		}
		Total         int                  `json:"total"`
		TimeToRemoval []store.RemovalStats `json:"time_to_removal"`
	}
	f.getJSON(t, "/api/v1/notices?overdue=true", 200, &list)
	if list.Total != 0 {
		t.Errorf("overdue right after sending = %d", list.Total)
	}
	clk.add(49 * time.Hour)
	f.getJSON(t, "/api/v1/notices?overdue=true", 200, &list)
	if list.Total != 1 || list.Notices[0].ID != by["rabota.example"].ID || !list.Notices[0].Overdue {
		t.Errorf("overdue after 49h = %+v, want only the rabota.example notice (the other is removed)", list)
	}
	if len(list.TimeToRemoval) != 1 || list.TimeToRemoval[0].Site != "locuri.example" || list.TimeToRemoval[0].Count != 1 ||
		list.TimeToRemoval[0].MedianSeconds != (30*time.Hour).Seconds() || list.TimeToRemoval[0].MaxSeconds != (30*time.Hour).Seconds() {
		t.Errorf("time to removal = %+v, want locuri.example: 1 ad in 30h", list.TimeToRemoval)
	}
	code, page := f.call(t, "GET", "/notices", "", auth.Analyst)
	for _, want := range []string{`<span class="overdue-mark">overdue</span>`, "<strong>1</strong> overdue", "<td>locuri.example</td><td class=\"num\">1</td><td class=\"num\">1.2 days</td>"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("GET /notices = %d, lacks %q", code, want)
		}
	}
	for _, q := range []string{"?status=nope", "?overdue=maybe"} {
		if code, _ := f.call(t, "GET", "/api/v1/notices"+q, "", auth.Analyst); code != 400 {
			t.Errorf("GET /api/v1/notices%s = %d, want 400", q, code)
		}
	}
}

func TestNoticeRoutesRoles(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	n := draftAll(t, f)["locuri.example"]
	id := strconv.FormatInt(n.ID, 10)
	routes := []struct{ method, path, body string }{
		{"GET", "/notices", ""},
		{"GET", "/notices?status=draft&site=locuri.example", ""},
		{"POST", "/notices/draft", "x=1"},
		{"GET", "/notices/" + id, ""},
		{"GET", "/notices/" + id + ".json", ""},
		{"GET", "/notices/" + id + ".csv", ""},
		{"GET", "/notices/" + id + "/print", ""},
		{"GET", "/notices/" + id + "/email.txt", ""},
		{"POST", "/notices/" + id + "/transition", "status=bogus"},
		{"GET", "/api/v1/notices", ""},
		{"POST", "/api/v1/notices", "{}"},
		{"GET", "/api/v1/notices/" + id, ""},
		{"POST", "/api/v1/notices/" + id + "/transition", `{"status":"bogus"}`},
		{"POST", "/notices/" + id + "/items/nosuch/drop", "x=1"},
		{"POST", "/api/v1/notices/" + id + "/items/nosuch/drop", ""},
	}
	for _, rt := range routes {
		for _, role := range auth.Roles {
			t.Run(rt.method+" "+rt.path+" as "+string(role), func(t *testing.T) {
				code, body := f.call(t, rt.method, rt.path, rt.body, role)
				if role == auth.Viewer {
					if code != http.StatusForbidden {
						t.Errorf("= %d, want 403: %.200s", code, body)
					}
					return
				}
				if code == 401 || code == 403 || code >= 500 {
					t.Errorf("= %d: %.200s", code, body)
				}
			})
		}
	}
	// Anonymous: pages go to the login, the API answers 401.
	if code, _ := do(t, f.browser(t), "GET", f.srv.URL+"/notices/"+id, nil, nil); code != http.StatusSeeOther {
		t.Errorf("anonymous page = %d, want 303", code)
	}
	if code, _ := f.call(t, "GET", "/api/v1/notices", "", ""); code != http.StatusUnauthorized {
		t.Errorf("anonymous api = %d, want 401", code)
	}
}

func TestNoticePagesFromBrowserForm(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}, nil)
	c := f.browser(t)
	f.login(t, c, "analyst1", testPassword)
	resp, err := c.PostForm(f.srv.URL+"/notices/draft", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/notices?drafted=2" {
		t.Fatalf("draft = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, body := do(t, c, "GET", f.srv.URL+"/notices?drafted=2", nil, nil)
	if code != 200 || !strings.Contains(body, "2 notices drafted.") || !strings.Contains(body, "Draft notices from confirmed ads") {
		t.Errorf("list = %d", code)
	}
	for _, path := range []string{"/notices/0", "/notices/abc", "/notices/1.pdf", "/notices/99999", "/notices/1/print/x"} {
		if code, _ := do(t, c, "GET", f.srv.URL+path, nil, nil); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
}

func TestParseNoticeRef(t *testing.T) {
	tests := []struct {
		in     string
		id     int64
		format string
		ok     bool
	}{
		{"12", 12, formatPage, true},
		{"12.json", 12, formatJSON, true},
		{"7.csv", 7, formatCSV, true},
		{"0", 0, "", false},
		{"-1", 0, "", false},
		{"+1", 0, "", false},
		{"1.pdf", 0, "", false},
		{"1.json.csv", 0, "", false},
		{".json", 0, "", false},
		{"", 0, "", false},
		{"1234567890123456789", 0, "", false},
		{"١٢", 0, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			id, format, err := parseNoticeRef(tc.in)
			if (err == nil) != tc.ok || id != tc.id || format != tc.format {
				t.Errorf("parseNoticeRef(%q) = %d, %q, %v", tc.in, id, format, err)
			}
		})
	}
}

func FuzzParseNoticeRef(f *testing.F) {
	for _, s := range []string{"1", "12.json", "3.csv", "0", "x.json", "99999999999999999999", "1..json"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		id, format, err := parseNoticeRef(ref)
		if err != nil {
			if id != 0 || format != "" {
				t.Fatalf("error with id %d format %q", id, format)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("id %d", id)
		}
		want := strconv.FormatInt(id, 10)
		if format != "" {
			want += "." + format
		}
		if want != ref {
			t.Fatalf("parse(%q) = %d %q, which prints as %q", ref, id, format, want)
		}
	})
}

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"plain", "plain"}, {"=1+1", "'=1+1"}, {"+7 999", "'+7 999"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=x", "'\t=x"}, {"a=b", "a=b"}, {"https://x.example/=", "https://x.example/="},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := csvSafe(tc.in); got != tc.want {
				t.Errorf("csvSafe(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNoticeAPIEmptyListsAreArrays checks that a node without notices
// answers empty arrays, not null, as openapi.json describes.
func TestNoticeAPIEmptyListsAreArrays(t *testing.T) {
	f := newFixture(t, Options{})
	for _, c := range []struct{ method, path, want string }{
		{"POST", "/api/v1/notices", `{"notices":[]}`},
		{"GET", "/api/v1/notices", `"time_to_removal":[]`},
		{"GET", "/api/v1/notices", `"notices":[]`},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			code, body := f.call(t, c.method, c.path, "", auth.Analyst)
			if code >= 300 || !strings.Contains(body, c.want) {
				t.Errorf("%s %s = %d %s, want %s", c.method, c.path, code, body, c.want)
			}
		})
	}
}
