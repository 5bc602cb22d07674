package classifier

import (
	"unicode"
	"unicode/utf8"

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
// ranges survive) and only whitespace runs collapsed.
func Light(s string) Text {
	cs := fold(s, nil)
	foldLookalikes(cs)
	return lightView(cs)
}

// views returns both views of s from one folding pass.
func views(s string) (match, light Text) {
	cs := fold(s, make([]char, 0, len(s)))
	foldLookalikes(cs)
	return matchView(cs), lightView(cs)
}

// fold runs NFKC over s and folds each resulting rune, keeping the
// original range of each NFKC segment.
func fold(s string, cs []char) []char {
	var it norm.Iter
	it.InitString(norm.NFKC, s)
	segStart, pending := 0, len(cs)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			if r = foldRune(r); r >= 0 {
				cs = append(cs, char{r: r})
			}
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
	case 'Ё', 'ё':
		return 'е'
	case 'ʼ', '‘', '’', '′':
		return '\''
	case '«', '»', '“', '”', '„':
		return '"'
	}
	r = unicode.ToLower(r)
	if b, ok := latinBase[r]; ok {
		return b
	}
	return r
}

func isWord(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isKept(r rune) bool {
	return isWord(r) || r >= utf8.RuneSelf && unicode.IsSymbol(r) || r == '$' || r == '+'
}

// builder appends runes and their original ranges.
type builder struct {
	b          []byte
	start, end []int32
}

func (b *builder) add(r rune, s, e int32) {
	n := len(b.b)
	b.b = utf8.AppendRune(b.b, r)
	for range len(b.b) - n {
		b.start = append(b.start, s)
		b.end = append(b.end, e)
	}
}

func (b *builder) text() Text { return Text{S: string(b.b), start: b.start, end: b.end} }

func newBuilder(n int) *builder {
	return &builder{b: make([]byte, 0, n), start: make([]int32, 0, n), end: make([]int32, 0, n)}
}

func lightView(cs []char) Text {
	b := newBuilder(len(cs) * 2)
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
	return b.text()
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
	joined := spacedRuns(cs)
	b := newBuilder(len(cs) * 2)
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
	return b.text()
}

// spacedRuns marks the separators to drop inside spaced-out words.
func spacedRuns(cs []char) []bool {
	drop := make([]bool, len(cs))
	type tok struct{ lo, hi int } // word rune indexes [lo, hi)
	var run []tok
	var gap0 []char
	flush := func() {
		min := MinSpacedLetters
		for _, c := range gap0 {
			if c.r != ' ' {
				min = MinDottedLetters
			}
		}
		if len(run) >= min {
			for k := 0; k+1 < len(run); k++ {
				for j := run[k].hi; j < run[k+1].lo; j++ {
					drop[j] = true
				}
			}
		}
		run, gap0 = run[:0], nil
	}
	i := 0
	for i < len(cs) {
		if !isWord(cs[i].r) {
			i++
			continue
		}
		lo := i
		for i < len(cs) && isWord(cs[i].r) {
			i++
		}
		if i-lo != 1 || !unicode.IsLetter(cs[lo].r) {
			flush()
			continue
		}
		if len(run) > 0 {
			gap := cs[run[len(run)-1].hi:lo]
			switch {
			case len(gap) > 2 || gapBreaks(gap) || gap0 != nil && !sameGap(gap, gap0):
				flush()
			case gap0 == nil:
				gap0 = gap
			}
		}
		run = append(run, tok{lo, i})
	}
	flush()
	return drop
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
