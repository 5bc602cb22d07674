package dashboard

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

// TestAimCSV exports where to aim, parses the CSV back and compares it
// with the JSON answer: header, every row and field, the page's redacted
// wordings, neutralised formulas and no personal data.
func TestAimCSV(t *testing.T) {
	f := campaignFixture(t)
	for _, q := range []string{"?from=2025-03-01&to=2025-03-31", "?from=2025-01-01&to=2025-03-31&sort=growth&limit=2"} {
		t.Run(q, func(t *testing.T) {
			resp, body := f.get(t, "/stats/aim.csv"+q)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("GET = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="lure-aim-2025-0`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			for _, p := range personal {
				if strings.Contains(body, p) {
					t.Errorf("the CSV contains %q", p)
				}
			}
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(recs[0], ","); got != "dimension,rank,value,total,risky,rate,previous,change,growth,wording,wording_count" {
				t.Fatalf("header %s", got)
			}
			var a store.Aim
			f.getJSON(t, "/api/v1/campaign/aim"+q, http.StatusOK, &a)
			var want [][]string
			sawWording := false
			for _, d := range []struct {
				dim  string
				rows []store.AimRow
			}{{"site", a.Sites}, {"region", a.Regions}} {
				for i, r := range d.rows {
					v := r.Value
					if strings.HasPrefix(v, "=") {
						v = "'" + v
					}
					growth := ""
					if r.Growth != nil {
						growth = strconv.FormatFloat(*r.Growth, 'f', 4, 64)
					}
					row := []string{d.dim, strconv.Itoa(i + 1), v, strconv.Itoa(r.Total), strconv.Itoa(r.Risky),
						strconv.FormatFloat(r.Rate, 'f', 4, 64), strconv.Itoa(r.Previous), strconv.Itoa(r.Change), growth}
					if len(r.Wordings) == 0 {
						want = append(want, append(row, "", ""))
					}
					for _, w := range r.Wordings {
						want = append(want, append(append([]string{}, row...), w.Text, strconv.Itoa(w.Count)))
						sawWording = sawWording || w.Text == "пишите [name] [phone]"
					}
				}
			}
			if !sawWording {
				t.Fatal("the JSON answer has no redacted wording to compare")
			}
			if len(recs)-1 != len(want) {
				t.Fatalf("%d rows, want %d:\n%s", len(recs)-1, len(want), body)
			}
			for i, rec := range recs[1:] {
				if strings.Join(rec, "\x00") != strings.Join(want[i], "\x00") {
					t.Errorf("row %d = %q, want %q", i+1, rec, want[i])
				}
			}
			// The page links the export with its period and order.
			_, page := f.get(t, "/stats/aim"+q)
			u, _ := url.ParseQuery(strings.TrimPrefix(q, "?"))
			link := "/stats/aim.csv?" + strings.ReplaceAll(url.Values{"from": {a.From}, "to": {a.To}}.Encode(), "&", "&amp;")
			if u.Get("sort") == "growth" {
				link += "&amp;sort=growth"
			}
			if !strings.Contains(page, `href="`+link+`"`) {
				t.Errorf("the aim page does not link %s", link)
			}
		})
	}
	t.Run("formula", func(t *testing.T) {
		_, body := f.get(t, "/stats/aim.csv?from=2025-03-01&to=2025-03-31")
		if !strings.Contains(body, ",'=cmd|calc,") || strings.Contains(body, ",=cmd") {
			t.Errorf("the formula-like site name was not neutralised:\n%s", body)
		}
	})
	t.Run("bad parameter", func(t *testing.T) {
		if resp, _ := f.get(t, "/stats/aim.csv?sort=random"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("sort=random = %d, want 400", resp.StatusCode)
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		f.as = ""
		defer func() { f.as = auth.Viewer }()
		if resp, body := f.get(t, "/stats/aim.csv"); resp.StatusCode == http.StatusOK && strings.Contains(body, "dimension,rank") {
			t.Errorf("anonymous export = %d", resp.StatusCode)
		}
	})
}

// TestStatsLinksKeepThePeriod checks that the export and cross links of
// the campaign pages carry the shown period as a real query string.
func TestStatsLinksKeepThePeriod(t *testing.T) {
	f := campaignFixture(t)
	const period = "from=2025-03-01&amp;to=2025-03-31"
	for page, links := range map[string][]string{
		"/stats/campaign": {"/stats/campaign.csv?" + period, "/api/v1/campaign?" + period, "/stats/aim?" + period},
		"/stats/aim":      {"/stats/aim.csv?" + period, "/api/v1/campaign/aim?" + period, "/stats/campaign?" + period},
	} {
		t.Run(page, func(t *testing.T) {
			resp, body := f.get(t, page+"?from=2025-03-01&to=2025-03-31")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET = %d", resp.StatusCode)
			}
			for _, l := range links {
				if !strings.Contains(body, `href="`+l+`"`) {
					t.Errorf("no link to %s", l)
				}
			}
		})
	}
}
