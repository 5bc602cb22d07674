package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/redact"
)

func day0(s string) time.Time {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		panic(err)
	}
	return t.Add(10 * time.Hour)
}

// campaignAd is one seeded ad: posted on day (crawled when posted is "").
type campaignAd struct {
	id, site, region, category, dest, posted, crawled string
	flagged                                           bool
	evidence                                          []string
}

var campaignAds = []campaignAd{
	{id: "a1", site: "s1", region: "MD/Chișinău", category: "hostess_entertainment", dest: "TR", posted: "2025-03-03", flagged: true,
		evidence: []string{"Работа в Турции, пишите Кристине +373 68 000 111", "опыт не нужен"}},
	{id: "a2", site: "s1", region: "MD/Chișinău", category: "construction", posted: "2025-03-04"},
	{id: "a3", site: "s2", region: "UA/Kyiv", category: "hostess_entertainment", dest: "TR", posted: "2025-03-12", flagged: true,
		evidence: []string{"Опыт НЕ нужен", "только  в telegram"}},
	{id: "a4", site: "s2", region: "UA/Kyiv", category: "agriculture", dest: "PL", posted: "2025-03-23", flagged: true,
		evidence: []string{"опыт не нужен"}},
	{id: "c1", site: "s1", category: "other", crawled: "2025-03-14"},
	{id: "out", site: "s1", category: "other", posted: "2025-03-24", flagged: true},
	{id: "p1", site: "s3", region: "MD/Chișinău", category: "hostess_entertainment", posted: "2025-02-20", flagged: true},
	{id: "p2", site: "s2", region: "UA/Kyiv", category: "hostess_entertainment", posted: "2025-03-02", flagged: true},
	{id: "p3", site: "s2", region: "UA/Kyiv", category: "hostess_entertainment", posted: "2025-02-11", flagged: true},
	{id: "old", site: "s2", region: "UA/Kyiv", category: "other", posted: "2025-02-09", flagged: true},
}

