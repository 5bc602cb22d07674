package classifier

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
// Evidence always maps back to the original letters. The views and the
// romanisation are textnorm's (Views.Roman, Views.Serbian, Romanise);
// which fields and patterns get them is decided here.

// Script views, as owner.view values.
const (
	viewNone    uint8 = iota
	viewRomanKa       // romanised Georgian patterns, scanned in ka ads typed in Latin
	viewRomanHy       // romanised Armenian patterns, scanned in hy ads typed in Latin
)

// romanLangs maps an ad language to the romanised view its Latin text is
// scanned in.
var romanLangs = map[string]uint8{"ka": viewRomanKa, "hy": viewRomanHy}

// serbianLangs are the ad languages whose Cyrillic text is read in Latin
// letters for the Latin rules of those languages.
var serbianLangs = map[string]bool{"sr": true, "bs": true, "me": true, "hr": true}

// MinRomanPattern is the shortest romanised pattern (bytes) compiled, so
// that short Georgian or Armenian words do not turn into common Latin
// syllables.
const MinRomanPattern = 6

// wantCyrillic reports whether a match view is mostly Cyrillic words (at
// least MinTranslitWords, and more than Latin ones).
func wantCyrillic(s string) bool {
	latin, other := latinWords(s)
	return other >= MinTranslitWords && other > latin
}
