package textnorm

import (
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"

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
// Cyrillic, derived from the Unicode confusables data (UTS #39, through
// github.com/mtibben/confusables) rather than a hand list: a Cyrillic or
// Greek letter whose upper- or lower-case form has a single ASCII letter
// as its skeleton is that letter's twin. Greek letters fold to the script
// of their word through their Latin twin.
var latinToCyr, cyrToLatin = confusableTables()

// twinTable is a look-alike table as an array over the runes it can
// hold (ASCII, Greek and Cyrillic); 0 means no twin.
type twinTable [0x530]rune

func (t *twinTable) get(r rune) (rune, bool) {
	if r < 0 || int(r) >= len(t) || t[r] == 0 {
		return 0, false
	}
	return t[r], true
}

func arrayOf(m map[rune]rune) *twinTable {
	var t twinTable
	for k, v := range m {
		if int(k) < len(t) {
			t[k] = v
		}
	}
	return &t
}

var (
	toCyr      = arrayOf(latinToCyr)
	toLatin    = arrayOf(cyrToLatin)
	digitCyr   = arrayOf(digitToCyr)
	digitLatin = arrayOf(digitToLatin)
)

// Digits used as letters inside words, by target script. Confusables has
// no context for these ("0" is "o" only between letters), so they stay a
// short explicit list.
var (
	digitToCyr   = map[rune]rune{'0': 'о', '3': 'з', '6': 'б'}
	digitToLatin = map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's'}
)

// asciiSkeleton returns the lower-case ASCII letter r is confusable with.
func asciiSkeleton(r rune) (rune, bool) {
	for _, x := range []rune{unicode.ToLower(r), unicode.ToUpper(r)} {
		sk := []rune(confusables.Skeleton(string(x)))
		if len(sk) == 1 && sk[0] < utf8.RuneSelf && unicode.IsLetter(sk[0]) {
			return unicode.ToLower(sk[0]), true
		}
	}
	return 0, false
}

func confusableTables() (toCyr, toLatin map[rune]rune) {
	toCyr, toLatin = map[rune]rune{}, map[rune]rune{}
	// Basic Russian/Ukrainian letters first, so they win as targets.
	for _, rg := range [][2]rune{{0x430, 0x44F}, {0x450, 0x45F}, {0x460, 0x4FF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if !unicode.IsLower(r) {
				continue
			}
			if l, ok := asciiSkeleton(r); ok {
				toLatin[r] = l
				if _, taken := toCyr[l]; !taken && r <= 0x45F {
					toCyr[l] = r
				}
			}
		}
	}
	for r := rune(0x3B1); r <= 0x3C9; r++ { // Greek lower case
		if l, ok := asciiSkeleton(r); ok {
			toLatin[r] = l
		}
	}
	return toCyr, toLatin
}

// foldLookalikes rewrites, word by word, Latin letters inside mostly
// Cyrillic words to their Cyrillic twins and the reverse, and digits
// standing for letters between two letters.
func foldLookalikes(cs []char) {
	i := 0
	for i < len(cs) {
		if !IsWord(cs[i].r) {
			i++
			continue
		}
		lo := i
		cyr, lat, ucyr, ulat := 0, 0, 0, 0 // all letters, and those without a twin
		for i < len(cs) && IsWord(cs[i].r) {
			switch r := cs[i].r; {
			case r < 0x80 && 'a' <= r && r <= 'z':
				lat++
				if _, twin := toCyr.get(r); !twin {
					ulat++
				}
			case 0x400 <= r && r <= 0x52F || r >= 0x80 && unicode.Is(unicode.Cyrillic, r):
				cyr++
				if _, twin := toLatin.get(r); !twin {
					ucyr++
				}
			}
			i++
		}
		if (lat == 0 || cyr == 0) && lat+cyr == i-lo {
			continue // one script, no digits: nothing to fold (most words)
		}
		// Letters without a twin decide the script; else the majority.
		switch {
		case ucyr > 0 && ulat == 0:
			cyr, lat = 1, 0
		case ulat > 0 && ucyr == 0:
			cyr, lat = 0, 1
		}
		w := cs[lo:i]
		switch {
		case cyr > lat:
			foldGreek(w)
			foldWord(w, toCyr, digitCyr)
		case lat > cyr:
			foldGreek(w)
			foldWord(w, toLatin, digitLatin)
		}
	}
}

func foldWord(w []char, letters, digits *twinTable) {
	nl, nd := 0, 0
	for _, c := range w {
		if unicode.IsLetter(c.r) {
			nl++
		} else {
			nd++
		}
	}
	// A digit at the edge of a word counts as a letter only in a word
	// that is mostly letters ("4br0ad", "eur0"), not in "5km" or "3000р".
	edges := nl >= 3 && nl > nd
	letter := func(k int) bool { return k >= 0 && k < len(w) && unicode.IsLetter(w[k].r) }
	for k := range w {
		r := w[k].r
		if t, ok := letters.get(r); ok {
			w[k].r = t
			continue
		}
		t, ok := digits.get(r)
		if !ok {
			continue
		}
		inner := letter(k-1) && letter(k+1)
		edge := edges && (k == 0 && letter(1) || k == len(w)-1 && letter(k-1))
		if inner || edge {
			w[k].r = t
		}
	}
}

// foldGreek turns Greek look-alikes inside a Cyrillic word into Latin
// first, so that foldWord maps them on to Cyrillic.
func foldGreek(w []char) {
	for k := range w {
		if r := w[k].r; 0x370 <= r && r <= 0x3FF {
			if l, ok := toLatin.get(r); ok {
				w[k].r = l
			}
		}
	}
}
