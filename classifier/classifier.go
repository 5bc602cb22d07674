// Package classifier scores an ad for deception signals with a rule pack:
// it normalises each text field (keeping a map back to the original
// bytes), finds every literal pattern of every rule and the destination
// gazetteer in one Aho–Corasick pass, runs the few regular expressions,
// extracts salaries, ages, destinations and contacts, evaluates feature
// and combination rules, and combines the fired rules into a logistic
// score with evidence spans into the original text.
//
// It leaves the rules themselves to package rules, transport to package
// stream, and storage and display to the indexer and dashboard.
package classifier

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// Options configure a Classifier. The zero value works.
type Options struct {
	// Metrics records scores; nil records nothing.
	Metrics *Metrics
	// SiteHome gives the home countries (ISO alpha-2) of a site, by
	// ad.Site; they override the pack's per-language model.home for
	// feature foreign_destination.
	SiteHome map[string][]string
	// MaxEvidence bounds the evidence spans kept per hit. Default 5.
	MaxEvidence int
	// Now stamps Verdict.ScoredAt; nil leaves it zero so that verdicts
	// are byte-for-byte reproducible.
	Now func() time.Time
}

// owner is what a literal pattern belongs to: a rule or a country.
type owner struct {
	rule    int // index into Classifier.rules, or -1
	country string
}

type compiled struct {
	*rules.Rule
	regex []*regexp.Regexp
}

// Classifier scores ads. It is safe for concurrent use.
type Classifier struct {
	pack   *rules.Pack
	opts   Options
	rules  []compiled
	order  []int
	ac     *automaton
	owners [][]owner
	risky  map[string]bool
}

// New compiles a pack. It fails when a pattern normalises to nothing or
// when two rules with the same signal share a pattern (they would count
// the same words twice).
func New(p *rules.Pack, opts Options) (*Classifier, error) {
	if p == nil {
		return nil, fmt.Errorf("classifier: nil rule pack")
	}
	if opts.MaxEvidence <= 0 {
		opts.MaxEvidence = 5
	}
	c := &Classifier{pack: p, opts: opts, risky: map[string]bool{}}
	for _, r := range p.Gazetteer.Risky {
		c.risky[r] = true
	}
	order, err := p.Order()
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	c.order = order
	var pats []pattern
	index := map[pattern]int{}
	addPattern := func(raw string, o owner) error {
		body, stem := strings.CutSuffix(raw, "*")
		pt := pattern{text: Normalise(body).S, stem: stem}
		if pt.text == "" {
			return fmt.Errorf("pattern %q normalises to nothing", raw)
		}
		id, ok := index[pt]
		if !ok {
			id = len(pats)
			index[pt] = id
			pats = append(pats, pt)
			c.owners = append(c.owners, nil)
		}
		for _, prev := range c.owners[id] {
			if prev == o {
				return nil
			}
			if o.rule >= 0 && prev.rule >= 0 && c.rules[prev.rule].Signal == c.rules[o.rule].Signal {
				return fmt.Errorf("pattern %q is also in rule %s with the same signal", raw, c.rules[prev.rule].ID)
			}
		}
		c.owners[id] = append(c.owners[id], o)
		return nil
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		cr := compiled{Rule: r}
		for _, re := range r.Regex {
			x, err := regexp.Compile(re)
			if err != nil {
				return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
			}
			cr.regex = append(cr.regex, x)
		}
		c.rules = append(c.rules, cr)
		for _, pat := range r.Patterns {
			if err := addPattern(pat, owner{rule: i}); err != nil {
				return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
			}
		}
	}
	codes := make([]string, 0, len(p.Gazetteer.Countries))
	for code := range p.Gazetteer.Countries {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		for _, pat := range p.Gazetteer.Countries[code] {
			if err := addPattern(pat, owner{rule: -1, country: code}); err != nil {
				return nil, fmt.Errorf("classifier: gazetteer %s: %w", code, err)
			}
		}
	}
	c.ac = newAutomaton(pats)
	return c, nil
}

// Pack returns the rule pack the classifier was built from.
func (c *Classifier) Pack() *rules.Pack { return c.pack }

// applies reports whether a rule of the given kind may fire on an ad.
func applies(ruleKind string, k ad.Kind) bool {
	switch ruleKind {
	case rules.KindJob:
		return k != ad.KindMarriage
	case rules.KindMarriage:
		return k != ad.KindJob
	}
	return true
}

// scoring is the state of one Score call.
type scoring struct {
	c        *Classifier
	a        *ad.Ad
	fired    []bool
	evidence [][]ad.Span
	ents     ad.Entities
	places   []place
	found    map[string][]spanned // extracted facts by kind
}

