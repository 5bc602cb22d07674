package index

import (
	"strings"
	"unicode"

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

// folds reports whether fold may change b: it is not ASCII, and not
// already in both NFC and NFD with no letter that fold maps. Most words of
// non-Latin scripts (Cyrillic without й, ё, ї, …) are left as they are.
func folds(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return false
	}
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
