package dashboard

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// campaignNow is the dashboard clock of the campaign tests: a Wednesday,
// so the default period is the 12 weeks from Monday 2025-01-06.
var campaignNow = time.Date(2025, 3, 26, 15, 0, 0, 0, time.UTC)

// personal are the contacts and names seeded into the campaign ads; no
// viewer page, export or API answer may contain any of them.
var personal = []string{
	"+373 68 000 111", "37368000111", "068000111", "068 000 111", "hr.recruit@agency-job.md", "agency-job.md",
	"@antalya_girls_job", "antalya_girls_job", "t.me/work_europe_best", "work_europe_best", "Кристина", "Кристине",
	"Ion Popescu", "Popescu", "+380 67 123 45 67", "380671234567", "Олена",
}

// campaignAd is a seeded ad with personal data in every text field.
func campaignAd(t *testing.T, id, site, region, category string, posted string, flagged bool) ad.Verdict {
	t.Helper()
	score := 12.0
	if flagged {
		score = 81
	}
	a := ad.Ad{Site: site, Lang: "ru",
		Title:   "Работа в Турции для девушек, спросить Кристину",
		Body:    "Опыт не нужен. Пишите Кристине +373 68 000 111 или hr.recruit@agency-job.md, сайт agency-job.md, менеджер Ion Popescu.",
		Contact: "Telegram @antalya_girls_job, t.me/work_europe_best, Viber +380 67 123 45 67 (Олена)",
	}
	v := mkVerdict(t, id, score, flagged, a,
		"ru.no-experience|no_experience|body|Опыт не нужен",
		"ru.messenger|messenger_only|contact|Telegram @antalya_girls_job",
		"ru.call|messenger_only|body|Пишите Кристине +373 68 000 111",
		"ru.mail|messenger_only|body|hr.recruit@agency-job.md, сайт agency-job.md, менеджер Ion Popescu")
	p, err := time.Parse("2006-01-02", posted)
	if err != nil {
		t.Fatal(err)
	}
	v.Ad.Posted = p.Add(9 * time.Hour)
	v.Ad.ContentHash = v.Ad.Hash()
	v.Entities = ad.Entities{Phones: []string{"+37368000111", "+380671234567"}, Emails: []string{"hr.recruit@agency-job.md"},
		Handles: []string{"@antalya_girls_job", "t.me/work_europe_best"}, Destinations: []string{"TR"},
		Region: region, Category: category}
	return v
}

func campaignFixture(t *testing.T) *fixture {
	t.Helper()
	vs := []ad.Verdict{
		campaignAd(t, "c1", "rabota-md", "MD/Chișinău", "hostess_entertainment", "2025-03-24", true),
		campaignAd(t, "c2", "rabota-md", "MD/Chișinău", "construction", "2025-03-25", false),
		campaignAd(t, "c3", "doska-ua", "UA/Kyiv", "hostess_entertainment", "2025-03-12", true),
		campaignAd(t, "c4", "doska-ua", "UA/Kyiv", "other", "2025-01-06", false),
		campaignAd(t, "c5", "doska-ua", "", "other", "2025-01-05", true), // before the default period
		campaignAd(t, "c6", "=cmd|calc", "UA/Odesa", "other", "2025-02-03", true),
	}
	f := newFixture(t, Options{Now: func() time.Time { return campaignNow }}, vs...)
	f.as = auth.Viewer
	return f
}

func TestCampaignAPI(t *testing.T) {
	f := campaignFixture(t)
	var c store.Campaign
	f.getJSON(t, "/api/v1/campaign", http.StatusOK, &c)
	if c.From != "2025-01-06" || c.To != "2025-03-26" || len(c.Weeks) != 12 {
		t.Fatalf("default period %s..%s with %d weeks, want 2025-01-06..2025-03-26, 12 weeks", c.From, c.To, len(c.Weeks))
	}
	if c.Total != 5 || c.Risky != 3 || c.Rate != 0.6 {
		t.Errorf("counts %+v, want 5 ads, 3 risky", c.Count)
	}
	if w := c.Weeks[11]; w.Week != "2025-03-24" || w.Total != 2 || w.Risky != 1 {
		t.Errorf("last week %+v", w)
	}
	if w := c.Weeks[0]; w.Week != "2025-01-06" || w.Total != 1 || w.Risky != 0 {
		t.Errorf("first week %+v", w)
	}
	if r := c.By[store.DimRegion]; len(r) != 3 || r[0].Value != "MD/Chișinău" || r[0].Risky != 1 || r[0].Total != 2 {
		t.Errorf("regions %+v", r)
	}
	f.getJSON(t, "/api/v1/campaign?from=2025-03-01&to=2025-03-31", http.StatusOK, &c)
	if c.Total != 3 || len(c.Weeks) != 6 || c.Weeks[0].Week != "2025-02-24" {
		t.Errorf("March: %d ads, weeks %+v", c.Total, c.Weeks)
	}
	f.getJSON(t, "/api/v1/campaign?preset=4w", http.StatusOK, &c)
	if c.From != "2025-03-03" || len(c.Weeks) != 4 {
		t.Errorf("4w: from %s, %d weeks", c.From, len(c.Weeks))
	}
	for _, q := range []string{"from=yesterday", "to=2025-13-01", "from=2025-03-10&to=2025-03-01", "from=2000-01-01&to=2025-01-01", "preset=7y"} {
		var e map[string]string
		f.getJSON(t, "/api/v1/campaign?"+q, http.StatusBadRequest, &e)
		if e["error"] == "" {
			t.Errorf("%s: no error message", q)
		}
	}
	f.as = ""
	var e map[string]string
	f.getJSON(t, "/api/v1/campaign", http.StatusUnauthorized, &e)
}