func seedCampaign(t *testing.T, s *Store) {
	t.Helper()
	for _, c := range campaignAds {
		score := 20.0
		if c.flagged {
			score = 80
		}
		v := verdict(c.id, c.site, score, c.flagged, day0("2025-04-01"))
		v.Ad.Crawled = time.Time{}
		if c.posted != "" {
			v.Ad.Posted = day0(c.posted)
		} else {
			v.Ad.Crawled = day0(c.crawled)
		}
		v.Ad.ContentHash = v.Ad.Hash()
		v.Entities.Region, v.Entities.Category = c.region, c.category
		if c.dest != "" {
			v.Entities.Destinations = []string{c.dest}
		}
		v.Hits = []ad.Hit{{Rule: "t.high_pay", Weight: 1, Signal: "high_pay"},
			{Rule: "t.contact", Weight: 1, Signal: "messenger_only", Evidence: []ad.Span{{Field: ad.FieldContact, Text: "@secret_handle"}}},
			{Rule: "t.licensed", Weight: -1, Signal: "licensed", Evidence: []ad.Span{{Field: ad.FieldBody, Text: "лицензия"}}},
			{Rule: "t.place", Weight: 1, Signal: "destination", Evidence: []ad.Span{{Field: ad.FieldBody, Text: "Турции"}}}}
		for _, e := range c.evidence {
			v.Hits[0].Evidence = append(v.Hits[0].Evidence, ad.Span{Field: ad.FieldBody, Text: e})
		}
		v.Hits[0].Evidence = append(v.Hits[0].Evidence, ad.Span{Field: ad.FieldBody, Text: "Турции"}) // as a combination rule has it
		if _, err := s.Upsert(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
}

func mustPeriod(t *testing.T, from, to string) Period {
	t.Helper()
	p, err := NewPeriod(day0(from), day0(to))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wc(week string, total, risky int) WeekCount {
	return WeekCount{Week: week, Count: Count{Total: total, Risky: risky, Rate: rate(risky, total)}}
}

func TestCampaign(t *testing.T) {
	s, _ := openTemp(t)
	seedCampaign(t, s)
	c, err := s.Campaign(context.Background(), mustPeriod(t, "2025-03-03", "2025-03-23"))
	if err != nil {
		t.Fatal(err)
	}
	if c.From != "2025-03-03" || c.To != "2025-03-23" || c.Total != 5 || c.Risky != 3 || c.Rate != 0.6 {
		t.Errorf("totals = %s..%s %+v, want 5 ads, 3 risky, rate 0.6", c.From, c.To, c.Count)
	}
	wantWeeks := []WeekCount{wc("2025-03-03", 2, 1), wc("2025-03-10", 2, 1), wc("2025-03-17", 1, 1)}
	if !reflect.DeepEqual(c.Weeks, wantWeeks) {
		t.Errorf("weeks = %+v\nwant %+v", c.Weeks, wantWeeks)
	}
	type row struct {
		value        string
		total, risky int
	}
	want := map[string][]row{
		DimSite:        {{"s2", 2, 2}, {"s1", 3, 1}},
		DimRegion:      {{"UA/Kyiv", 2, 2}, {"MD/Chișinău", 2, 1}, {"", 1, 0}},
		DimCategory:    {{"hostess_entertainment", 2, 2}, {"agriculture", 1, 1}, {"construction", 1, 0}, {"other", 1, 0}},
		DimDestination: {{"TR", 2, 2}, {"PL", 1, 1}},
		DimSignal:      {{"destination", 5, 3}, {"high_pay", 5, 3}, {"licensed", 5, 3}, {"messenger_only", 5, 3}},
		DimLang:        {{"ru", 5, 3}},
	}
	for _, dim := range Dims {
		t.Run(dim, func(t *testing.T) {
			var got []row
			for _, r := range c.By[dim] {
				got = append(got, row{r.Value, r.Total, r.Risky})
				if len(r.Weekly) != 3 {
					t.Errorf("%s: %d weekly entries, want 3", r.Value, len(r.Weekly))
				}
				sum := 0
				for _, w := range r.Weekly {
					sum += w.Total
				}
				if sum != r.Total {
					t.Errorf("%s: weekly totals add to %d, want %d", r.Value, sum, r.Total)
				}
			}
			w := want[dim]
			if dim == DimSignal { // equal counts: by value
				w = []row{{"destination", 5, 3}, {"high_pay", 5, 3}, {"licensed", 5, 3}, {"messenger_only", 5, 3}}
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s = %v\nwant %v", dim, got, w)
			}
		})
	}
	kyiv := c.By[DimRegion][0]
	if !reflect.DeepEqual(kyiv.Weekly, []WeekCount{wc("2025-03-03", 0, 0), wc("2025-03-10", 1, 1), wc("2025-03-17", 1, 1)}) {
		t.Errorf("Kyiv weekly = %+v", kyiv.Weekly)
	}
}

func TestCampaignPartialWeeks(t *testing.T) {
	s, _ := openTemp(t)
	seedCampaign(t, s)
	// Wednesday to Tuesday: two weeks touched, only in-period days count.
	c, err := s.Campaign(context.Background(), mustPeriod(t, "2025-03-05", "2025-03-11"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []WeekCount{wc("2025-03-03", 0, 0), wc("2025-03-10", 0, 0)}; !reflect.DeepEqual(c.Weeks, want) {
		t.Errorf("weeks = %+v, want %+v", c.Weeks, want)
	}
	c, err = s.Campaign(context.Background(), mustPeriod(t, "2025-03-04", "2025-03-12"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []WeekCount{wc("2025-03-03", 1, 0), wc("2025-03-10", 1, 1)}; !reflect.DeepEqual(c.Weeks, want) {
		t.Errorf("weeks = %+v, want %+v", c.Weeks, want)
	}
}

func TestNewPeriod(t *testing.T) {
	tests := []struct {
		name, from, to string
		ok             bool
		days           int
	}{
		{"one day", "2025-03-03", "2025-03-03", true, 1},
		{"twelve weeks", "2025-01-06", "2025-03-30", true, 84},
		{"reversed", "2025-03-04", "2025-03-03", false, 0},
		{"too long", "2020-01-01", "2025-01-01", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPeriod(day0(tt.from), day0(tt.to))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if tt.ok && p.Days() != tt.days {
				t.Errorf("days = %d, want %d", p.Days(), tt.days)
			}
		})
	}
	p := mustPeriod(t, "2025-03-03", "2025-03-23")
	if prev := p.Previous(); prev.From.Format(dayLayout) != "2025-02-10" || prev.To.Format(dayLayout) != "2025-03-02" {
		t.Errorf("previous = %v", prev)
	}
}

func TestAim(t *testing.T) {
	s, _ := openTemp(t)
	seedCampaign(t, s)
	p := mustPeriod(t, "2025-03-03", "2025-03-23")
	zero, minusOne := 0.0, -1.0
	type row struct {
		value                   string
		risky, previous, change int
		growth                  *float64
	}
	rows := func(rs []AimRow) []row {
		var out []row
		for _, r := range rs {
			out = append(out, row{r.Value, r.Risky, r.Previous, r.Change, r.Growth})
		}
		return out
	}
	tests := []struct {
		name             string
		opts             AimOptions
		sites, regions   []row
		wantWordingsOfS2 []Wording
	}{
		{"by volume", AimOptions{Redact: redact.String},
			[]row{{"s2", 2, 2, 0, &zero}, {"s1", 1, 0, 1, nil}, {"s3", 0, 1, -1, &minusOne}},
			[]row{{"UA/Kyiv", 2, 2, 0, &zero}, {"MD/Chișinău", 1, 1, 0, &zero}},
			[]Wording{{"опыт не нужен", 2}, {"только в telegram", 1}}},
		{"by growth", AimOptions{ByGrowth: true, Limit: 2, Redact: redact.String},
			[]row{{"s1", 1, 0, 1, nil}, {"s2", 2, 2, 0, &zero}},
			[]row{{"UA/Kyiv", 2, 2, 0, &zero}, {"MD/Chișinău", 1, 1, 0, &zero}},
			[]Wording{{"опыт не нужен", 2}, {"только в telegram", 1}}},
		{"no redactor, no wordings", AimOptions{},
			[]row{{"s2", 2, 2, 0, &zero}, {"s1", 1, 0, 1, nil}, {"s3", 0, 1, -1, &minusOne}},
			[]row{{"UA/Kyiv", 2, 2, 0, &zero}, {"MD/Chișinău", 1, 1, 0, &zero}},
			[]Wording{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.Aim(context.Background(), p, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if a.PrevFrom != "2025-02-10" || a.PrevTo != "2025-03-02" {
				t.Errorf("previous period %s..%s", a.PrevFrom, a.PrevTo)
			}
			if got := rows(a.Sites); !reflect.DeepEqual(got, tt.sites) {
				t.Errorf("sites = %v\nwant %v", got, tt.sites)
			}
			if got := rows(a.Regions); !reflect.DeepEqual(got, tt.regions) {
				t.Errorf("regions = %v\nwant %v", got, tt.regions)
			}
			for _, r := range a.Sites {
				if r.Value == "s2" && !reflect.DeepEqual(r.Wordings, tt.wantWordingsOfS2) {
					t.Errorf("s2 wordings = %v, want %v", r.Wordings, tt.wantWordingsOfS2)
				}
				if r.Value == "s1" && tt.opts.Redact != nil {
					want := []Wording{{"опыт не нужен", 1}, {"работа в турции, пишите [name] [phone]", 1}}
					if !reflect.DeepEqual(r.Wordings, want) {
						t.Errorf("s1 wordings = %v, want %v", r.Wordings, want)
					}
				}
				for _, w := range r.Wordings {
					if strings.Contains(w.Text, "secret") || strings.Contains(w.Text, "лиценз") || w.Text == "турции" {
						t.Errorf("wording %q from a contact or negative hit", w.Text)
					}
				}
			}
		})
	}
}

// TestCampaignBackfill checks that the migration's back-fill gives the
// same rows as Upsert.
func TestCampaignBackfill(t *testing.T) {
	s, _ := openTemp(t)
	seedCampaign(t, s)
	ctx := context.Background()
	dump := func() string {
		rows, err := s.db.QueryContext(ctx, `SELECT ad_id, day, week, site || ' ' || lang || ' ' || flagged, region, category FROM ad_dims ORDER BY ad_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var x [6]string
			if err := rows.Scan(&x[0], &x[1], &x[2], &x[3], &x[4], &x[5]); err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Join(x[:], "|") + "\n")
		}
		return b.String()
	}
	before := dump()
	if !strings.Contains(before, "a4|2025-03-23|2025-03-17|s2 ru 1|UA/Kyiv|agriculture\n") ||
		!strings.Contains(before, "c1|2025-03-14|2025-03-10|s1 ru 0||other\n") {
		t.Errorf("ad_dims after Upsert:\n%s", before)
	}
	b, err := migrationFS.ReadFile("migrations/0007_campaign.sql")
	if err != nil {
		t.Fatal(err)
	}
	fill := string(b)[strings.Index(string(b), "INSERT OR REPLACE"):]
	if _, err := s.db.ExecContext(ctx, `DELETE FROM ad_dims`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, fill); err != nil {
		t.Fatal(err)
	}
	if after := dump(); after != before {
		t.Errorf("back-fill:\n%s\nUpsert:\n%s", after, before)
	}
}

func TestLatestCampaignDay(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if d, err := s.LatestCampaignDay(ctx); err != nil || !d.IsZero() {
		t.Fatalf("empty store: %v, %v; want zero time", d, err)
	}
	seedCampaign(t, s)
	d, err := s.LatestCampaignDay(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Format(dayLayout); got != "2025-03-24" {
		t.Errorf("latest day %s, want 2025-03-24 (ad \"out\")", got)
	}
}
