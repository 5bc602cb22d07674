package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// foldFilterName is the token filter that strips diacritics from terms.
// It works per token and keeps each token's byte offsets into the original
// text, so highlighting stays exact (bleve's asciifolding char filter
// rewrites the text before tokenizing and would shift the offsets).
const foldFilterName = "lure_fold"

// foldedAnalyzer is the language-neutral analyzer: Unicode word tokens,
// lower-cased and diacritic-folded ("Străinătate" and "strainatate" match,
// as do "ё" and "е").
const foldedAnalyzer = "lure_folded"

// Bleve resolves analysis components by name from its global registry, so
// the filter must be registered before any mapping names it.
func init() {
	if err := registry.RegisterTokenFilter(foldFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return foldFilter{}, nil },
	); err != nil {
		panic(err)
	}
}

type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if !folds(tok.Term) {
			continue
		}
		tok.Term = []byte(fold(string(tok.Term)))
	}
	return in
}

// folds reports whether fold may change b. Words of runes that fold
// leaves as they are and that neither decompose nor compose (ASCII, and
// most of Latin-1, Greek and Cyrillic: all but й, ё, ї, …) are skipped
// by a table look-up; other words are checked in full.
func folds(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r >= rune(len(foldStable)) || !foldStable[r] {
			return foldsSlow(b)
		}
		i += n
	}
	return false
}

// foldStable says, for the runes below its length, whether a rune is no
// mark, is its own NFD and NFC, and fold leaves it as it is. No rune in
// this range composes with a preceding one unless it is a mark, so a
// string of such runes is left as it is by fold.
var foldStable = func() (t [0x530]bool) {
	for r := range rune(len(t)) {
		s := string(r)
		t[r] = utf8.ValidRune(r) && !unicode.Is(unicode.M, r) && norm.NFD.String(s) == s && norm.NFC.String(s) == s && fold(s) == s
	}
	return t
}()

// foldsSlow is folds for words with runes outside foldStable: false when
// b is already in both NFC and NFD and has no letter that fold maps.
func foldsSlow(b []byte) bool {
	if norm.NFD.QuickSpan(b) != len(b) || norm.NFC.QuickSpan(b) != len(b) {
		return true
	}
	for _, r := range string(b) {
		switch r {
		case 'ł', 'đ', 'ø', 'ß', 'æ', 'ı':
			return true
		}
		if unicode.Is(unicode.Mn, r) {
			return true
		}
	}
	return false
}

// fold removes combining marks after canonical decomposition and maps a
// few letters that do not decompose.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ł':
			b.WriteByte('l')
		case 'đ':
			b.WriteByte('d')
		case 'ø':
			b.WriteByte('o')
		case 'ß':
			b.WriteString("ss")
		case 'æ':
			b.WriteString("ae")
		case 'ı':
			b.WriteByte('i')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