func TestAimAPI(t *testing.T) {
	f := campaignFixture(t)
	var a store.Aim
	f.getJSON(t, "/api/v1/campaign/aim?from=2025-03-01&to=2025-03-31", http.StatusOK, &a)
	if a.PrevFrom != "2025-01-29" || a.PrevTo != "2025-02-28" {
		t.Errorf("previous period %s..%s", a.PrevFrom, a.PrevTo)
	}
	if len(a.Sites) != 3 || a.Sites[0].Value != "doska-ua" && a.Sites[0].Value != "rabota-md" {
		t.Fatalf("sites %+v", a.Sites)
	}
	last := a.Sites[2]
	if last.Value != "=cmd|calc" || last.Risky != 0 || last.Previous != 1 || last.Change != -1 {
		t.Errorf("last site %+v", last)
	}
	ws := a.Sites[0].Wordings
	if len(ws) != 3 || ws[1].Text != "опыт не нужен" || ws[2].Text != "пишите [name] [phone]" {
		t.Errorf("wordings %+v", ws)
	}
	var e map[string]string
	f.getJSON(t, "/api/v1/campaign/aim?sort=random", http.StatusBadRequest, &e)
	f.getJSON(t, "/api/v1/campaign/aim?limit=0", http.StatusBadRequest, &e)
}

// TestCampaignViewerSeesNoPersonalData fetches every viewer page, export
// and API answer of the campaign statistics as a viewer and looks for the
// contacts and names of the seeded ads.
func TestCampaignViewerSeesNoPersonalData(t *testing.T) {
	f := campaignFixture(t)
	for _, path := range []string{"/stats", "/stats/campaign", "/stats/campaign?preset=52w", "/stats/campaign.csv", "/stats.csv",
		"/stats/aim", "/stats/aim?sort=growth&from=2025-01-01&to=2025-03-31", "/api/v1/campaign", "/api/v1/campaign/aim",
		"/api/v1/campaign/aim?from=2024-06-01&to=2025-03-31", "/api/v1/stats"} {
		t.Run(path, func(t *testing.T) {
			resp, body := f.get(t, path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, p := range personal {
				if strings.Contains(body, p) || strings.Contains(body, url.QueryEscape(p)) {
					t.Errorf("%s contains %q", path, p)
				}
			}
			if strings.Contains(path, "aim") && !strings.Contains(body, "опыт не нужен") {
				t.Errorf("%s shows no wording", path)
			}
			if strings.Contains(path, "aim") && !strings.Contains(body, "[phone]") {
				t.Errorf("%s shows no redacted wording", path)
			}
		})
	}
}

func TestCampaignPage(t *testing.T) {
	f := campaignFixture(t)
	resp, body := f.get(t, "/stats/campaign?from=2025-03-01&to=2025-03-31")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<span class="num" data-key="total">3</span>`, `<span class="num" data-key="risky">2</span>`,
		`<span class="num" data-key="rate">66.7%</span>`,
		`data-dim="region"`, `data-value="MD/Chișinău" data-total="2" data-risky="1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for cls, n := range map[string]int{`class="bar-total"`: 6, `class="bar-risky"`: 6, `class="pt-rate"`: 6} {
		if got := strings.Count(body, cls); got != n {
			t.Errorf("%d × %s, want %d", got, cls, n)
		}
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
		t.Error("inline style or script on the page")
	}
	resp, _ = f.get(t, "/stats/campaign?from=nope")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad from: status %d", resp.StatusCode)
	}
	resp, body = f.get(t, "/stats/aim?from=2025-03-01&to=2025-03-31")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `class="aim-row" data-value="rabota-md" data-risky="1" data-previous="0"`) {
		t.Errorf("aim page status %d lacks the rabota-md row", resp.StatusCode)
	}
}

