package classifier

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

const scriptPack = `pack:
  name: t
  languages: [ka, hy, sr]
destinations:
  TR: [თურქეთ*, Թուրքիա*]
rules:
  - id: ka.work_abroad
    description: d
    signal: vague_offer
    langs: [ka]
    weight: 1
    patterns: [სამუშაო საზღვარგარეთ, ხელფასი*]
    examples: {fire: [სამუშაო საზღვარგარეთ], silent: [სამუშაო თბილისში]}
  - id: hy.work
    description: d
    signal: high_pay
    langs: [hy]
    weight: 1
    patterns: [աշխատանք*]
    examples: {fire: [աշխատանք], silent: [տուն]}
  - id: sr.passport
    description: d
    signal: documents_held
    langs: [sr]
    weight: 1
    patterns: [pasos ostaje kod poslodavca]
    regex: ['(?:pasos|dokument)\pL*(?: \pL+){0,3} (?:kod|uzima) (?:gazd|poslodav)\pL*']
    examples: {fire: [pasoš ostaje kod poslodavca, dokumente uzima gazda], silent: [pasoš je potreban]}
`

func scriptClassifier(t *testing.T) *Classifier {
	t.Helper()
	p, err := rules.Load(fstest.MapFS{"t.yaml": {Data: []byte(scriptPack)}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScriptViews(t *testing.T) {
	c := scriptClassifier(t)
	for _, tc := range []struct {
		name, lang, body string
		want             []string // rule ids
		evidence         string   // text of the first hit's first span
		dest             string
	}{
		{"georgian as typed, kh and gh", "ka", "Samushao sazghvargaret, kargi khelpasi, Turqetshi", []string{"ka.work_abroad"}, "Samushao sazghvargaret", "TR"},
		{"georgian typed with x and q", "ka", "samushao sazgvargaret xelfasi kargi", []string{"ka.work_abroad"}, "xelfasi", ""},
		{"georgian script still matches", "ka", "სამუშაო საზღვარგარეთ", []string{"ka.work_abroad"}, "სამუშაო საზღვარგარეთ", ""},
		{"armenian as typed", "hy", "Ashxatanq Turqiayum, lav ashxatavardz", []string{"hy.work"}, "Ashxatanq", "TR"},
		{"romanised forms stay out of other languages", "en", "Samushao sazghvargaret, ashxatanq", nil, "", ""},
		{"serbian cyrillic read in latin", "sr", "Пасош остаје код послодавца до краја сезоне", []string{"sr.passport"}, "Пасош остаје код послодавца", ""},
		{"serbian latin", "sr", "Pasoš ostaje kod poslodavca", []string{"sr.passport"}, "Pasoš ostaje kod poslodavca", ""},
		{"serbian cyrillic, regex", "sr", "Документе узима газда на почетку", []string{"sr.passport"}, "Документе узима газда", ""},
		{"cyrillic of another language is not serbian", "ru", "Пасош остаје код послодавца", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ad.Ad{V: ad.Version, ID: "x", Kind: ad.KindJob, Lang: tc.lang, Body: tc.body}
			v := c.Score(context.Background(), a)
			var ids []string
			for _, h := range v.Hits {
				ids = append(ids, h.Rule)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("hits %v, want %v", ids, tc.want)
			}
			if tc.evidence != "" {
				e := v.Hits[0].Evidence[0]
				if e.Text != tc.evidence || tc.body[e.Start:e.End] != e.Text {
					t.Fatalf("evidence %+v, want %q", e, tc.evidence)
				}
			}
			if tc.dest != "" && !slices.Contains(v.Entities.Destinations, tc.dest) {
				t.Fatalf("destinations %v, want %s", v.Entities.Destinations, tc.dest)
			}
		})
	}
}
