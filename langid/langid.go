// Package langid detects the language of an ad among the languages of
// the region lure covers, for ads whose site profile does not fix one.
//
// Detection runs in two steps. Letters that belong to one alphabet of the
// region decide at once (Georgian and Armenian script; ҷ and ӣ for Tajik;
// ў with қ, ғ or ҳ for Uzbek Cyrillic; oʻ and gʻ for Uzbek Latin; ə for
// Azerbaijani; ѓ, ќ and ѕ for Macedonian; ї, є and ґ for Ukrainian, ...),
// and a short list of frequent function words separates the languages
// that lingua-go does not model (Uzbek, Kyrgyz, Tajik). Everything else
// goes to lingua-go (github.com/pemistahl/lingua-go), restricted to the
// region's languages, with its models preloaded so that the first ad
// does not wait. A text that nothing recognises gives "".
//
// A Detector is safe for concurrent use. Detection is deterministic: the
// same text always gives the same language.
package langid

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// MaxBytes bounds how much of a text is read; the first few hundred
// bytes of an ad decide its language as well as the whole.
const MaxBytes = 512

// Languages lists the ISO 639-1 codes a Detector may return.
var Languages = []string{
	"ru", "uk", "be", "ro", "en", "pl", "bg", "sr", "hr", "bs", "mk", "sq",
	"kk", "ky", "uz", "tg", "az", "tr", "ka", "hy", "lt", "lv",
}

// lingua models: the languages of Languages that lingua-go knows.
var modelled = []lingua.Language{
	lingua.Russian, lingua.Ukrainian, lingua.Belarusian, lingua.Romanian,
	lingua.English, lingua.Polish, lingua.Bulgarian, lingua.Serbian,
	lingua.Croatian, lingua.Bosnian, lingua.Macedonian, lingua.Albanian,
	lingua.Kazakh, lingua.Azerbaijani, lingua.Turkish, lingua.Lithuanian,
	lingua.Latvian,
}

// Detector detects languages.
type Detector struct {
	lingua lingua.LanguageDetector
}

// New builds a detector. It loads lingua-go's models of the region's
// languages (low-accuracy mode: trigram models, some tens of MB), which
// takes a second or two; build one per process.
func New() *Detector {
	d := lingua.NewLanguageDetectorBuilder().
		FromLanguages(modelled...).
		WithLowAccuracyMode().
		WithPreloadedLanguageModels().
		Build()
	return &Detector{lingua: d}
}

// Detect returns the language of text (ISO 639-1), or "" when it cannot
// tell (no letters, or no language stands out).
func (d *Detector) Detect(text string) string {
	if len(text) > MaxBytes {
		n := MaxBytes
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	c := countLetters(text)
	if c.letters == 0 {
		return ""
	}
	if l := c.byAlphabet(); l != "" {
		return l
	}
	if l := byWords(text, c); l != "" {
		return l
	}
	if uzbekLatin(text, c) {
		return "uz"
	}
	if d == nil || d.lingua == nil {
		return ""
	}
	lang, ok := d.lingua.DetectLanguageOf(text)
	if !ok {
		return ""
	}
	return strings.ToLower(lang.IsoCode639_1().String())
}

// counts are the letters of a text by the cues that decide a language.
type counts struct {
	letters, latin, cyrillic, georgian, armenian int
	// marks counts the letters of each cue group below.
	marks map[string]int
}

// cues are letters that only some of the region's alphabets have, by
// group.
var cues = map[rune]string{
	'ҷ': "tg", 'ӣ': "tg", 'ӯ': "tg",
	'ў': "uz_be", 'қ': "uz_kk_tg", 'ғ': "uz_kk_tg", 'ҳ': "uz_tg",
	'ә': "kk", 'ұ': "kk", 'һ': "kk",
	'ө': "kk_ky", 'ү': "kk_ky", 'ң': "kk_ky",
	'і': "uk_be_kk", 'ї': "uk", 'є': "uk", 'ґ': "uk",
	'ѓ': "mk", 'ќ': "mk", 'ѕ': "mk",
	'ђ': "sr", 'ћ': "sr", 'ј': "sr_mk", 'љ': "sr_mk", 'њ': "sr_mk", 'џ': "sr_mk",
	'ъ': "ru_bg", 'ы': "ru_be", 'э': "ru_be", 'щ': "ru_uk_bg", 'ё': "ru_be",
	'ə': "az", 'ı': "tr_az", 'ğ': "tr_az", 'ş': "tr_az", 'ç': "tr_az_sq",
	'ë': "sq",
	'ą': "pl_lt", 'ę': "pl_lt", 'ł': "pl", 'ś': "pl", 'ź': "pl", 'ż': "pl", 'ń': "pl", 'ó': "pl",
	'ă': "ro", 'ș': "ro", 'ț': "ro", 'ţ': "ro", 'â': "ro", 'î': "ro",
	'ā': "lv", 'ē': "lv", 'ī': "lv", 'ķ': "lv", 'ļ': "lv", 'ņ': "lv", 'ģ': "lv",
	'ė': "lt", 'į': "lt", 'ų': "lt", 'ū': "lt_lv",
	'ć': "hbs", 'đ': "hbs",
	'ʻ': "uz", // oʻ, gʻ
}

func countLetters(s string) counts {
	c := counts{marks: map[string]int{}}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != 'ʻ' {
			continue
		}
		c.letters++
		lr := unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Georgian, r):
			c.georgian++
		case unicode.Is(unicode.Armenian, r):
			c.armenian++
		case unicode.Is(unicode.Cyrillic, r):
			c.cyrillic++
		case unicode.Is(unicode.Latin, r):
			c.latin++
		}
		if g, ok := cues[lr]; ok {
			c.marks[g]++
		}
	}
	return c
}

