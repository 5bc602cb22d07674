package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Text is a normalised view of one original string. Every byte of S maps
// back to a byte range of the original, so a match in S can be shown as
// evidence in the original text.
type Text struct {
	S     string
	start []int32 // per byte of S: start of its original range
	end   []int32 // per byte of S: end of its original range
}

// Orig returns the original byte range [start, end) of the normalised
// range [i, j). An empty or invalid range maps to (0, 0).
func (t *Text) Orig(i, j int) (int, int) {
	if i < 0 || j > len(t.S) || i >= j {
		return 0, 0
	}
	return int(t.start[i]), int(t.end[j-1])
}

// char is one normalised rune and the original range it came from.
type char struct {
	r    rune
	s, e int32
}

// Normalise returns the matching view of s: NFKC, lower case, no
// format or zero-width characters, no Latin diacritics, ё folded to е,
// Latin/Cyrillic look-alikes folded to the script of their word, spaced
// or punctuated single letters joined, and every run of spaces and
// punctuation collapsed to one space. Letters, digits and symbols
// (currency, emoji) are kept.
func Normalise(s string) Text {
	cs := fold(s, nil)
	foldLookalikes(cs)
	return matchView(cs)
}

// Light returns the extraction view of s: the same character folding as
// Normalise, but punctuation kept (so that e-mails, handles, numbers and
// ranges survive), numbers written as words turned into digits, and only
// whitespace runs collapsed.
func Light(s string) Text {
	cs := fold(s, nil)
	foldLookalikes(cs)
	return lightView(convertNumberWords(cs, nil))
}

// Views holds reusable buffers for the views of one field: the match and
// extraction views of Of and the views derived from a match view
// (Translit, Roman, Serbian). The zero value is ready to use; a Views is
// not safe for concurrent use.
type Views struct {
	cs           []char
	drop         []bool
	match, light builder
	mt, lt       Text
	num          []char // cs with number words as digits
	tr           builder
	trt          Text
	sv           builder // script views (script.go)
	svt          Text
}

// Roman returns the romanised view of a match view (script.go); valid
// until the next call of Roman or Serbian.
func (v *Views) Roman(t *Text) *Text {
	v.sv.reset()
	romanInto(&v.sv, t)
	v.svt = v.sv.view()
	return &v.svt
}

// Serbian returns the Serbian Latin reading of a match view; valid until
// the next call of Roman or Serbian.
func (v *Views) Serbian(t *Text) *Text {
	v.sv.reset()
	serbianInto(&v.sv, t)
	v.svt = v.sv.view()
	return &v.svt
}

// Translit returns the transliterated view of a match view (Ukrainian
// transliteration when uk is set); valid until the next call.
func (v *Views) Translit(t *Text, uk bool) *Text {
	v.tr.reset()
	translitInto(&v.tr, t, uk)
	v.trt = v.tr.view()
	return &v.trt
}

// Of returns the match view (as Normalise) and the extraction view (as
// Light) of s from one folding pass. The texts are valid until the next
// call.
func (v *Views) Of(s string) (match, light *Text) {
	v.cs = fold(s, v.cs[:0])
	foldLookalikes(v.cs)
	v.match.reset()
	v.light.reset()
	v.drop = spacedRuns(v.cs, v.drop)
	matchInto(&v.match, v.cs, v.drop)
	v.num = convertNumberWords(v.cs, v.num[:0])
	lightInto(&v.light, v.num)
	v.mt = v.match.view()
	v.lt = v.light.view()
	return &v.mt, &v.lt
}

// fold runs NFKC over s and folds each resulting rune, keeping the
// original range of each NFKC segment.
func fold(s string, cs []char) []char {
	if simpleText(s) || norm.NFKC.QuickSpanString(s) == len(s) {
		// Already NFKC (most ad text): fold rune by rune.
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			cs = appendRune(cs, r, int32(i), int32(i+n))
			i += n
		}
		return cs
	}
	var it norm.Iter
	it.InitString(norm.NFKC, s)
	segStart, pending := 0, len(cs)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			cs = appendRune(cs, r, 0, 0) // ranges set below
		}
		if p := it.Pos(); p > segStart {
			for k := pending; k < len(cs); k++ {
				cs[k].s, cs[k].e = int32(segStart), int32(p)
			}
			pending, segStart = len(cs), p
		}
	}
	for k := pending; k < len(cs); k++ {
		cs[k].s, cs[k].e = int32(segStart), int32(len(s))
	}
	return cs
}

// simpleText reports whether s has only printable ASCII and basic
// Cyrillic letters (U+0400–U+045F), which NFKC leaves as they are: most
// ads, checked without the normalisation tables.
func simpleText(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= 0x20 && b < 0x7f, b == '\n', b == '\t', b == '\r':
		case (b == 0xD0 || b == 0xD1) && i+1 < len(s) && s[i+1]&0xC0 == 0x80 && (b == 0xD0 || s[i+1] <= 0x9F):
			i++
		default:
			return false
		}
	}
	return true
}

