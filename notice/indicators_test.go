package notice

import (
	"strings"
	"testing"

	"github.com/lurewatch/lure/rules"
)

func TestItemIndicators(t *testing.T) {
	q := func(texts ...string) []Quote {
		var out []Quote
		for _, s := range texts {
			out = append(out, Quote{Field: "body", Text: s})
		}
		return out
	}
	combo := func(rule string) bool { return strings.HasPrefix(rule, "c.") }
	got := itemIndicators([]Rule{
		{Rule: "c.x", Signal: "risky_title", Quotes: q("hostess", "girls 18-25")},
		{Rule: "a", Signal: "looks_filter", Quotes: q("girls 18-25")},
		{Rule: "b", Signal: "looks_filter", Quotes: q("nice looks", "girls 18-25")},
		{Rule: "c", Signal: "messenger_only"},
		{Rule: "d", Signal: "some_new_signal", Quotes: q("x")},
		{Rule: "e", Quotes: q("hostess")},
	}, combo)
	want := []Indicator{
		{Name: "applicants chosen by sex, age or looks", Quotes: []string{"girls 18-25", "nice looks"}},
		{Name: "contact by messenger only", Quotes: []string{}},
		{Name: "some new signal", Quotes: []string{"x"}},
		{Name: "other indicator", Quotes: []string{"hostess"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Name != want[i].Name || strings.Join(got[i].Quotes, "|") != strings.Join(want[i].Quotes, "|") {
			t.Errorf("indicator %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestIndicatorNamesCoverEverySignal checks that every positive signal
// of the rule packs has a plain name for notices.
func TestIndicatorNamesCoverEverySignal(t *testing.T) {
	for _, s := range rules.PositiveSignals {
		if indicatorNames[s] == "" {
			t.Errorf("signal %s has no indicator name", s)
		}
	}
}