// byAlphabet decides by script and by letters of one alphabet, or "".
func (c counts) byAlphabet() string {
	m := c.marks
	switch {
	case c.georgian*2 > c.letters:
		return "ka"
	case c.armenian*2 > c.letters:
		return "hy"
	case c.cyrillic >= c.latin:
		switch {
		case m["tg"] > 0:
			return "tg"
		case m["uz_be"] > 0 && (m["uz_kk_tg"]+m["uz_tg"] > 0):
			return "uz"
		case m["kk"] > 0:
			return "kk"
		case m["kk_ky"] > 0 && m["uk_be_kk"] == 0 && m["uz_kk_tg"] == 0:
			return "ky"
		case m["kk_ky"] > 0:
			return "kk"
		case m["uz_be"] > 0 && m["uk_be_kk"] > 0:
			return "be"
		case m["uk"] > 0:
			return "uk"
		case m["mk"] > 0:
			return "mk"
		case m["sr"] > 0:
			return "sr"
		}
	default:
		switch {
		case m["uz"] > 0:
			return "uz"
		case m["az"] > 0:
			return "az"
		case m["sq"] > 0 && m["tr_az"] == 0:
			return "sq"
		case m["lv"] > 0 && m["lt"] == 0:
			return "lv"
		case m["lt"] > 0:
			return "lt"
		}
	}
	return ""
}

// functionWords are frequent short words of the languages lingua-go does
// not model, in the forms ads use; at least minWordHits of one list, and
// more than of any other, decide.
var functionWords = map[string][]string{
	"uz": {"va", "uchun", "bilan", "kerak", "bor", "yoki", "ish", "ishga", "ishchi", "bepul", "oylik", "maosh", "uchun", "ham", "emas", "qiz", "qizlar", "joy", "shart", "beriladi", "ва", "учун", "билан", "керак", "ишга", "ишчи", "бепул", "ойлик", "маош", "ҳам", "эмас", "қизлар", "беради", "берилади"},
	"ky": {"жана", "үчүн", "менен", "керек", "иш", "ишке", "айлык", "акысыз", "кыздар", "бар", "жок", "болот", "берилет", "шарт", "эмгек", "жумуш", "жумушка", "дагы"},
	"tg": {"ва", "барои", "дар", "бо", "кор", "корӣ", "аст", "мекунем", "лозим", "музди", "маош", "ройгон", "духтарон", "шумо", "мо", "ҳаст", "нест", "бояд", "мешавад", "ба"},
}

const minWordHits = 2

// byWords decides between Uzbek, Kyrgyz and Tajik by function words, for
// texts without the letters that give them away; "" when no list wins.
func byWords(s string, c counts) string {
	hits := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for lang, ws := range functionWords {
			for _, fw := range ws {
				if w == fw {
					hits[lang]++
					break
				}
			}
		}
	}
	best, bestN, second := "", 0, 0
	for _, lang := range []string{"uz", "ky", "tg"} {
		switch n := hits[lang]; {
		case n > bestN:
			best, bestN, second = lang, n, bestN
		case n > second:
			second = n
		}
	}
	if bestN < minWordHits || bestN <= second {
		return ""
	}
	// A Russian text shares "в", "и", "на" with none of these, but
	// Tajik "ва", "ба", "дар" are rare in Russian; require the lists to
	// cover a real share of a long text.
	words := c.letters / 5
	if words > 20 && bestN*12 < words {
		return ""
	}
	return best
}

var (
	defaultOnce sync.Once
	defaultDet  *Detector
)

// Default returns the process's shared detector, built on first use.
func Default() *Detector {
	defaultOnce.Do(func() { defaultDet = New() })
	return defaultDet
}

// uzbekSuffixes are endings of Uzbek words in Latin letters that the
// other Latin-script languages of the region rarely end words with.
var uzbekSuffixes = []string{"ingiz", "ingizni", "imiz", "miz", "larni", "larga", "lari", "lar", "ga", "dagi", "moqda", "ni"}

// uzbekLatin reports whether a Latin-script text with none of the
// diacritics that mark Turkish, Azerbaijani, Albanian or the Baltic and
// Slavic languages ends at least a fifth of its words (and two or more)
// the way Uzbek does: Uzbek typed without oʻ and gʻ has no letter of its
// own.
func uzbekLatin(s string, c counts) bool {
	if c.latin <= c.cyrillic {
		return false
	}
	for g, n := range c.marks {
		if n > 0 && g != "uz" {
			return false
		}
	}
	words, hits := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) < 3 {
			continue
		}
		words++
		for _, suf := range uzbekSuffixes {
			if strings.HasSuffix(w, suf) && len(w) > len(suf)+1 {
				hits++
				break
			}
		}
	}
	return hits >= 2 && hits*5 >= words
}
