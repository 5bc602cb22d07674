package classifier

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
)

// Regular expressions run only on fields where the automaton found one of
// their required literals: a set of strings such that every match of the
// expression contains at least one of them. The set is derived from the
// expression itself, so a rule author cannot forget it.

const (
	maxLiteralSet   = 64 // largest set of alternatives kept
	maxClassRunes   = 8  // largest character class expanded to literals
	minLiteralBytes = 3  // shortest useful literal
)

// requiredLiterals returns a literal set every match of expr contains.
func requiredLiterals(expr string) ([]string, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	set, ok := required(re.Simplify())
	if !ok || minLen(set) < minLiteralBytes {
		return nil, fmt.Errorf("regex %q has no required literal of %d bytes or more to pre-filter on", expr, minLiteralBytes)
	}
	return set, nil
}

func minLen(set []string) int {
	if len(set) == 0 {
		return 0
	}
	n := len(set[0])
	for _, s := range set[1:] {
		n = min(n, len(s))
	}
	return n
}

// exact returns the finite set of strings re matches, when it is small.
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []string{s}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= maxClassRunes {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		s, ok := exact(re.Sub[0])
		return append(s, ""), ok && len(s) < maxLiteralSet
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok || len(out)+len(s) > maxLiteralSet {
				return nil, false
			}
			out = append(out, s...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			s, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if out, ok = product(out, s); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

func product(a, b []string) ([]string, bool) {
	if len(a)*len(b) > maxLiteralSet {
		return nil, false
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out, true
}

// required returns a literal set every match of re contains.
func required(re *syntax.Regexp) ([]string, bool) {
	if s, ok := exact(re); ok {
		return s, true
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s, ok := required(sub)
			if !ok || len(out)+len(s) > maxLiteralSet {
				return nil, false
			}
			out = append(out, s...)
		}
		return out, true
	case syntax.OpConcat:
		// Candidates: each run of consecutive exact children (as one
		// product), and each child's own required set; keep the one
		// whose shortest string is longest.
		var best []string
		consider := func(s []string) {
			if minLen(s) > minLen(best) {
				best = s
			}
		}
		run := []string{""}
		for _, sub := range re.Sub {
			if s, ok := exact(sub); ok {
				if p, ok := product(run, s); ok {
					run = p
					continue
				}
				consider(run)
				run = s
				continue
			}
			consider(run)
			run = []string{""}
			if s, ok := required(sub); ok {
				consider(s)
			}
		}
		consider(run)
		return best, best != nil
	}
	return nil, false
}

// prefixLiterals returns the literals one of which every match of expr
// starts with, when expr begins with a small finite set of strings of at
// least minLiteralBytes ("(?:паспорт|документ)\pL* …"). Such a regex need
// only be tried, anchored, where the automaton found one of them.
func prefixLiterals(expr string) ([]string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	re = re.Simplify()
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	first := re
	if re.Op == syntax.OpConcat && len(re.Sub) > 0 {
		first = re.Sub[0]
	}
	set, ok := exact(first)
	if !ok || minLen(set) < minLiteralBytes || re.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	for _, l := range set {
		// the automaton reports literals as written; an empty-width
		// assertion inside would not survive being a prefix
		if strings.ContainsAny(l, "^$") {
			return nil, false
		}
	}
	return set, true
}

// maxConjuncts bounds the literal sets kept per regex by
// conjunctLiterals, and maxConjunctSet the strings of one: each is looked
// for in the field's text, so a large set costs more than it saves.
const (
	maxConjuncts   = 4
	maxConjunctSet = 8
)

// conjunctLiterals returns further literal sets every match of expr
// contains, one per part of its top-level concatenation that has one
// ("(?:зарплат|оплат)\pL* … (?:в конце|после) (?:сезон|контракт)\pL*"
// gives the second and third sets): a regex runs only where each of them
// occurs somewhere in the field, so a common first word alone does not
// start it. Sets equal to skip (the literals the regex is already
// triggered on), sets with a string shorter than minLiteralBytes and sets
// of more than maxConjunctSet strings are left out; the longest are kept.
func conjunctLiterals(expr string, skip []string) [][]string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		return nil
	}
	var sets [][]string
	for _, sub := range re.Sub {
		set, ok := exact(sub)
		if !ok {
			set, ok = required(sub)
		}
		if !ok || len(set) > maxConjunctSet || minLen(set) < minLiteralBytes || slices.Equal(set, skip) {
			continue
		}
		sets = append(sets, set)
	}
	slices.SortStableFunc(sets, func(a, b []string) int { return minLen(b) - minLen(a) })
	if len(sets) > maxConjuncts {
		sets = sets[:maxConjuncts]
	}
	return sets
}