type place struct {
	code string
	span ad.Span
}

type spanned struct {
	found
	span ad.Span
}

func (s *scoring) addEvidence(rule int, sp ad.Span) {
	s.fired[rule] = true
	ev := s.evidence[rule]
	if len(ev) >= s.c.opts.MaxEvidence || slices.Contains(ev, sp) {
		return
	}
	s.evidence[rule] = append(ev, sp)
}

func span(field, orig string, t *Text, i, j int) ad.Span {
	s, e := t.Orig(i, j)
	return ad.Span{Field: field, Start: s, End: e, Text: orig[s:e]}
}

// Score scores one ad. The result depends only on the ad, the pack and
// the options: the same inputs give the same verdict.
func (c *Classifier) Score(ctx context.Context, a ad.Ad) ad.Verdict {
	t0 := time.Now()
	s := &scoring{
		c: c, a: &a,
		fired:    make([]bool, len(c.rules)),
		evidence: make([][]ad.Span, len(c.rules)),
		found:    map[string][]spanned{},
	}
	for _, f := range ad.Fields {
		if ctx.Err() != nil {
			break
		}
		s.field(f, truncate(a.Field(f), ad.MaxFieldBytes))
	}
	s.features()
	s.combinations()

	v := ad.Verdict{V: ad.Version, Ad: a, RulePack: c.pack.Version, Entities: s.ents, Hits: []ad.Hit{}}
	z := c.pack.Model.Bias
	for i, r := range c.rules {
		if !s.fired[i] {
			continue
		}
		z += r.Weight
		v.Hits = append(v.Hits, ad.Hit{Rule: r.ID, Weight: r.Weight, Signal: r.Signal, Evidence: s.evidence[i]})
	}
	slices.SortFunc(v.Hits, func(x, y ad.Hit) int {
		if d := math.Abs(y.Weight) - math.Abs(x.Weight); d != 0 {
			if d > 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(x.Rule, y.Rule)
	})
	v.Score = math.Round(10000/(1+math.Exp(-z))) / 100
	m := c.pack.Model
	switch {
	case v.Score >= m.Bands.High:
		v.Band = ad.BandHigh
	case v.Score >= m.Bands.Medium:
		v.Band = ad.BandMedium
	default:
		v.Band = ad.BandLow
	}
	v.Flagged = v.Score >= m.Threshold
	if c.opts.Now != nil {
		v.ScoredAt = c.opts.Now()
	}
	c.opts.Metrics.observe(v.Band, time.Since(t0).Seconds())
	return v
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// field matches patterns and regexes and extracts entities in one field.
func (s *scoring) field(f, orig string) {
	if orig == "" {
		return
	}
	c := s.c
	t, l := views(orig)
	c.ac.scan(t.S, func(id, i, j int) {
		for _, o := range c.owners[id] {
			switch {
			case o.rule < 0:
				if f != ad.FieldContact {
					s.places = append(s.places, place{o.country, span(f, orig, &t, i, j)})
				}
			case applies(c.rules[o.rule].Kind, s.a.Kind):
				s.addEvidence(o.rule, span(f, orig, &t, i, j))
			}
		}
	})
	for ri, r := range c.rules {
		if len(r.regex) == 0 || !applies(r.Kind, s.a.Kind) {
			continue
		}
		for _, re := range r.regex {
			for _, m := range re.FindAllStringIndex(t.S, s.c.opts.MaxEvidence) {
				if m[1] > m[0] {
					s.addEvidence(ri, span(f, orig, &t, m[0], m[1]))
				}
			}
		}
	}
	sal := extractSalaries(l.S)
	all := append(sal, extractAges(l.S)...)
	all = append(all, extractContacts(l.S, sal)...)
	for _, x := range all {
		sp := span(f, orig, &l, x.start, x.end)
		s.found[x.kind] = append(s.found[x.kind], spanned{x, sp})
		switch x.kind {
		case "salary":
			x.salary.Text = sp.Text
			s.ents.Salaries = append(s.ents.Salaries, x.salary)
		case "age":
			for _, n := range []int{x.lo, x.hi} {
				if n > 0 && !slices.Contains(s.ents.Ages, n) {
					s.ents.Ages = append(s.ents.Ages, n)
				}
			}
		case "phone":
			s.ents.Phones = appendNew(s.ents.Phones, x.value)
		case "email":
			s.ents.Emails = appendNew(s.ents.Emails, x.value)
		case "handle", "link":
			s.ents.Handles = appendNew(s.ents.Handles, x.value)
		}
	}
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
