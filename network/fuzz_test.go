package network

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokens checks the shingler on hostile text: bounded output, masks
// only where they belong, and the same signature for the same input.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "Работа 🔥 в Дубае +7 900 111 22 33", "р а б о т а", "Рaбoтa", "\xff\xfe", strings.Repeat("a ", 3000), "ЗП 3000$ / Москва"} {
		f.Add(s, "Москва")
	}
	f.Fuzz(func(t *testing.T, body, loc string) {
		toks := Tokens("", body, loc)
		if len(toks) > MaxTokens {
			t.Fatalf("%d tokens, limit %d", len(toks), MaxTokens)
		}
		for _, tok := range toks {
			if tok == "" || !utf8.ValidString(tok) {
				t.Fatalf("bad token %q", tok)
			}
			if tok != maskNumber && strings.ContainsAny(tok, "0123456789") {
				t.Fatalf("unmasked number %q", tok)
			}
		}
		sh := Shingles(toks)
		if len(toks) > 0 && len(sh) == 0 {
			t.Fatal("tokens without shingles")
		}
		a, b := Sign(sh), Sign(Shingles(Tokens("", body, loc)))
		if a != b {
			t.Fatal("signature not deterministic")
		}
		if len(sh) > 0 && Similarity(a, b) != 1 {
			t.Fatal("a text is not similar to itself")
		}
		if c := CityKey(body, loc); len(c) > 256*4 || !utf8.ValidString(c) && utf8.ValidString(body) && utf8.ValidString(loc) {
			t.Fatalf("bad city key %q", c)
		}
	})
}