// foldRune lower-cases r and folds it to its matching form; -1 drops it.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if r < ' ' || r == 0x7f {
			return ' '
		}
		if r == '`' {
			return '\''
		}
		return r
	}
	if 0x410 <= r && r <= 0x44F { // basic Cyrillic, the bulk of ad text
		if r < 0x430 {
			r += 0x20
		}
		if r == 'э' {
			return 'е'
		}
		return r
	}
	switch {
	case r == utf8.RuneError:
		return ' '
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r),
		0xFE00 <= r && r <= 0xFE0F: // format, zero-width, combining marks, variation selectors
		return -1
	case unicode.IsSpace(r), unicode.IsControl(r):
		return ' '
	case unicode.Is(unicode.Pd, r):
		return '-'
	}
	switch r {
	case 'Ё', 'ё', 'Э', 'э':
		return 'е'
	case 'ʼ', 'ʻ', 'ʹ', '‘', '’', '′':
		return '\''
	case '«', '»', '“', '”', '„':
		return '"'
	}
	r = unicode.ToLower(r)
	if b, ok := latinBase[r]; ok {
		return b
	}
	if b, ok := cyrillicBase[r]; ok {
		return b
	}
	return r
}

// cyrillicBase folds the letters that Central Asian, Belarusian and
// Azerbaijani alphabets add to the basic Russian ones (and the Latin
// schwa of Azerbaijani) to the basic letter they are most often typed
// as online, where many keyboards lack them: "ҷ" as "ч", "қ" as "к",
// "ў" as "у", "ə" as "e". Patterns are folded the same way, so a pack may
// write either.
var cyrillicBase = map[rune]rune{
	'ҷ': 'ч', 'ӣ': 'и', 'ӯ': 'у', 'ҳ': 'х', 'қ': 'к', 'ғ': 'г', 'ў': 'у',
	'ө': 'о', 'ү': 'у', 'ң': 'н', 'ә': 'а', 'һ': 'х', 'ұ': 'у', 'ҙ': 'з',
	'ҡ': 'к', 'ҫ': 'с', 'ӊ': 'н', 'ӈ': 'н', 'ə': 'e',
}

