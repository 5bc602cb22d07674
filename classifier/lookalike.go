package classifier

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// latinBase maps Latin letters with diacritics to their base letter, so
// "fără experiență" and "fara experienta" match alike.
var latinBase = func() map[rune]rune {
	m := map[rune]rune{'ø': 'o', 'ł': 'l', 'đ': 'd', 'ı': 'i', 'ß': 's', 'æ': 'a', 'œ': 'o', 'ħ': 'h'}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if !unicode.IsLower(r) {
				continue
			}
			d := []rune(norm.NFD.String(string(r)))
			if len(d) > 1 && d[0] < 0x80 && unicode.IsLetter(d[0]) {
				m[r] = d[0]
			}
		}
	}
	add(0xC0, 0x24F)
	add(0x1E00, 0x1EFF)
	return m
}()

// Look-alike letters (lower case, after folding) between Latin and
// Cyrillic.
var (
	latinToCyr = map[rune]rune{
		'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'i': 'і', 'k': 'к',
		'm': 'м', 'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
	}
	cyrToLatin = map[rune]rune{
		'а': 'a', 'в': 'b', 'с': 'c', 'е': 'e', 'н': 'h', 'і': 'i', 'к': 'k',
		'м': 'm', 'о': 'o', 'р': 'p', 'т': 't', 'х': 'x', 'у': 'y', 'ј': 'j', 'ѕ': 's',
	}
	// digits used as letters inside words, by target script.
	digitToCyr   = map[rune]rune{'0': 'о', '3': 'з', '6': 'б'}
	digitToLatin = map[rune]rune{'0': 'o'}
)

// foldLookalikes rewrites, word by word, Latin letters inside mostly
// Cyrillic words to their Cyrillic twins and the reverse, and digits
// standing for letters between two letters.
func foldLookalikes(cs []char) {
	i := 0
	for i < len(cs) {
		if !isWord(cs[i].r) {
			i++
			continue
		}
		lo := i
		cyr, lat := 0, 0
		for i < len(cs) && isWord(cs[i].r) {
			switch r := cs[i].r; {
			case r < 0x80 && 'a' <= r && r <= 'z':
				lat++
			case unicode.Is(unicode.Cyrillic, r):
				cyr++
			}
			i++
		}
		w := cs[lo:i]
		switch {
		case cyr > lat:
			foldWord(w, latinToCyr, digitToCyr)
		case lat > cyr:
			foldWord(w, cyrToLatin, digitToLatin)
		}
	}
}

func foldWord(w []char, letters, digits map[rune]rune) {
	for k := range w {
		r := w[k].r
		if t, ok := letters[r]; ok {
			w[k].r = t
			continue
		}
		if t, ok := digits[r]; ok && k > 0 && k+1 < len(w) && unicode.IsLetter(w[k-1].r) && unicode.IsLetter(w[k+1].r) {
			w[k].r = t
		}
	}
}
