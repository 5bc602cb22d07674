package classifier

import (
	"testing"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

func addSeeds(f *testing.F) {
	for _, a := range loadAds(f) {
		for _, s := range []string{a.Title, a.Body, a.Contact} {
			f.Add(s)
		}
	}
	for _, s := range []string{
		"", "\xff\xfe", "р\u0301\u0301\u0301", "ﬁ ﬂ ŉ", "a\u0300\u0301\u0302\u0303b", "р . а . б", "\u200b\u200b",
		"ＲＡＢＯＴＡ", "ǅ ǈ", "1 2 3 4 5 6 7 8 9 0", "@", "@@a@b.c", "+", "€€€€", "ᄀ\u1161\u11a8",
	} {
		f.Add(s)
	}
}

// FuzzNormalise checks that both views never panic and that every byte of
// them maps to an in-range, rune-aligned range of the original.
func FuzzNormalise(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, tx := range []Text{Normalise(s), Light(s)} {
			checkMap(t, s, &tx)
		}
	})
}

// FuzzScore checks that scoring never panics and that evidence always
// cuts the original text.
func FuzzScore(f *testing.F) {
	addSeeds(f)
	c := newDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		a := ad.Ad{V: 1, ID: "f", Site: "s", Kind: ad.KindOther, Lang: "ru", Title: s, Body: s + " " + s, Contact: s}
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
