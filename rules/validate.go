package rules

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var (
	idRe      = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)
	langRe    = regexp.MustCompile(`^[a-z]{2}$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
	currRe    = regexp.MustCompile(`^[A-Z]{3}$`)
)

// MinStemRunes is the shortest prefix a stem pattern may have.
const MinStemRunes = 3

func validateModel(file string, m *Model) error {
	switch {
	case math.IsNaN(m.Bias) || math.Abs(m.Bias) > 20:
		return errAt(file, 0, "bias %v out of range [-20, 20]", m.Bias)
	case !(m.Threshold > 0 && m.Threshold < 100):
		return errAt(file, 0, "threshold %v out of range (0, 100)", m.Threshold)
	case !(m.PayRatio >= 1 && m.PayRatio <= 20):
		return errAt(file, 0, "pay_ratio %v out of range [1, 20]", m.PayRatio)
	case !(m.Bands.Medium > 0 && m.Bands.Medium < m.Bands.High && m.Bands.High < 100):
		return errAt(file, 0, "bands need 0 < medium < high < 100, got %v and %v", m.Bands.Medium, m.Bands.High)
	}
	for c, v := range m.HighPay {
		if !currRe.MatchString(c) || !(v > 0) {
			return errAt(file, 0, "high_pay %q: %v: need an ISO currency code and a positive amount", c, v)
		}
	}
	for l, cs := range m.Home {
		if !langRe.MatchString(l) {
			return errAt(file, 0, "home: language %q is not a two-letter code", l)
		}
		for _, c := range cs {
			if !countryRe.MatchString(c) {
				return errAt(file, 0, "home %s: country %q is not an ISO alpha-2 code", l, c)
			}
		}
	}
	return nil
}

func validateGazetteer(file string, g *Gazetteer) error {
	for c, pats := range g.Countries {
		if !countryRe.MatchString(c) {
			return errAt(file, 0, "country %q is not an ISO alpha-2 code", c)
		}
		for _, pat := range pats {
			if err := checkPattern(pat); err != "" {
				return errAt(file, 0, "country %s: pattern %q: %s", c, pat, err)
			}
		}
	}
	for _, c := range g.Risky {
		if _, ok := g.Countries[c]; !ok {
			return errAt(file, 0, "risky country %q has no entry in countries", c)
		}
	}
	return nil
}

// checkPattern returns what is wrong with a pattern, or "".
func checkPattern(p string) string {
	body, stem := strings.CutSuffix(p, "*")
	switch {
	case strings.TrimSpace(body) != body || body == "":
		return "empty or padded with spaces"
	case strings.Contains(body, "*"):
		return "* is allowed only at the end"
	case stem && utf8.RuneCountInString(body) < MinStemRunes:
		return "stem shorter than 3 letters"
	}
	return ""
}

func (p *Pack) validate() error {
	byID := map[string]*Rule{}
	for i := range p.Rules {
		r := &p.Rules[i]
		if err := r.validate(); err != "" {
			return errAt(r.File, r.Line, "rule %s: %s", r.ID, err)
		}
		if prev, dup := byID[r.ID]; dup {
			return errAt(r.File, r.Line, "rule %s: duplicate id (first at %s:%d)", r.ID, prev.File, prev.Line)
		}
		byID[r.ID] = r
	}
	hasSignal := map[string]bool{}
	for _, r := range p.Rules {
		hasSignal[r.Signal] = true
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.When == nil {
			continue
		}
		for _, ref := range r.When.Refs() {
			if s, ok := strings.CutPrefix(ref, SignalRef); ok {
				// A known signal that no rule of this pack reads is
				// allowed (the reference just never holds), so that a
				// pack may carry a subset of the languages.
				if !knownSignal(s) {
					return errAt(r.File, r.Line, "rule %s: unknown signal %q", r.ID, s)
				}
			} else if _, ok := byID[ref]; !ok {
				return errAt(r.File, r.Line, "rule %s: unknown rule %q", r.ID, ref)
			}
		}
	}
	if _, err := p.Order(); err != nil {
		return err
	}
	return nil
}

func (r *Rule) validate() string {
	switch {
	case !idRe.MatchString(r.ID):
		return "id must be lowercase letters, digits, _ and ."
	case r.Description == "":
		return "missing description"
	case !knownSignal(r.Signal):
		return "unknown signal " + quote(r.Signal)
	case len(r.Langs) == 0:
		return "missing langs"
	case r.Kind != KindJob && r.Kind != KindMarriage && r.Kind != KindAny:
		return "kind must be job, marriage or any"
	case math.IsNaN(r.Weight) || r.Weight == 0 || math.Abs(r.Weight) > 10:
		return "weight must be non-zero and within [-10, 10]"
	case IsNegative(r.Signal) != (r.Weight < 0):
		return "weight sign does not match signal " + r.Signal
	case len(r.Examples.Silent) == 0 || len(r.Examples.Fire) == 0 && !slices.Contains(SiteFeatures, r.Feature):
		return "needs at least one fire and one silent example"
	}
	for _, l := range r.Langs {
		if !langRe.MatchString(l) {
			return "language " + quote(l) + " is not a two-letter code"
		}
	}
	n := 0
	if len(r.Patterns)+len(r.Regex) > 0 {
		n++
	}
	if r.Feature != "" {
		n++
		if !slices.Contains(Features, r.Feature) {
			return "unknown feature " + quote(r.Feature)
		}
	}
	if r.When != nil {
		n++
		if len(r.When.All) == 0 && r.When.AnyN == nil && r.When.RulesN == nil {
			return "when needs all, any_n or rules_n"
		}
		if a := r.When.AnyN; a != nil && (a.N < 1 || a.N > len(a.Of)) {
			return "any_n.n must be between 1 and the number of references"
		}
		if a := r.When.RulesN; a != nil && (a.N < 1 || len(a.Of) == 0) {
			return "rules_n needs n of at least 1 and references"
		}
	}
	if n != 1 {
		return "needs exactly one of patterns/regex, feature or when"
	}
	for _, pat := range r.Patterns {
		if err := checkPattern(pat); err != "" {
			return "pattern " + quote(pat) + ": " + err
		}
	}
	for _, re := range r.Regex {
		if _, err := regexp.Compile(re); err != nil {
			return "regex " + quote(re) + ": " + err.Error()
		}
	}
	return ""
}

func quote(s string) string { return `"` + s + `"` }

// Order returns the indexes of p.Rules so that every combination rule
// comes after the rules it refers to (by id or signal). It fails on cycles.
func (p *Pack) Order() ([]int, error) {
	idx := map[string]int{}
	for i, r := range p.Rules {
		idx[r.ID] = i
	}
	deps := func(i int) []int {
		r := p.Rules[i]
		if r.When == nil {
			return nil
		}
		var out []int
		for _, ref := range r.When.Refs() {
			if s, ok := strings.CutPrefix(ref, SignalRef); ok {
				for j, o := range p.Rules {
					if o.Signal == s && j != i && o.When == nil {
						out = append(out, j)
					}
				}
			} else if j, ok := idx[ref]; ok {
				out = append(out, j)
			}
		}
		return out
	}
	const (
		white = iota
		grey
		black
	)
	state := make([]int, len(p.Rules))
	var order []int
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case grey:
			r := p.Rules[i]
			return errAt(r.File, r.Line, "rule %s: combination cycle", r.ID)
		case black:
			return nil
		}
		state[i] = grey
		for _, j := range deps(i) {
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = black
		order = append(order, i)
		return nil
	}
	for i := range p.Rules {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
