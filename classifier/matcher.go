package classifier

import (
	"slices"
	"unicode/utf8"

	"github.com/lurewatch/lure/textnorm"
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

// automaton is an Aho–Corasick automaton over bytes: all patterns of all
// rules and the gazetteer are found in one pass over the normalised text.
//
// States are numbered breadth-first, so the states near the root, which
// almost every byte of text visits, come first. Those get a full row of
// transitions (a DFA); the deep states, visited only inside a partial
// match, keep just their trie edges and a failure link. A 22-language
// pack has some 170,000 states: as one full table that is tens of
// megabytes, and every byte of text cost a cache miss; this way the table
// is a few megabytes and the rows in use stay in cache.
type automaton struct {
	class [256]uint16 // byte -> column; 0 for bytes no pattern uses
	ncls  int
	dense int     // states [0, dense) have full rows
	next  []int32 // state*ncls + column -> state, ^state when it has outputs
	// the deep states' trie edges, sorted by column: edges of state s are
	// edgeCls/edgeTo[edgeAt[s-dense]:edgeAt[s-dense+1]]
	edgeAt  []int32
	edgeCls []uint16
	edgeTo  []int32 // state, ^state when it has outputs
	fail    []int32
	hasOut  []bool    // state has outputs
	out     [][]int32 // state -> patterns ending here (including suffixes)
	pats    []pattern
	wordLo  []bool // pattern starts with a word rune
	wordHi  []bool // pattern ends with a word rune
}

// maxDenseBytes bounds the full-row part of the table; a variable so
// that tests can force every state to be sparse.
var maxDenseBytes = 8 << 20

// edge is a trie edge while the automaton is built.
type edge struct {
	cls uint16
	to  int32
}

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
	// The trie, with sparse edges.
	kids := [][]edge{nil}
	out := [][]int32{nil}
	child := func(s int32, c uint16) int32 {
		for _, e := range kids[s] {
			if e.cls == c {
				return e.to
			}
		}
		return -1
	}
	for id, p := range pats {
		s := int32(0)
		for i := 0; i < len(p.text); i++ {
			c := a.class[p.text[i]]
			t := child(s, c)
			if t < 0 {
				t = int32(len(kids))
				kids = append(kids, nil)
				out = append(out, nil)
				kids[s] = append(kids[s], edge{c, t})
			}
			s = t
		}
		out[s] = append(out[s], int32(id))
		first, _ := utf8.DecodeRuneInString(p.text)
		last, _ := utf8.DecodeLastRuneInString(p.text)
		a.wordLo = append(a.wordLo, textnorm.IsWord(first))
		a.wordHi = append(a.wordHi, textnorm.IsWord(last))
	}
	// Breadth-first order, failure links and merged outputs.
	n := len(kids)
	fail := make([]int32, n)
	order := make([]int32, 0, n)
	order = append(order, 0)
	for q := 0; q < len(order); q++ {
		s := order[q]
		if s != 0 {
			if f := fail[s]; len(out[f]) > 0 {
				out[s] = append(out[s][:len(out[s]):len(out[s])], out[f]...)
			}
		}
		for _, e := range kids[s] {
			order = append(order, e.to)
			if s == 0 {
				continue
			}
			f := fail[s]
			for {
				if t := child(f, e.cls); t >= 0 {
					fail[e.to] = t
					break
				}
				if f == 0 {
					break
				}
				f = fail[f]
			}
		}
	}
	idx := make([]int32, n) // old state -> breadth-first index
	for i, old := range order {
		idx[old] = int32(i)
	}
	a.fail = make([]int32, n)
	a.out = make([][]int32, n)
	a.hasOut = make([]bool, n)
	for i, old := range order {
		a.fail[i] = idx[fail[old]]
		a.out[i] = out[old]
		a.hasOut[i] = len(out[old]) > 0
	}
	flag := func(t int32) int32 {
		if a.hasOut[t] {
			return ^t
		}
		return t
	}
	a.dense = min(n, max(1, maxDenseBytes/(4*a.ncls)))
	// Full rows: a missing edge is the failure state's transition, whose
	// row (a shallower state, so an earlier one) is already filled.
	a.next = make([]int32, a.dense*a.ncls)
	for i := range a.dense {
		row := a.next[i*a.ncls : (i+1)*a.ncls]
		if i > 0 {
			f := int(a.fail[i])
			copy(row, a.next[f*a.ncls:(f+1)*a.ncls])
		}
		for _, e := range kids[order[i]] {
			row[e.cls] = flag(idx[e.to])
		}
	}
	a.edgeAt = make([]int32, 0, n-a.dense+1)
	for i := a.dense; i < n; i++ {
		a.edgeAt = append(a.edgeAt, int32(len(a.edgeTo)))
		es := kids[order[i]]
		slices.SortFunc(es, func(x, y edge) int { return int(x.cls) - int(y.cls) })
		for _, e := range es {
			a.edgeCls = append(a.edgeCls, e.cls)
			a.edgeTo = append(a.edgeTo, flag(idx[e.to]))
		}
	}
	a.edgeAt = append(a.edgeAt, int32(len(a.edgeTo)))
	return a
}

// step is the transition from state st on column c, flagged (^state) when
// the new state has outputs.
func (a *automaton) step(st int, c uint16) int32 {
	for st >= a.dense {
		k := st - a.dense
		for e := a.edgeAt[k]; e < a.edgeAt[k+1]; e++ {
			if a.edgeCls[e] == c {
				return a.edgeTo[e]
			}
		}
		st = int(a.fail[st])
	}
	return a.next[st*a.ncls+int(c)]
}

// scan calls fn(pattern, start, end) for every occurrence of a pattern in
// s that respects word boundaries. The range of a stem extends to the end
// of the word it starts.
func (a *automaton) scan(s string, fn func(id, start, end int)) {
	st := 0
	for i := 0; i < len(s); i++ {
		c := a.class[s[i]]
		var t int32
		switch {
		case c == 0:
			st = 0 // no pattern has this byte
			continue
		case st < a.dense:
			t = a.next[st*a.ncls+int(c)]
		default:
			t = a.step(st, c)
		}
		if t >= 0 {
			st = int(t)
			continue
		}
		st = int(^t)
		for _, id := range a.out[st] {
			end := i + 1
			start := end - len(a.pats[id].text)
			if a.pats[id].sub {
				fn(int(id), start, end)
				continue
			}
			if a.wordLo[id] && start > 0 {
				if r, _ := utf8.DecodeLastRuneInString(s[:start]); textnorm.IsWord(r) {
					continue
				}
			}
			if !a.pats[id].stem && a.wordHi[id] && end < len(s) {
				if r, _ := utf8.DecodeRuneInString(s[end:]); textnorm.IsWord(r) {
					continue
				}
			}
			if a.pats[id].stem {
				for end < len(s) {
					r, n := utf8.DecodeRuneInString(s[end:])
					if !textnorm.IsWord(r) {
						break
					}
					end += n
				}
			}
			fn(int(id), start, end)
		}
	}
}
