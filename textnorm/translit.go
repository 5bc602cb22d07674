package textnorm

import "unicode/utf8"

// Russian and Ukrainian are often typed in Latin letters ("rabota za
// granicey", "devushki"). The transliterated view turns each all-Latin
// word of the match view into Cyrillic by the common informal schemes
// (ISO 9 / GOST / BGN mixed, as ads use them) and is scanned by the same
// automaton; every Cyrillic letter maps back to the Latin letters it came
// from, so evidence still points at the original text.

// translitMulti are letter groups read as one Cyrillic letter, longest
// first.
var translitMulti = []struct{ lat, cyr string }{
	{"shch", "щ"}, {"sch", "щ"}, {"zh", "ж"}, {"kh", "х"}, {"ts", "ц"}, {"tz", "ц"},
	{"ch", "ч"}, {"sh", "ш"}, {"ya", "я"}, {"yu", "ю"}, {"yo", "е"}, {"ye", "е"},
	{"ja", "я"}, {"ju", "ю"}, {"jo", "е"},
}

// Ukrainian national transliteration differs: h is г, i is і, y is и,
// ye is є, yi is ї.
var translitMultiUK = []struct{ lat, cyr string }{
	{"shch", "щ"}, {"zh", "ж"}, {"kh", "х"}, {"ts", "ц"}, {"ch", "ч"}, {"sh", "ш"},
	{"ya", "я"}, {"ia", "я"}, {"yu", "ю"}, {"iu", "ю"}, {"ye", "є"}, {"ie", "є"}, {"yi", "ї"},
}

var translitOneUK = [26]rune{
	'а', 'б', 'ц', 'д', 'е', 'ф', 'г', 'г', 'і', 'й', 'к', 'л', 'м',
	'н', 'о', 'п', 'к', 'р', 'с', 'т', 'у', 'в', 'в', 'х', 'и', 'з',
}

var translitOne = [26]rune{
	'а', 'б', 'ц', 'д', 'е', 'ф', 'г', 'х', 'и', 'й', 'к', 'л', 'м',
	'н', 'о', 'п', 'к', 'р', 'с', 'т', 'у', 'в', 'в', 'х', 'ы', 'з',
}

func isCyrVowel(r rune) bool {
	switch r {
	case 'а', 'е', 'и', 'о', 'у', 'ы', 'я', 'ю':
		return true
	}
	return false
}

// translitInto writes the transliterated view of the match view t into b.
func translitInto(b *builder, t *Text, uk bool) {
	s := t.S
	i := 0
	for i < len(s) {
		// an all-Latin word: [a-z]+ between non-word runes
		j := i
		for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
			j++
		}
		wordStart := i == 0 || s[i-1] == ' '
		if j > i && wordStart && (j == len(s) || s[j] == ' ') {
			translitWord(b, t, i, j, uk)
			i = j
			continue
		}
		if j > i {
			for k := i; k < j; k++ {
				b.add(rune(s[k]), t.start[k], t.end[k])
			}
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.add(r, t.start[i], t.end[i+n-1])
		i += n
	}
}

func translitWord(b *builder, t *Text, i, j int, uk bool) {
	s := t.S
	prev := rune(0)
	multi, table := translitMulti, &translitOne
	if uk {
		multi, table = translitMultiUK, &translitOneUK
	}
	for i < j {
		var out string
		var one rune
		n := 0
		for _, m := range multi {
			if len(m.lat) <= j-i && s[i:i+len(m.lat)] == m.lat {
				out, n = m.cyr, len(m.lat)
				break
			}
		}
		if n == 0 {
			n = 1
			c := s[i]
			r := table[c-'a']
			switch c {
			case 'y': // ы (uk и) after a consonant, й otherwise
				if prev == 0 || isCyrVowel(prev) || prev == 'і' || prev == 'и' && uk {
					r = 'й'
				}
			case 'x':
				out = "кс"
			}
			one = r
		}
		if out == "" {
			b.add(one, t.start[i], t.end[i])
			prev = one
		}
		for _, r := range out {
			b.add(r, t.start[i], t.end[i+n-1])
			prev = r
		}
		i += n
	}
}
