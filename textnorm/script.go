package textnorm

import (
	"strings"
	"unicode/utf8"
)

// Script views: besides the Latin→Cyrillic view of translit.go, three
// languages of the region are often written in a script their pack is
// not written in.
//
//   - Serbian (and Bosnian, Montenegrin) in Cyrillic, where the sr pack
//     is written in Latin letters: the Cyrillic words of an ad in those
//     languages are read in the official one-to-one Latin alphabet
//     (љ lj, њ nj, џ dž, ђ đ, ћ ć; diacritics then fold as usual) and
//     scanned for the Latin rules of those languages.
//   - Georgian and Armenian typed in Latin letters ("samushao
//     sazghvargaret", "ashxatanq Dubayum"). No one-to-one scheme exists:
//     people write ქ as k or q, ხ as kh or x, წ as ts or w. So both sides
//     are reduced to one Latin skeleton: every Georgian or Armenian
//     pattern gets a romanised form when the pack is compiled, and the
//     Latin words of an ad in those languages are rewritten with the same
//     folds (q→k, x→kh, w→ts, ...) before they are scanned for those forms
//     only.
//
// Evidence always maps back to the original letters.

var georgianLatin = map[rune]string{
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z", 'თ': "t",
	'ი': "i", 'კ': "k", 'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o", 'პ': "p", 'ჟ': "zh",
	'რ': "r", 'ს': "s", 'ტ': "t", 'უ': "u", 'ფ': "p", 'ქ': "k", 'ღ': "gh", 'ყ': "k",
	'შ': "sh", 'ჩ': "ch", 'ც': "ts", 'ძ': "dz", 'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j",
	'ჰ': "h",
}

var armenianLatin = map[rune]string{
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e", 'ը': "y",
	'թ': "t", 'ժ': "zh", 'ի': "i", 'լ': "l", 'խ': "kh", 'ծ': "ts", 'կ': "k", 'հ': "h",
	'ձ': "dz", 'ղ': "gh", 'ճ': "ch", 'մ': "m", 'յ': "y", 'ն': "n", 'շ': "sh", 'ո': "o",
	'չ': "ch", 'պ': "p", 'ջ': "j", 'ռ': "r", 'ս': "s", 'վ': "v", 'տ': "t", 'ր': "r",
	'ց': "ts", 'ւ': "v", 'փ': "p", 'ք': "k", 'և': "ev", 'օ': "o", 'ֆ': "f",
}

// romanFolds are the folds of the Latin skeleton, applied to romanised
// patterns and to ad text alike, longest first: the letters people use
// for one Georgian or Armenian letter become one ("tsh" is t + sh, as
// in the Georgian locative -თში, and stays).
var romanFolds = []struct{ from, to string }{
	{"tsh", "tsh"}, {"tch", "ch"}, {"ou", "u"}, {"th", "t"}, {"ph", "p"}, {"kh", "x"}, {"ts", "c"}, {"tz", "c"},
	{"q", "k"}, {"w", "c"}, {"f", "p"}, {"y", "i"},
}

// Romanise returns the Latin skeleton of a normalised Georgian or
// Armenian pattern, or "" when it has letters of neither script.
func Romanise(p string) string {
	var b strings.Builder
	native := false
	for i, r := range p {
		if w, ok := georgianLatin[r]; ok {
			b.WriteString(w)
			native = true
			continue
		}
		if r == 'ո' && strings.HasPrefix(p[i+len("ո"):], "ւ") {
			b.WriteString("u")
			native = true
			continue
		}
		if r == 'ւ' && i > 0 && strings.HasSuffix(p[:i], "ո") {
			continue
		}
		if w, ok := armenianLatin[r]; ok {
			b.WriteString(w)
			native = true
			continue
		}
		b.WriteRune(r)
	}
	if !native {
		return ""
	}
	return foldRoman(b.String())
}

// foldRoman applies romanFolds to an ASCII string.
func foldRoman(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		n := 0
		for _, f := range romanFolds {
			if strings.HasPrefix(s[i:], f.from) {
				b.WriteString(f.to)
				n = len(f.from)
				break
			}
		}
		if n == 0 {
			b.WriteByte(s[i])
			n = 1
		}
		i += n
	}
	return b.String()
}

// HasGeorgian reports whether p, a normalised pattern, has a letter of
// the Georgian alphabet that Romanise reads.
func HasGeorgian(p string) bool {
	for _, r := range p {
		if georgianLatin[r] != "" {
			return true
		}
	}
	return false
}

// romanInto writes the romanised view of the match view t into b: each
// all-Latin word folded by romanFolds, everything else kept.
func romanInto(b *builder, t *Text) {
	s := t.S
	for i := 0; i < len(s); {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			n := 0
			for _, f := range romanFolds {
				if strings.HasPrefix(s[i:], f.from) {
					for _, r := range f.to {
						b.add(r, t.start[i], t.end[i+len(f.from)-1])
					}
					n = len(f.from)
					break
				}
			}
			if n == 0 {
				b.add(rune(c), t.start[i], t.end[i])
				n = 1
			}
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.add(r, t.start[i], t.end[i+n-1])
		i += n
	}
}

// serbianLatin is the Serbian Cyrillic alphabet in its Latin letters,
// after the folding of normalise (š→s, č and ć→c, ž→z, đ→d).
var serbianLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "d", 'е': "e", 'ж': "z",
	'з': "z", 'и': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n",
	'њ': "nj", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "c", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "c", 'ч': "c", 'џ': "dz", 'ш': "s",
}

// serbianInto writes the Latin reading of the match view t into b.
func serbianInto(b *builder, t *Text) {
	s := t.S
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if w, ok := serbianLatin[r]; ok {
			for _, l := range w {
				b.add(l, t.start[i], t.end[i+n-1])
			}
		} else {
			b.add(r, t.start[i], t.end[i+n-1])
		}
		i += n
	}
}
