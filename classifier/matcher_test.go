package classifier

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type hit struct{ id, s, e int }

func scanAll(a *automaton, s string) []hit {
	var out []hit
	a.scan(s, func(id, i, j int) { out = append(out, hit{id, i, j}) })
	slices.SortFunc(out, func(x, y hit) int {
		if x.s != y.s {
			return x.s - y.s
		}
		return x.id - y.id
	})
	return out
}

func TestMatcher(t *testing.T) {
	pats := []pattern{
		{text: "работа", stem: false}, {text: "работа за границ", stem: true}, {text: "за", stem: false}, {text: "границ", stem: true},
		{text: "он", stem: false}, {text: "18+", stem: false}, {text: "€", stem: false},
	}
	a := newAutomaton(pats)
	tests := []struct {
		name, text string
		want       []hit
	}{
		{"word and stem", "работа за границей", []hit{{0, 0, 12}, {1, 0, 34}, {2, 13, 17}, {3, 18, 34}}},
		{"no match inside a word", "подработа заграница", nil},
		{"non-stem needs word end", "работаем", nil},
		{"short word only at boundaries", "он звонок она", []hit{{4, 0, 4}}},
		{"symbol pattern", "18+ 3000€", []hit{{5, 0, 3}, {6, 8, 11}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanAll(a, tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("scan(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestMatcherNaive compares the automaton with a naive search on random
// texts over a small alphabet, where overlaps are frequent, with the
// states with full rows, with deep states on trie edges and failure
// links, and with the root alone having a full row.
func TestMatcherNaive(t *testing.T) {
	t.Run("dense", testMatcherNaive)
	for _, b := range []int{0, 64} {
		t.Run(fmt.Sprintf("sparse below %d bytes", b), func(t *testing.T) {
			defer func(n int) { maxDenseBytes = n }(maxDenseBytes)
			maxDenseBytes = b
			testMatcherNaive(t)
		})
	}
}

func testMatcherNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alpha := []string{"а", "б", "a", "b", " "}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alpha[rng.IntN(len(alpha)-1)])
		}
		return b.String()
	}
	for round := range 200 {
		var pats []pattern
		seen := map[pattern]bool{}
		for range 1 + rng.IntN(8) {
			p := pattern{text: word(1 + rng.IntN(4)), stem: rng.IntN(2) == 0}
			if !seen[p] {
				seen[p] = true
				pats = append(pats, p)
			}
		}
		var tb strings.Builder
		for range 40 {
			tb.WriteString(alpha[rng.IntN(len(alpha))])
		}
		text := tb.String()
		a := newAutomaton(pats)
		got := scanAll(a, text)
		var want []hit
		for s := 0; s < len(text); s++ {
			for id, p := range pats {
				if !strings.HasPrefix(text[s:], p.text) {
					continue
				}
				e := s + len(p.text)
				if s > 0 && text[s-1] != ' ' && !isContinuation(text[s-1]) {
					continue
				}
				if s > 0 && isContinuation(text[s-1]) {
					continue // previous rune is a letter
				}
				if !p.stem && e < len(text) && text[e] != ' ' {
					continue
				}
				if p.stem {
					for e < len(text) && text[e] != ' ' {
						e++
					}
				}
				want = append(want, hit{id, s, e})
			}
		}
		slices.SortFunc(want, func(x, y hit) int {
			if x.s != y.s {
				return x.s - y.s
			}
			return x.id - y.id
		})
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: patterns %v text %q\n got %v\nwant %v", round, pats, text, got, want)
		}
	}
}

func isContinuation(b byte) bool { return b&0xC0 == 0x80 }
