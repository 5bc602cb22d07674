package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalise(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"case and punctuation", "Работа, ЗА границей!!!", "работа за границей"},
		{"yo", "Перелёт и ЁЛКА", "перелет и елка"},
		{"latin p in cyrillic word", "pабота", "работа"},
		{"latin a and e in cyrillic", "дeвушки pаботa", "девушки работа"},
		{"cyrillic o in latin word", "wоrk abrоad", "work abroad"},
		{"digit zero in word", "раб0та w0rk", "работа work"},
		{"digits for letters in latin words", "w0rk 4br0ad f0r g1rls, b1g m0ney, eur0", "work abroad for girls big money euro"},
		{"digits stay in codes", "5km mp3 4x4 3000р 1st", "5km mp3 4x4 3000р 1st"},
		{"digits stay in numbers", "3000р 18-25", "3000р 18 25"},
		{"spaced letters", "р а б о т а за границей", "работа за границей"},
		{"dotted letters", "р.а.б.о.т.а", "работа"},
		{"two dotted words", "б.е.з о.п.ы.т.а", "без опыта"},
		{"three spaced letters stay", "я и в", "я и в"},
		{"short abbreviations stay", "и т.д. т.е.", "и т д т е"},
		{"zero width", "ра\u200bбо\u200dта\u00adза\ufeffгр", "работаза" + "гр"},
		{"full width", "ＲＡＢＯＴＡ　ｗｏｒｋ", "rabota work"},
		{"romanian diacritics", "Fără experiență, ȘI ţară", "fara experienta si tara"},
		{"turkic latin", "Türkiyədə İŞ, qızlar üçün", "turkiyede is qizlar ucun"},
		{"central asian cyrillic", "Ҷавонон, қизлар, Ғарб, ҳужжат, өтө, ўзбек", "чавонон кизлар гарб хужжат ото узбек"},
		{"uzbek okina", "oʻzbek gʻalla o‘qish o'z", "o zbek g alla o qish o z"},
		{"combining stress", "рабо\u0301та", "работа"},
		{"symbols kept", "3000€ + ★", "3000€ + ★"},
		{"emoji to words", "Работа 💃 в клубе ✈️ 💰💰", "работа dancer в клубе flight money money"},
		{"flags stay symbols", "🇹🇷 работа", "🇹🇷 работа"},
		{"spaced words with wide gaps", "р а б о т а   з а   г р а н и ц е й", "работа за границей"},
		{"short spaced word first", "з а   г р а н и ц е й", "за границей"},
		{"short words without spaced neighbours stay", "и я   пошли", "и я пошли"},
		{"spaced word then preposition", "р а б о т а в Турции", "работа в турции"},
		{"spaced word ending like a preposition", "р а б о т а", "работа"},
		{"greek look-alikes in cyrillic word", "pαбοта", "работа"},
		{"e with diaeresis and e reversed", "Эскорт", "ескорт"},
		{"apostrophes", "обов’язковий", "обов язковий"},
		{"empty", "", ""},
		{"only punctuation", "!!! ,,, ...", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalise(tt.in)
			if got.S != tt.want {
				t.Errorf("Normalise(%q) = %q, want %q", tt.in, got.S, tt.want)
			}
			checkMap(t, tt.in, &got)
		})
	}
}

func TestLight(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Пишите:  hr@Company.RU", "пишите: hr@company.ru"},
		{"18–25 лет", "18-25 лет"},
		{"2\u00a0000 €/мес", "2 000 €/мес"},
		{"t.me/Best_Jobs", "t.me/best_jobs"},
		{"Salariu: 1.500 lei\n\nContact", "salariu: 1.500 lei contact"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Light(tt.in)
			if got.S != tt.want {
				t.Errorf("Light(%q) = %q, want %q", tt.in, got.S, tt.want)
			}
			checkMap(t, tt.in, &got)
		})
	}
}

// checkMap asserts the offset-map properties: every normalised byte maps
// to a non-empty, in-range original range on rune boundaries (for valid
// input), and ranges never go backwards.
func checkMap(t testing.TB, orig string, tx *Text) {
	t.Helper()
	if len(tx.start) != len(tx.S) || len(tx.end) != len(tx.S) {
		t.Fatalf("map length %d/%d for %d bytes", len(tx.start), len(tx.end), len(tx.S))
	}
	if !utf8.ValidString(tx.S) {
		t.Fatalf("normalised text is not UTF-8: %q", tx.S)
	}
	valid := utf8.ValidString(orig)
	prevS, prevE := 0, 0
	for i := range tx.S {
		s, e := int(tx.start[i]), int(tx.end[i])
		if s < 0 || e > len(orig) || s >= e {
			t.Fatalf("byte %d maps to [%d,%d) of %d bytes", i, s, e, len(orig))
		}
		if s < prevS || e < prevE {
			t.Fatalf("byte %d maps backwards: [%d,%d) after [%d,%d)", i, s, e, prevS, prevE)
		}
		prevS, prevE = s, e
		if valid && (!boundary(orig, s) || !boundary(orig, e)) {
			t.Fatalf("byte %d maps to [%d,%d), not rune boundaries of %q", i, s, e, orig)
		}
	}
	// Any rune-aligned range maps to a valid original slice.
	for i := 0; i < len(tx.S); i += utf8.RuneLen([]rune(tx.S[i:])[0]) {
		s, e := tx.Orig(i, len(tx.S))
		if s > e || e > len(orig) {
			t.Fatalf("Orig(%d, end) = %d, %d", i, s, e)
		}
	}
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

func TestOrigEvidence(t *testing.T) {
	orig := "Срочно! Р а б о т а за гр\u200bаницей для дeвушeк"
	tx := Normalise(orig)
	i := strings.Index(tx.S, "работа за границей")
	if i < 0 {
		t.Fatalf("normalised %q", tx.S)
	}
	s, e := tx.Orig(i, i+len("работа за границей"))
	if got := orig[s:e]; got != "Р а б о т а за гр\u200bаницей" {
		t.Errorf("evidence %q", got)
	}
	if s, e := tx.Orig(5, 5); s != 0 || e != 0 {
		t.Errorf("empty range maps to %d,%d", s, e)
	}
}

// TestSimpleTextIsNFKC checks the assumption behind fold's fast path:
// every text simpleText accepts is already NFKC.
func TestSimpleTextIsNFKC(t *testing.T) {
	for r := rune(0); r < 0x500; r++ {
		s := "a" + string(r) + "я"
		if simpleText(s) && !norm.NFKC.IsNormalString(s) {
			t.Errorf("%U accepted but not NFKC", r)
		}
	}
	if simpleText("e\u0301") || simpleText("ﬁ") || !simpleText("Работа за границей, 3000 €"[:len("Работа за границей, 3000 ")]) {
		t.Error("simpleText misclassifies")
	}
}

func TestFoldRegex(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`через (?:эмират|Дубай)\pL*`, `через (?:емират|дубай)\pL*`},
		{`шиноснома\pL* ба (?:миёнарав|қасе)`, `шиноснома\pL* ба (?:миенарав|касе)`},
		{`\p{Cyrillic}+ \PL \d+ ?\$ (?i)Ş`, `\p{Cyrillic}+ \PL \d+ ?\$ (?i)s`},
		{`[А-Я]\S\W`, `[а-я]\S\W`},
		{`(?:ուղևորություն|ﬁnal)`, `(?:ուղեւորություն|final)`}, // NFKC, as text
	} {
		if got := FoldRegex(tc.in); got != tc.want {
			t.Errorf("FoldRegex(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
