package classifier

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

type fixture struct {
	Name    string `json:"name"`
	Flag    bool   `json:"flag"`
	Kind    string `json:"kind"`
	Lang    string `json:"lang"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Salary  string `json:"salary"`
	Loc     string `json:"location"`
	Contact string `json:"contact"`
}

func (f fixture) ad() ad.Ad {
	a := ad.Ad{V: ad.Version, Site: "test", URL: "https://example.test/" + f.Name, Kind: ad.Kind(f.Kind), Lang: f.Lang,
		Title: f.Title, Body: f.Body, Salary: f.Salary, Location: f.Loc, Contact: f.Contact}
	a.ID, _ = ad.MakeID(a.Site, a.URL)
	a.ContentHash = a.Hash()
	return a
}

func loadAds(t testing.TB) []fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/ads.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func newDefault(t testing.TB) *Classifier {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScoreAds(t *testing.T) {
	c := newDefault(t)
	ctx := context.Background()
	for _, f := range loadAds(t) {
		t.Run(f.Name, func(t *testing.T) {
			a := f.ad()
			v := c.Score(ctx, a)
			if v.Flagged != f.Flag {
				t.Errorf("flagged = %v, want %v\n%s", v.Flagged, f.Flag, c.Explain(v))
			}
			if f.Flag && v.Band == ad.BandLow || !f.Flag && v.Band == ad.BandHigh {
				t.Errorf("band %s for flag=%v", v.Band, f.Flag)
			}
			if err := v.Validate(); err != nil {
				t.Fatal(err)
			}
			if v.RulePack != c.Pack().Version || v.V != ad.Version || v.Ad.ID != a.ID {
				t.Errorf("verdict header: %+v", v)
			}
			checkHits(t, a, v)
			again := c.Score(ctx, a)
			b1, _ := json.Marshal(v)
			b2, _ := json.Marshal(again)
			if string(b1) != string(b2) {
				t.Errorf("not deterministic:\n%s\n%s", b1, b2)
			}
		})
	}
}

// checkHits verifies order and that evidence cuts the original text.
func checkHits(t *testing.T, a ad.Ad, v ad.Verdict) {
	t.Helper()
	ok := slices.IsSortedFunc(v.Hits, func(x, y ad.Hit) int {
		ax, ay := abs(x.Weight), abs(y.Weight)
		switch {
		case ax > ay:
			return -1
		case ax < ay:
			return 1
		}
		return strings.Compare(x.Rule, y.Rule)
	})
	if !ok {
		t.Errorf("hits not sorted by |weight| then id: %v", v.Hits)
	}
	for _, h := range v.Hits {
		if len(h.Evidence) == 0 {
			t.Errorf("hit %s without evidence", h.Rule)
		}
		for _, e := range h.Evidence {
			orig := a.Field(e.Field)
			if e.Start < 0 || e.End > len(orig) || e.Start >= e.End {
				t.Fatalf("hit %s: span %+v outside %s (%d bytes)", h.Rule, e, e.Field, len(orig))
			}
			if orig[e.Start:e.End] != e.Text || !utf8.ValidString(e.Text) {
				t.Errorf("hit %s: span text %q is not original[%d:%d]", h.Rule, e.Text, e.Start, e.End)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestScoreSignals(t *testing.T) {
	c := newDefault(t)
	byName := map[string]fixture{}
	for _, f := range loadAds(t) {
		byName[f.Name] = f
	}
	tests := []struct {
		ad    string
		rules []string
		dests []string
	}{
		{"ru_girls_abroad_debt", []string{"ru.debt_travel", "ru.looks", "f.pay_far_above", "f.young_age_limit", "f.messenger_only", "c.pay_noexp_abroad"}, nil},
		{"ru_hostess_turkey", []string{"ru.risky_title", "ru.tourist_visa", "c.looks_title_abroad", "f.pay_far_above", "c.debt_bondage"}, []string{"TR"}},
		{"ro_dancers_cyprus", []string{"ro.risky_title", "ro.debt_travel", "c.looks_title_abroad", "f.young_age_limit"}, []string{"CY"}},
		{"en_webcam_dubai", []string{"en.passport_held", "en.debt_travel", "f.pay_far_above", "c.looks_title_abroad"}, []string{"AE"}},
		{"evasion_lookalikes", []string{"ru.work_abroad", "ru.high_pay", "ru.no_experience", "ru.debt_travel", "ru.tourist_visa"}, nil},
		{"ru_ngo_warning", []string{"ru.awareness", "any.ngo"}, nil},
		{"en_it_berlin", []string{"en.skilled_job", "en.named_employer"}, []string{"DE"}},
	}
	for _, tt := range tests {
		t.Run(tt.ad, func(t *testing.T) {
			v := c.Score(context.Background(), byName[tt.ad].ad())
			var got []string
			for _, h := range v.Hits {
				got = append(got, h.Rule)
			}
			for _, r := range tt.rules {
				if !slices.Contains(got, r) {
					t.Errorf("rule %s did not fire; got %v", r, got)
				}
			}
			for _, d := range tt.dests {
				if !slices.Contains(v.Entities.Destinations, d) {
					t.Errorf("destination %s missing: %v", d, v.Entities.Destinations)
				}
			}
		})
	}
}

func TestScoreKindFilter(t *testing.T) {
	c := newDefault(t)
	text := "Познакомим с иностранцем, бесплатная поездка"
	for _, tt := range []struct {
		kind ad.Kind
		want bool
	}{{ad.KindMarriage, true}, {ad.KindOther, true}, {ad.KindJob, false}} {
		v := c.Score(context.Background(), ad.Ad{V: 1, ID: "k", Site: "s", Kind: tt.kind, Lang: "ru", Body: text})
		got := slices.ContainsFunc(v.Hits, func(h ad.Hit) bool { return h.Rule == "ru.marriage_travel" })
		if got != tt.want {
			t.Errorf("kind %s: ru.marriage_travel fired = %v, want %v", tt.kind, got, tt.want)
		}
	}
}

func TestScoreSiteHome(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{SiteHome: map[string][]string{"md-site": {"MD"}}})
	if err != nil {
		t.Fatal(err)
	}
	a := ad.Ad{V: 1, ID: "h", Site: "md-site", Kind: ad.KindJob, Lang: "ru", Body: "Работа в Москве, склад"}
	v := c.Score(context.Background(), a)
	if !slices.ContainsFunc(v.Hits, func(h ad.Hit) bool { return h.Rule == "f.foreign_destination" }) {
		t.Errorf("Moscow should be foreign for a Moldovan site: %v", v.Hits)
	}
	a.Site = "other"
	v = c.Score(context.Background(), a)
	if slices.ContainsFunc(v.Hits, func(h ad.Hit) bool { return h.Rule == "f.foreign_destination" }) {
		t.Errorf("Moscow should be home for a Russian ad: %v", v.Hits)
	}
}

func TestScoreEmptyAndHuge(t *testing.T) {
	c := newDefault(t)
	v := c.Score(context.Background(), ad.Ad{V: 1, ID: "e", Site: "s", Kind: ad.KindJob})
	if v.Flagged || len(v.Hits) != 0 || v.Band != ad.BandLow {
		t.Errorf("empty ad: %+v", v)
	}
	big := strings.Repeat("работа за границей для девушек 😀 ", 5000) // > MaxFieldBytes
	v = c.Score(context.Background(), ad.Ad{V: 1, ID: "b", Site: "s", Kind: ad.KindJob, Body: big})
	for _, h := range v.Hits {
		for _, e := range h.Evidence {
			if e.End > ad.MaxFieldBytes {
				t.Fatalf("evidence beyond the field limit: %+v", e)
			}
		}
	}
	if len(v.Hits) == 0 {
		t.Error("no hits on a long risky ad")
	}
}

func TestNewRejectsSharedPattern(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Rule("uk.risky_title")
	r.Patterns = append(r.Patterns, "Хостес") // also in ru.risky_title, same signal
	if _, err := New(p, Options{}); err == nil || !strings.Contains(err.Error(), "same signal") {
		t.Fatalf("err = %v, want a shared-pattern error", err)
	}
}

func TestExplain(t *testing.T) {
	c := newDefault(t)
	f := loadAds(t)[0]
	v := c.Score(context.Background(), f.ad())
	out := c.Explain(v)
	for _, want := range []string{"flagged", "ru.debt_travel", "Travel, visa or housing advanced", `"в счёт зарплаты"`, c.Pack().Version} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "@euro_work_girls") == false {
		t.Errorf("explanation should list handles:\n%s", out)
	}
}

func TestCheckExamplesReportsFailures(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Rule("ru.work_abroad")
	r.Examples.Silent = append(r.Examples.Silent, "Работа за границей")
	r.Examples.Fire = append(r.Examples.Fire, "Работа в Москве")
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fails := c.CheckExamples(context.Background())
	if len(fails) != 2 {
		t.Fatalf("got %d failures, want 2: %v", len(fails), fails)
	}
	for _, f := range fails {
		if f.Rule != "ru.work_abroad" || f.Error() == "" {
			t.Errorf("unexpected failure %v", f)
		}
	}
}

func TestExplainColour(t *testing.T) {
	c := newDefault(t)
	f := loadAds(t)[0]
	v := c.Score(context.Background(), f.ad())
	col := c.ExplainColour(v)
	for _, want := range []string{"\x1b[31m", "\x1b[1m", "\x1b[0m", "ru.debt_travel"} {
		if !strings.Contains(col, want) {
			t.Errorf("coloured explanation lacks %q:\n%q", want, col)
		}
	}
	if strings.Contains(c.Explain(v), "\x1b[") {
		t.Error("plain explanation has colour escapes")
	}
}

// TestCountingPolicy checks that one piece of text counts once per
// signal: rules of the same signal whose evidence overlaps a stronger
// counted rule are listed with weight 0, and separate evidence still adds.
func TestCountingPolicy(t *testing.T) {
	c := newDefault(t)
	sum := func(v ad.Verdict, signal string) (w float64, n int) {
		for _, h := range v.Hits {
			if h.Signal == signal {
				w += h.Weight
				n++
			}
		}
		return w, n
	}
	v := c.Score(t.Context(), ad.Ad{V: 1, ID: "m", Site: "s", Kind: ad.KindJob, Lang: "ru", Body: "Подробности только в телеграм @best_jobs_eu"})
	if w, n := sum(v, "messenger_only"); n < 2 || w != 0.8 {
		t.Errorf("messenger_only: %d hits weighing %v, want 2+ hits counted once at 0.8: %+v", n, w, v.Hits)
	}
	z := c.Pack().Model.Bias
	for _, h := range v.Hits {
		z += h.Weight
	}
	if want := math.Round(10000/(1+math.Exp(-z))) / 100; v.Score != want {
		t.Errorf("score %v is not the logistic of the listed weights (%v)", v.Score, want)
	}
	// Distinct evidence of one signal adds up.
	v = c.Score(t.Context(), ad.Ad{V: 1, ID: "l", Site: "s", Kind: ad.KindJob, Lang: "ru", Body: "Приглашаем девушек. Требования: приятная внешность, фото в полный рост"})
	if w, _ := sum(v, "looks_filter"); w < 1.5 {
		t.Errorf("looks_filter weight %v: separate phrases should add up: %+v", w, v.Hits)
	}
}

// Explain says why a hit adds nothing, in the words of NotCounted, and
// only for hits that add nothing.
func TestExplainNotCounted(t *testing.T) {
	c := newDefault(t)
	v := ad.Verdict{Band: ad.BandHigh, RulePack: c.Pack().Version, Hits: []ad.Hit{
		{Rule: "x.counted", Weight: 1.5}, {Rule: "x.dup", Weight: 0},
		{Rule: "x.quoted", Quoted: true}, {Rule: "x.reassuring", Weight: -0.5},
	}}
	want := map[string]string{
		"x.counted": "", "x.reassuring": "",
		"x.dup":    "same evidence as a stronger rule of this signal",
		"x.quoted": "quoted by a text that reports or warns",
	}
	lines := strings.Split(c.Explain(v), "\n")
	for _, h := range v.Hits {
		if got := NotCounted(h); got != want[h.Rule] {
			t.Errorf("NotCounted(%s) = %q, want %q", h.Rule, got, want[h.Rule])
		}
		found := false
		for _, l := range lines {
			if !strings.Contains(l, " "+h.Rule+" ") {
				continue
			}
			found = true
			if why := want[h.Rule]; why != "" && !strings.HasSuffix(l, "(not counted: "+why+")") {
				t.Errorf("explain line of %s = %q, want the reason %q", h.Rule, l, why)
			} else if why == "" && strings.Contains(l, "not counted") {
				t.Errorf("explain line of counted %s = %q", h.Rule, l)
			}
		}
		if !found {
			t.Errorf("explanation lacks %s", h.Rule)
		}
	}
}