// TestCampaignCSV parses the export and checks the header and every
// row's fields against the JSON answer for the same period.
func TestCampaignCSV(t *testing.T) {
	f := campaignFixture(t)
	const q = "?from=2025-01-01&to=2025-03-31"
	resp, body := f.get(t, "/stats/campaign.csv"+q)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "lure-campaign-2025-01-01-2025-03-31.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "dimension,value,week,total,risky,rate" {
		t.Fatalf("header %v", recs[0])
	}
	var c store.Campaign
	f.getJSON(t, "/api/v1/campaign"+q, http.StatusOK, &c)
	type key struct{ dim, value, week string }
	want := map[key]store.Count{{"all", "", ""}: c.Count}
	for _, w := range c.Weeks {
		want[key{"week", "", w.Week}] = w.Count
	}
	for dim, rows := range c.By {
		for _, r := range rows {
			v := r.Value
			if strings.HasPrefix(v, "=") {
				v = "'" + v
			}
			want[key{dim, v, ""}] = r.Count
			for _, w := range r.Weekly {
				want[key{dim, v, w.Week}] = w.Count
			}
		}
	}
	if len(recs)-1 != len(want) {
		t.Errorf("%d rows, want %d", len(recs)-1, len(want))
	}
	sawFormula := false
	for i, rec := range recs[1:] {
		if len(rec) != 6 {
			t.Fatalf("row %d: %d fields", i+1, len(rec))
		}
		k := key{rec[0], rec[1], rec[2]}
		n, ok := want[k]
		if !ok {
			t.Errorf("row %d %v not in the JSON answer", i+1, rec)
			continue
		}
		total, err1 := strconv.Atoi(rec[3])
		risky, err2 := strconv.Atoi(rec[4])
		rate, err3 := strconv.ParseFloat(rec[5], 64)
		if err1 != nil || err2 != nil || err3 != nil || total != n.Total || risky != n.Risky || rate-n.Rate > 0.00005 || n.Rate-rate > 0.00005 {
			t.Errorf("row %d %v, want %+v", i+1, rec, n)
		}
		sawFormula = sawFormula || rec[1] == "'=cmd|calc"
	}
	if !sawFormula {
		t.Error("the formula-like site name was not neutralised")
	}
}

func TestNiceMax(t *testing.T) {
	for _, tt := range []struct{ in, want int }{{0, 4}, {3, 4}, {5, 8}, {9, 20}, {21, 40}, {41, 80}, {81, 200}, {999, 2000}} {
		if got := niceMax(tt.in); got != tt.want {
			t.Errorf("niceMax(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// FuzzCampaignPeriod checks that any query either gives a valid period
// (from ≤ to, at most store.MaxCampaignDays) or an error, never a panic.
func FuzzCampaignPeriod(f *testing.F) {
	for _, s := range []string{"", "from=2025-01-01&to=2025-03-31", "preset=4w", "preset=52w&from=x", "to=2025-02-30", "from=9999-12-31",
		"from=0001-01-01&to=0001-01-02", "to=2025-01-01&from=2024-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := campaignPeriod(q, campaignNow, campaignNow.AddDate(0, 0, -400))
		if err != nil {
			return
		}
		if p.To.Before(p.From) || p.Days() > store.MaxCampaignDays || len(p.Weeks()) > store.MaxCampaignDays/7+2 {
			t.Errorf("%q gave %v..%v", raw, p.From, p.To)
		}
	})
}

// TestCampaignPeriodDefaultsToNewestData checks that the default period
// ends at the newest ads when they are older than today, and at today
// otherwise; an explicit period is kept as asked.
func TestCampaignPeriodDefaultsToNewestData(t *testing.T) {
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) // a Monday
	old := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)  // a Thursday
	for _, tc := range []struct {
		name, query      string
		latest           time.Time
		wantFrom, wantTo string
	}{
		{"no data", "", time.Time{}, "2026-09-14", "2026-11-30"},
		{"fresh data", "", now.AddDate(0, 0, -1), "2026-09-14", "2026-11-30"},
		{"old data", "", old, "2025-09-01", "2025-11-20"},
		{"old data, preset", "preset=4w", old, "2025-10-27", "2025-11-20"},
		{"explicit period", "from=2026-01-01&to=2026-02-01", old, "2026-01-01", "2026-02-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			p, err := campaignPeriod(q, now, tc.latest)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.From.Format("2006-01-02") + ".." + p.To.Format("2006-01-02"); got != tc.wantFrom+".."+tc.wantTo {
				t.Errorf("period %s, want %s..%s", got, tc.wantFrom, tc.wantTo)
			}
		})
	}
}
