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
	// deep[s-dense] is deep state s: its failure link and trie edges,
	// the first edge inline (most deep states have one), the others in
	// edgeCls/edgeTo from at. One record per state, so that a step costs
	// one cache line, not one per array.
	deep    []deepState
	edgeCls []uint16
	edgeTo  []int32 // state, ^state when it has outputs
	// the patterns ending in state s (including suffixes) are
	// outID[outAt[s]:outAt[s+1]]
	outAt []int32
	outID []int32
	pats  []pattern
	meta  []patMeta // per pattern, what scan reads of it
}

// deepState is a state past the full rows.
type deepState struct {
	fail int32
	to   int32 // the first edge's state (flagged as in next)
	at   int32 // index in edgeCls/edgeTo of the edges after the first
	cls  uint16
	n    uint16 // edges
}

// patMeta is what scan needs of a pattern, packed.
type patMeta struct {
	len            int32
	stem, sub      bool
	wordLo, wordHi bool // the pattern starts/ends with a word rune
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
	a := &automaton{pats: pats, meta: make([]patMeta, len(pats))}
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
		a.meta[id] = patMeta{len: int32(len(p.text)), stem: p.stem, sub: p.sub,
			wordLo: textnorm.IsWord(first), wordHi: textnorm.IsWord(last)}
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
	a.outAt = make([]int32, 0, n+1)
	for _, old := range order {
		a.outAt = append(a.outAt, int32(len(a.outID)))
		a.outID = append(a.outID, out[old]...)
	}
	a.outAt = append(a.outAt, int32(len(a.outID)))
	flag := func(t int32) int32 {
		if a.outAt[t+1] > a.outAt[t] {
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
			f := int(idx[fail[order[i]]])
			copy(row, a.next[f*a.ncls:(f+1)*a.ncls])
		}
		for _, e := range kids[order[i]] {
			row[e.cls] = flag(idx[e.to])
		}
	}
	a.deep = make([]deepState, 0, n-a.dense)
	for i := a.dense; i < n; i++ {
		es := kids[order[i]]
		slices.SortFunc(es, func(x, y edge) int { return int(x.cls) - int(y.cls) })
		d := deepState{fail: idx[fail[order[i]]], at: int32(len(a.edgeTo)), n: uint16(len(es))}
		for k, e := range es {
			if k == 0 {
				d.cls, d.to = e.cls, flag(idx[e.to])
				continue
			}
			a.edgeCls = append(a.edgeCls, e.cls)
			a.edgeTo = append(a.edgeTo, flag(idx[e.to]))
		}
		a.deep = append(a.deep, d)
	}
	return a
}

// step is the transition from state st on column c, flagged (^state) when
// the new state has outputs.
func (a *automaton) step(st int, c uint16) int32 {
	for st >= a.dense {
		d := &a.deep[st-a.dense]
		if d.n > 0 && d.cls == c {
			return d.to
		}
		if d.n > 1 && c > d.cls {
			for e := d.at; e < d.at+int32(d.n)-1; e++ {
				if a.edgeCls[e] == c {
					return a.edgeTo[e]
				}
			}
		}
		st = int(d.fail)
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
		for _, id := range a.outID[a.outAt[st]:a.outAt[st+1]] {
			m := &a.meta[id]
			end := i + 1
			start := end - int(m.len)
			if m.sub {
				fn(int(id), start, end)
				continue
			}
			if m.wordLo && start > 0 {
				if r, _ := utf8.DecodeLastRuneInString(s[:start]); textnorm.IsWord(r) {
					continue
				}
			}
			if !m.stem && m.wordHi && end < len(s) {
				if r, _ := utf8.DecodeRuneInString(s[end:]); textnorm.IsWord(r) {
					continue
				}
			}
			if m.stem {
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
