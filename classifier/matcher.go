package classifier

import (
	"unicode/utf8"
)

// pattern is one normalised literal. A stem matches at a word start and
// may continue inside the word; a substring (sub) matches anywhere, for
// pre-filtering regular expressions; other patterns must start and end at
// word boundaries.
type pattern struct {
	text string
	stem bool
	sub  bool
}

// automaton is an Aho–Corasick DFA over bytes: all patterns of all rules
// and the gazetteer are found in one pass over the normalised text.
type automaton struct {
	class  [256]uint16 // byte -> column; 0 for bytes no pattern uses
	ncls   int
	next   []int32   // state*ncls + column -> state (built, then compacted)
	next16 []uint16  // next, when every state fits in 16 bits (half the cache footprint)
	hasOut []bool    // state has outputs
	out    [][]int32 // state -> patterns ending here (including suffixes)
	pats   []pattern
	wordLo []bool // pattern starts with a word rune
	wordHi []bool // pattern ends with a word rune
}

// maxCompactStates is the most states a 16-bit transition table holds.
var maxCompactStates = 1 << 16

func newAutomaton(pats []pattern) *automaton {
	a := &automaton{pats: pats}
	a.ncls = 1
	for _, p := range pats {
		for i := 0; i < len(p.text); i++ {
			if a.class[p.text[i]] == 0 {
				a.class[p.text[i]] = uint16(a.ncls)
				a.ncls++
			}
		}
	}
	newState := func() int32 {
		for range a.ncls {
			a.next = append(a.next, -1)
		}
		a.out = append(a.out, nil)
		return int32(len(a.out) - 1)
	}
	newState()
	for id, p := range pats {
		s := int32(0)
		for i := 0; i < len(p.text); i++ {
			k := int(s)*a.ncls + int(a.class[p.text[i]])
			if a.next[k] < 0 {
				t := newState()
				a.next[k] = t
			}
			s = a.next[k]
		}
		a.out[s] = append(a.out[s], int32(id))
		first, _ := utf8.DecodeRuneInString(p.text)
		last, _ := utf8.DecodeLastRuneInString(p.text)
		a.wordLo = append(a.wordLo, isWord(first))
		a.wordHi = append(a.wordHi, isWord(last))
	}
	// Breadth-first: failure links, full transitions, merged outputs.
	fail := make([]int32, len(a.out))
	var queue []int32
	bfs := []int32{0} // states in breadth-first order
	for c := range a.ncls {
		if t := a.next[c]; t < 0 {
			a.next[c] = 0
		} else {
			fail[t] = 0
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		bfs = append(bfs, s)
		if f := fail[s]; len(a.out[f]) > 0 {
			a.out[s] = append(a.out[s], a.out[f]...)
		}
		for c := range a.ncls {
			k := int(s)*a.ncls + c
			fk := int(fail[s])*a.ncls + c
			if t := a.next[k]; t < 0 {
				a.next[k] = a.next[fk]
			} else {
				fail[t] = a.next[fk]
				queue = append(queue, t)
			}
		}
	}
	a.renumber(bfs)
	a.hasOut = make([]bool, len(a.out))
	for st, o := range a.out {
		a.hasOut[st] = len(o) > 0
	}
	if len(a.out) > maxCompactStates {
		// The wide table marks transitions into states with outputs by
		// the sign bit, sparing scan a second lookup per byte.
		for k, t := range a.next {
			if a.hasOut[t] {
				a.next[k] = ^t
			}
		}
	}
	if len(a.out) <= maxCompactStates {
		a.next16 = make([]uint16, len(a.next))
		for k, t := range a.next {
			a.next16[k] = uint16(t)
		}
		a.next = nil
	}
	return a
}

// renumber gives states their breadth-first index, so that the states
// near the root, which almost every byte of text visits, share a few
// cache lines of the transition table; a large pack's table runs to tens
// of megabytes, and most of it is touched only inside partial matches.
func (a *automaton) renumber(order []int32) {
	idx := make([]int32, len(order))
	for n, old := range order {
		idx[old] = int32(n)
	}
	next := make([]int32, len(a.next))
	out := make([][]int32, len(a.out))
	for n, old := range order {
		row := a.next[int(old)*a.ncls : int(old+1)*a.ncls]
		for c, t := range row {
			next[n*a.ncls+c] = idx[t]
		}
		out[n] = a.out[old]
	}
	a.next, a.out = next, out
}

// scan calls fn(pattern, start, end) for every occurrence of a pattern in
// s that respects word boundaries. The range of a stem extends to the end
// of the word it starts.
func (a *automaton) scan(s string, fn func(id, start, end int)) {
	st := 0
	for i := 0; i < len(s); i++ {
		k := st*a.ncls + int(a.class[s[i]])
		if a.next16 != nil {
			st = int(a.next16[k])
			if !a.hasOut[st] {
				continue
			}
		} else {
			t := a.next[k]
			if t >= 0 {
				st = int(t)
				continue
			}
			st = int(^t)
		}
		for _, id := range a.out[st] {
			end := i + 1
			start := end - len(a.pats[id].text)
			if a.pats[id].sub {
				fn(int(id), start, end)
				continue
			}
			if a.wordLo[id] && start > 0 {
				if r, _ := utf8.DecodeLastRuneInString(s[:start]); isWord(r) {
					continue
				}
			}
			if !a.pats[id].stem && a.wordHi[id] && end < len(s) {
				if r, _ := utf8.DecodeRuneInString(s[end:]); isWord(r) {
					continue
				}
			}
			if a.pats[id].stem {
				for end < len(s) {
					r, n := utf8.DecodeRuneInString(s[end:])
					if !isWord(r) {
						break
					}
					end += n
				}
			}
			fn(int(id), start, end)
		}
	}
}
