package dashboard

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
)

// hitRowHTML returns the row of rule in the ad page's table of hits.
func hitRowHTML(t *testing.T, body, rule string) string {
	t.Helper()
	i := strings.Index(body, "<code>"+rule+"</code>")
	if i < 0 {
		t.Fatalf("ad page lists no rule %s", rule)
	}
	row := body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

// Rules counted 0 say why, in the words of lure score --explain.
func TestAdPageSaysWhyRuleNotCounted(t *testing.T) {
	v := mkVerdict(t, "z1", 85, true, ad.Ad{Lang: "ru", Title: "Хостес", Body: "Билеты и визу оплачиваем. Он пишет: «работа для девушек»."},
		"ru.free-travel|free_travel|body|Билеты и визу оплачиваем",
		"ru.tickets|free_travel|body|Билеты",
		"ru.young-women|young_women|body|работа для девушек",
		"ru.neg|official|body|пишет")
	v.Hits[1].Weight = 0
	v.Hits[2].Weight, v.Hits[2].Quoted = 0, true
	v.Hits[3].Weight = -0.5
	f := newFixture(t, Options{}, v)
	_, body := f.get(t, "/ads/z1")
	for rule, want := range map[string]string{
		"ru.tickets":     "not counted: same evidence as a stronger rule of this signal",
		"ru.young-women": "not counted: quoted by a text that reports or warns",
	} {
		if row := hitRowHTML(t, body, rule); !strings.Contains(row, want) {
			t.Errorf("row of %s lacks %q:\n%s", rule, want, row)
		}
	}
	notCounted := regexp.MustCompile(`not counted`)
	for _, rule := range []string{"ru.free-travel", "ru.neg"} {
		if row := hitRowHTML(t, body, rule); notCounted.MatchString(row) {
			t.Errorf("counted rule %s is said not counted:\n%s", rule, row)
		}
	}
}

// Hits of a learned text model are marked as learned, with their evidence.
func TestAdPageShowsLearnedHits(t *testing.T) {
	v := mkVerdict(t, "z2", 70, true, ad.Ad{Lang: "en", Title: "Job", Body: "We arrange your visa."},
		"en.visa|free_travel|body|arrange your visa")
	v.Hits = append(v.Hits, ad.Hit{Rule: classifier.TextWordRule, Weight: 0.8, Signal: classifier.LearnedSignal, Learned: true,
		Evidence: []ad.Span{{Field: ad.FieldBody, Start: 16, End: 20, Text: "visa"}}})
	f := newFixture(t, Options{}, v)
	_, body := f.get(t, "/ads/z2")
	row := hitRowHTML(t, body, classifier.TextWordRule)
	for _, want := range []string{"learned", "words the text model weighs", "visa"} {
		if !strings.Contains(row, want) {
			t.Errorf("row of the learned hit lacks %q:\n%s", want, row)
		}
	}
}
