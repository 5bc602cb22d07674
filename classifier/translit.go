package classifier

import "unicode/utf8"

// Russian and Ukrainian are often typed in Latin letters ("rabota za
// granicey", "devushki"). The transliterated view turns each all-Latin
// word of the match view into Cyrillic by the common informal schemes
// (ISO 9 / GOST / BGN mixed, as ads use them) and is scanned by the same
// automaton; every Cyrillic letter maps back to the Latin letters it came
// from, so evidence still points at the original text. The view itself is
// textnorm's (Views.Translit); which fields get it is decided here.

// MinTranslitWords is how many Latin words of three or more letters a
// field needs before its transliterated view is built: a lone "WhatsApp"
// in a Cyrillic ad is not transliterated Russian.
const MinTranslitWords = 2

// latinWords counts the all-Latin words of at least three letters in s,
// and the other words of at least three letters.
func latinWords(s string) (latin, other int) {
	run, nonLatin := 0, false
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ' ' {
			if 'a' <= s[i] && s[i] <= 'z' {
				run++
			} else if s[i] >= utf8.RuneSelf {
				if utf8.RuneStart(s[i]) {
					run++
				}
				nonLatin = true
			} else {
				nonLatin = true
			}
			continue
		}
		if run >= 3 {
			if nonLatin {
				other++
			} else {
				latin++
			}
		}
		run, nonLatin = 0, false
	}
	return latin, other
}

// wantTranslit reports whether a match view looks like text typed in
// Latin letters: MinTranslitWords Latin words or more, and at least as
// many as other words, so that "WhatsApp" and "Viber" in a Cyrillic ad do
// not count.
func wantTranslit(s string) bool {
	latin, other := latinWords(s)
	return latin >= MinTranslitWords && latin >= other
}

// translitLangs are the ad languages whose Latin words may be
// transliterated Cyrillic; "" (unknown) included.
var translitLangs = map[string]bool{"": true, "ru": true, "uk": true, "be": true, "kk": true, "ky": true, "uz": true, "tg": true, "bg": true, "sr": true}

// MinTranslitPattern is the shortest pattern (in bytes of its normalised
// Cyrillic form, 4 letters) that may match in the transliterated view, so
// that short words ("mom", "ooo") never turn into Cyrillic abbreviations.
const MinTranslitPattern = 8