// IsWord reports whether r is a word rune of normalised text: a letter or
// a digit.
func IsWord(r rune) bool {
	if 0x400 <= r && r <= 0x481 || 0x48A <= r && r <= 0x52F {
		return true // Cyrillic letters, the bulk of ad text
	}
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isKept(r rune) bool {
	if 0x400 <= r && r <= 0x481 || 0x48A <= r && r <= 0x52F {
		return true
	}
	return IsWord(r) || r >= utf8.RuneSelf && unicode.IsSymbol(r) || r == '$' || r == '+'
}

// builder appends runes and their original ranges.
type builder struct {
	b          []byte
	start, end []int32
}

func (b *builder) add(r rune, s, e int32) {
	if r < utf8.RuneSelf {
		b.b = append(b.b, byte(r))
		b.start = append(b.start, s)
		b.end = append(b.end, e)
		return
	}
	n := len(b.b)
	b.b = utf8.AppendRune(b.b, r)
	for range len(b.b) - n {
		b.start = append(b.start, s)
		b.end = append(b.end, e)
	}
}

func (b *builder) text() Text { return Text{S: string(b.b), start: b.start, end: b.end} }

// view returns a Text sharing the builder's memory (no copy).
func (b *builder) view() Text {
	return Text{S: unsafe.String(unsafe.SliceData(b.b), len(b.b)), start: b.start, end: b.end}
}

func (b *builder) reset() {
	b.b, b.start, b.end = b.b[:0], b.start[:0], b.end[:0]
}

func newBuilder(n int) *builder {
	return &builder{b: make([]byte, 0, n), start: make([]int32, 0, n), end: make([]int32, 0, n)}
}

func lightView(cs []char) Text {
	b := newBuilder(len(cs) * 2)
	lightInto(b, cs)
	return b.text()
}

func lightInto(b *builder, cs []char) {
	space := false
	for _, c := range cs {
		if c.r == ' ' {
			if !space && len(b.b) > 0 {
				b.add(' ', c.s, c.e)
			}
			space = true
			continue
		}
		space = false
		b.add(c.r, c.s, c.e)
	}
}

// Spaced-out words: at least MinSpacedLetters single letters in a row
// separated by spaces ("р а б о т а"), or MinDottedLetters separated by
// punctuation ("б.е.з"), are joined into one word. Every gap of a run must
// look like its first gap, so "б.е.з о.п.ы.т.а" gives two words.
const (
	MinSpacedLetters = 4
	MinDottedLetters = 3
)

func matchView(cs []char) Text {
	b := newBuilder(len(cs) * 2)
	matchInto(b, cs, spacedRuns(cs, nil))
	return b.text()
}

func matchInto(b *builder, cs []char, joined []bool) {
	sep := false
	var sepS, sepE int32
	for i, c := range cs {
		if joined[i] {
			continue // a separator inside a spaced-out word
		}
		if !isKept(c.r) {
			if !sep {
				sepS = c.s
			}
			sep, sepE = true, c.e
			continue
		}
		if sep && len(b.b) > 0 {
			b.add(' ', sepS, sepE)
		}
		sep = false
		b.add(c.r, c.s, c.e)
	}
}

// spacedRuns marks the separators to drop inside spaced-out words.
func spacedRuns(cs []char, drop []bool) []bool {
	if cap(drop) < len(cs) {
		drop = make([]bool, len(cs))
	}
	drop = drop[:len(cs)]
	clear(drop)
	type tok struct{ lo, hi int } // word rune indexes [lo, hi)
	var run []tok
	var gap0 []char
	join := func(toks []tok) {
		for k := 0; k+1 < len(toks); k++ {
			for j := toks[k].hi; j < toks[k+1].lo; j++ {
				drop[j] = true
			}
		}
	}
	// wide reports whether cs[a:b] is two or more spaces: the word gap
	// of a line written "р а б о т а   з а   г р а н и ц е й".
	wide := func(a, b int) bool {
		if b-a < 2 {
			return false
		}
		for _, c := range cs[a:b] {
			if c.r != ' ' {
				return false
			}
		}
		return true
	}
	lastJoined := -1  // end of the last joined run
	var pending []tok // a short spaced run that may precede a joined one
	flush := func(beforeWord bool) {
		if beforeWord && len(run) > 0 && isPreposition(cs[run[len(run)-1].lo].r) {
			// "р а б о т а в Турции": the last letter is a preposition of
			// the next word, not the end of the spaced-out one.
			run = run[:len(run)-1]
		}
		min := MinSpacedLetters
		for _, c := range gap0 {
			if c.r != ' ' {
				min = MinDottedLetters
			}
		}
		single := len(gap0) == 1 && gap0[0].r == ' '
		switch {
		case len(run) >= min:
			join(run)
			if len(pending) > 0 && wide(pending[len(pending)-1].hi, run[0].lo) {
				join(pending)
			}
			lastJoined, pending = run[len(run)-1].hi, nil
		case len(run) >= 2 && single:
			// a short word between spaced-out words joins them
			if lastJoined >= 0 && wide(lastJoined, run[0].lo) {
				join(run)
				lastJoined, pending = run[len(run)-1].hi, nil
			} else {
				pending = append(pending[:0], run...)
			}
		}
		run, gap0 = run[:0], nil
	}
	i := 0
	for i < len(cs) {
		if !IsWord(cs[i].r) {
			i++
			continue
		}
		lo := i
		for i < len(cs) && IsWord(cs[i].r) {
			i++
		}
		if i-lo != 1 || !unicode.IsLetter(cs[lo].r) {
			flush(len(run) > 0 && sameGap(cs[run[len(run)-1].hi:lo], gap0))
			continue
		}
		if len(run) > 0 {
			gap := cs[run[len(run)-1].hi:lo]
			switch {
			case len(gap) > 2 || gapBreaks(gap) || gap0 != nil && !sameGap(gap, gap0):
				flush(false)
			case gap0 == nil:
				gap0 = gap
			}
		}
		run = append(run, tok{lo, i})
	}
	flush(false)
	return drop
}

// isPreposition reports whether a one-letter word is a common preposition
// or conjunction (ru, uk, ro, en) that may follow a spaced-out word.
func isPreposition(r rune) bool {
	switch r {
	case 'в', 'к', 'с', 'у', 'о', 'и', 'з', 'і', 'a', 'o', 'e', 'i':
		return true
	}
	return false
}

func sameGap(a, b []char) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].r != b[i].r {
			return false
		}
	}
	return true
}

// gapBreaks reports whether a separator between two single letters ends a
// spaced-out word: a symbol (currency, emoji) does.
func gapBreaks(cs []char) bool {
	for _, c := range cs {
		if isKept(c.r) {
			return true
		}
	}
	return false
}

// FoldRegex folds the letters of a rule's regex as text is folded (NFKC,
// then foldRune), leaving escapes (\pL, \p{Cyrillic}, \d, \$) as written:
// a regex reads normalised text, so one written with "э", "ё", "ў" or an
// upper-case letter would otherwise never match.
func FoldRegex(re string) string {
	var b strings.Builder
	b.Grow(len(re))
	for i := 0; i < len(re); {
		r, n := utf8.DecodeRuneInString(re[i:])
		if r == '\\' && i+n < len(re) {
			j := i + n
			e, m := utf8.DecodeRuneInString(re[j:])
			j += m
			if (e == 'p' || e == 'P') && j < len(re) {
				if re[j] == '{' {
					if k := strings.IndexByte(re[j:], '}'); k >= 0 {
						j += k + 1
					}
				} else {
					_, m := utf8.DecodeRuneInString(re[j:])
					j += m
				}
			}
			b.WriteString(re[i:j])
			i = j
			continue
		}
		lit := string(r)
		if !norm.NFKC.IsNormalString(lit) {
			lit = norm.NFKC.String(lit) // as fold does to text: "և" reads "եւ"
		}
		for _, r := range lit {
			if f := foldRune(r); f >= 0 {
				b.WriteRune(f)
			}
		}
		i += n
	}
	return b.String()
}
