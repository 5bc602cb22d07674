package classifier

import (
	"slices"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// TestScoreEvasion checks that evasion variants of the same risky phrases
// fire the same rules, with evidence in the original text.
func TestScoreEvasion(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		name, lang, text string
		rules            []string
		dests            []string
	}{
		{"transliterated russian", "ru", "Rabota za granicey dlya devushek, vysokaya zarplata, bez opyta",
			[]string{"ru.work_abroad", "ru.for_girls", "ru.high_pay", "ru.no_experience"}, nil},
		{"transliterated destination", "", "Priglashaem devushek, rabota v Turcii", []string{"ru.for_girls"}, []string{"TR"}},
		{"transliterated ukrainian", "uk", "Shukayemo divchat, robota za kordonom, bez dosvidu", []string{"uk.for_girls", "uk.work_abroad", "uk.no_experience"}, nil},
		{"flag emoji", "ru", "Работа 🇦🇪 официантки, 🇹🇷 тоже", nil, []string{"AE", "TR"}},
		{"dancer emoji", "ru", "Требуются 💃 в клуб, 💰💰💰", []string{"en.risky_title"}, nil},
		{"greek and latin look-alikes", "ru", "Pαбοтa зa грaницей", []string{"ru.work_abroad"}, nil},
		{"spaced word before a preposition", "ru", "р а б о т а в Турции", nil, []string{"TR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ad.Ad{V: 1, ID: "e", Site: "s", Kind: ad.KindJob, Lang: tt.lang, Body: tt.text}
			v := c.Score(t.Context(), a)
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
			checkHits(t, a, v)
		})
	}
}

// TestTranslitOnlyForCyrillicLanguages checks that English text is not
// read as transliterated Russian.
func TestTranslitOnlyForCyrillicLanguages(t *testing.T) {
	c := newDefault(t)
	v := c.Score(t.Context(), ad.Ad{V: 1, ID: "e", Site: "s", Kind: ad.KindJob, Lang: "en", Body: "Rabota za granicey dlya devushek"})
	for _, h := range v.Hits {
		if h.Rule == "ru.work_abroad" {
			t.Errorf("transliteration ran on an English ad: %v", v.Hits)
		}
	}
}
