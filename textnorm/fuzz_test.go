package textnorm

import (
	"encoding/json"
	"os"
	"testing"
)

// seedAds are the classifier's ad fixtures, whose fields seed the fuzz
// target.
const seedAds = "../classifier/testdata/ads.json"

type fixture struct {
	Title   string `json:"title"`
	Body    string `json:"body"`
	Contact string `json:"contact"`
}

func loadAds(t testing.TB) []fixture {
	t.Helper()
	b, err := os.ReadFile(seedAds)
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

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

// FuzzNormalise checks that both views never panic and that every byte of
// them maps to an in-range, rune-aligned range of the original.
func FuzzNormalise(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, tx := range []Text{Normalise(s), Light(s)} {
			checkMap(t, s, &tx)
		}
		var v Views
		m, l := v.Of(s)
		checkMap(t, s, m)
		checkMap(t, s, l)
		checkMap(t, s, v.Translit(m, false))
		checkMap(t, s, v.Roman(m))
		checkMap(t, s, v.Serbian(m))
	})
}
