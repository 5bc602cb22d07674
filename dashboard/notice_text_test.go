package dashboard

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

// plainAd is a confirmed ad whose hits carry real rule IDs of the default
// pack: two direct rules, a feature rule whose description names model
// and wage-table internals, and a combination rule that repeats the
// direct rules' quotes.
func plainAd(t *testing.T) ad.Verdict {
	t.Helper()
	a := ad.Ad{V: ad.Version, ID: "plain1", Site: "rabota.example", URL: "https://rabota.example/ad/plain1", Kind: ad.KindJob,
		Lang: "ru", Title: "Официантки в Турцию", Body: "Паспорт хранится у работодателя. Билеты и виза в счет зарплаты.",
		Salary: "2000 $ в месяц", Crawled: t0, Snapshot: "sha256:" + strings.Repeat("e", 64)}
	a.ContentHash = a.Hash()
	span := func(field, text string) ad.Span {
		i := strings.Index(a.Field(field), text)
		if i < 0 {
			t.Fatalf("%q not in %s", text, field)
		}
		return ad.Span{Field: field, Start: i, End: i + len(text), Text: text}
	}
	passport, debt, pay := span("body", "Паспорт хранится у работодателя"), span("body", "в счет зарплаты"), span("salary", "2000 $ в месяц")
	return ad.Verdict{V: ad.Version, Ad: a, Score: 93, Band: ad.BandHigh, Flagged: true, RulePack: "test-1", ScoredAt: t0,
		Entities: ad.Entities{Destinations: []string{"TR"}},
		Hits: []ad.Hit{
			{Rule: "c.debt_bondage", Signal: "debt_travel", Weight: 1.0, Evidence: []ad.Span{passport, debt}},
			{Rule: "ru.passport_held", Signal: "documents_held", Weight: 2.0, Evidence: []ad.Span{passport}},
			{Rule: "ru.debt_travel", Signal: "debt_travel", Weight: 1.5, Evidence: []ad.Span{debt}},
			{Rule: "f.pay_ratio", Signal: "high_pay", Weight: 1.2, Evidence: []ad.Span{pay}},
			{Rule: "any.licence_number", Signal: "licensed", Weight: -1.5},
		}}
}

// TestNoticeSpeaksPlainLanguage checks that a notice, as the platform
// reads it in every format, names indicators in plain words, quotes the
// ad once, says where the ad sends people, and leaks no rule ID, rule
// file or model feature name.
func TestNoticeSpeaksPlainLanguage(t *testing.T) {
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := plainAd(t)
	f := newFixture(t, Options{Rules: pack, Notices: notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail}}, v)
	if _, err := f.store.Apply(context.Background(), store.Change{AdIDs: []string{v.Ad.ID}, Actor: "analyst1",
		Status: store.StatusConfirmed, Note: "Recruiter keeps passports"}); err != nil {
		t.Fatal(err)
	}
	n := draftAll(t, f)["rabota.example"]
	id := strconv.FormatInt(n.ID, 10)
	leaks := []string{"wages.yaml", ".yaml", "model.", "pay_ratio", "debt_bondage", "documents_held", "rule pack", "test-1"}
	for _, h := range v.Hits {
		leaks = append(leaks, h.Rule)
	}
	wants := []string{"identity documents held by the employer", "travel or visa costs to be paid back from wages",
		"Turkey", "Официантки в Турцию", "Recruiter keeps passports"}
	for _, p := range []string{"/notices/" + id, "/notices/" + id + "/print", "/notices/" + id + "/email.txt",
		"/notices/" + id + ".csv", "/notices/" + id + ".json", "/api/v1/notices/" + id} {
		t.Run(p, func(t *testing.T) {
			code, body := f.call(t, "GET", p, "", auth.Analyst)
			if code != 200 {
				t.Fatalf("= %d", code)
			}
			for _, leak := range leaks {
				if strings.Contains(body, leak) {
					t.Errorf("the notice shows %q to the platform", leak)
				}
			}
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("the notice lacks %q", want)
				}
			}
			// Each quote is said once (the combination rule repeats them;
			// the CSV and JSON formats have one field for it).
			for _, q := range []string{"Паспорт хранится у работодателя", "в счет зарплаты", "2000 $ в месяц"} {
				if c := strings.Count(body, q); c != 1 {
					t.Errorf("%q is quoted %d times, want once", q, c)
				}
			}
		})
	}
}

// TestNoticeAddressedToPlatform checks that a notice names the platform
// and its notice contact from the site's profile, in every format, and
// falls back to the site ID for a site without a platform name.
func TestNoticeAddressedToPlatform(t *testing.T) {
	f := noticeFixture(t, notice.Options{NotifierName: testNotifier, NotifierEmail: testEmail,
		Platforms: map[string]notice.Platform{"rabota.example": {Name: "Rabota Example", Contact: "https://rabota.example/dsa-form"}}}, nil)
	by := draftAll(t, f)
	cases := []struct {
		site, to, contact string
	}{
		{"rabota.example", "Rabota Example", "https://rabota.example/dsa-form"},
		{"locuri.example", "locuri.example", ""},
	}
	for _, c := range cases {
		t.Run(c.site, func(t *testing.T) {
			id := strconv.FormatInt(by[c.site].ID, 10)
			line := "To: " + c.to
			if c.contact != "" {
				line += ", " + c.contact
			}
			_, page := f.call(t, "GET", "/notices/"+id, "", auth.Analyst)
			_, print := f.call(t, "GET", "/notices/"+id+"/print", "", auth.Analyst)
			for name, body := range map[string]string{"page": page, "print": print} {
				if !strings.Contains(body, "Notice #"+id+" to "+c.to) && name == "page" {
					t.Errorf("%s heading does not name %q", name, c.to)
				}
				if !strings.Contains(body, `<th>To</th><td class="notice-to">`+c.to) {
					t.Errorf("%s To row does not name %q", name, c.to)
				}
				if c.contact != "" && !strings.Contains(body, `href="`+c.contact+`"`) {
					t.Errorf("%s does not link the notice form %s", name, c.contact)
				}
			}
			_, mail := f.call(t, "GET", "/notices/"+id+"/email.txt", "", auth.Analyst)
			if !strings.Contains(mail, "\n\n"+line+"\n") || !strings.Contains(mail, "on "+c.to+" [lure notice #"+id+"]") {
				t.Errorf("e-mail lacks %q or a subject naming %q:\n%.400s", line, c.to, mail)
			}
			_, js := f.call(t, "GET", "/notices/"+id+".json", "", auth.Analyst)
			var d notice.Document
			if err := json.Unmarshal([]byte(js), &d); err != nil {
				t.Fatal(err)
			}
			if d.To.Name != c.to || d.To.Contact != c.contact || d.Site != c.site {
				t.Errorf("json to = %+v, site %q", d.To, d.Site)
			}
			_, body := f.call(t, "GET", "/notices/"+id+".csv", "", auth.Analyst)
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(recs) < 2 {
				t.Fatalf("csv: %v", err)
			}
			if got := recs[1][slices.Index(recs[0], "to")]; got != c.to {
				t.Errorf("csv to = %q, want %q", got, c.to)
			}
			if got := recs[1][slices.Index(recs[0], "contact")]; got != c.contact {
				t.Errorf("csv contact = %q, want %q", got, c.contact)
			}
		})
	}
}
