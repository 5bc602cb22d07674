package classifier

import (
	"testing"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/textnorm"
)

func addSeeds(f *testing.F) {
	for _, a := range loadAds(f) {
		for _, s := range []string{a.Title, a.Body, a.Contact} {
			f.Add(s)
		}
	}
	for _, s := range []string{
		"", "\xff\xfe", "р\u0301\u0301\u0301", "ﬁ ﬂ ŉ", "a\u0300\u0301\u0302\u0303b", "р . а . б", "\u200b\u200b",
		"ＲＡＢＯＴＡ", "ǅ ǈ", "Rabota za granicey", "💃✈️💰🇹🇷", "р а б о т а в Турции", "shchx yy", "pαбοтa", "1 2 3 4 5 6 7 8 9 0", "@", "@@a@b.c", "+", "€€€€", "ᄀ\u1161\u11a8",
	} {
		f.Add(s)
	}
}

// FuzzScore checks that scoring never panics and that evidence always
// cuts the original text.
func FuzzScore(f *testing.F) {
	addSeeds(f)
	c := newDefault(f)
	langs := []string{"ru", "ka", "hy", "sr", ""}
	f.Fuzz(func(t *testing.T, s string) {
		a := ad.Ad{V: 1, ID: "f", Site: "s", Kind: ad.KindOther, Lang: langs[len(s)%len(langs)], Title: s, Body: s + " " + s, Contact: s}
		v := c.Score(t.Context(), a)
		if v.Score < 0 || v.Score > 100 {
			t.Fatalf("score %v", v.Score)
		}
		for _, h := range v.Hits {
			for _, e := range h.Evidence {
				orig := a.Field(e.Field)
				if e.Start < 0 || e.End > len(orig) || e.Start >= e.End || orig[e.Start:e.End] != e.Text {
					t.Fatalf("bad span %+v", e)
				}
				if utf8.ValidString(orig) && (!boundary(orig, e.Start) || !boundary(orig, e.End)) {
					t.Fatalf("span %+v not on rune boundaries", e)
				}
			}
		}
	})
}

// FuzzExtract runs every extractor (all triggers on) on the light view
// of arbitrary text: no panics, every entity inside the view, ages and
// amounts in range.
func FuzzExtract(f *testing.F) {
	addSeeds(f)
	for _, s := range []string{
		"от 3 000 у.е. в мес", "зп от 200 т.р.", "0-6-7 / 5-5-5 / 1-2 / 3-4", "89O3-111-22-33",
		"ООО «Рога» лицензия № 12/34", "SC Agro SRL", "девушки восемнадцать - двадцать пять лет",
		"три тысячи тысяча сто", "one hundred and five", "$3000 per summer", "€ 1.500,50 - 2.000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := textnorm.Light(s)
		for _, x := range extractAll(l.S, "RU", needAll) {
			if x.start < 0 || x.end > len(l.S) || x.start >= x.end {
				t.Fatalf("%s [%d,%d) outside %d bytes", x.kind, x.start, x.end, len(l.S))
			}
			if os, oe := l.Orig(x.start, x.end); os > oe || oe > len(s) {
				t.Fatalf("%s maps to [%d,%d) of %d", x.kind, os, oe, len(s))
			}
			switch x.kind {
			case kindAge:
				if x.hi != 0 && (x.hi < 14 || x.hi > 79) || x.lo != 0 && x.lo >= x.hi {
					t.Fatalf("age %d-%d", x.lo, x.hi)
				}
			case kindSalary:
				if x.salary.Amount < 0 || x.salary.Currency == "" {
					t.Fatalf("salary %+v", x.salary)
				}
			case kindPhone:
				if d := digits(x.value); d < 9 || d > 15 {
					t.Fatalf("phone %q", x.value)
				}
			}
		}
	})
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }
