// Package classifier scores an ad for deception signals with a rule pack.
//
// Each text field is normalised (package textnorm) into views that keep a map back to the
// original bytes: NFKC, case folding, no format or zero-width characters,
// Latin/Cyrillic/Greek look-alikes folded (from the Unicode confusables
// data) and digits used as letters, spaced or dotted letters joined, emoji
// as words and flags kept for the gazetteer; the extraction view also
// reads numbers written as words. One Aho–Corasick pass finds every
// literal pattern of every rule, the destination gazetteer, the literals
// that pre-filter the few regular expressions, and the trigger words of
// the costlier extractors; fields of Russian, Ukrainian and related ads
// written in Latin letters are also scanned in a transliterated view.
// Extractors read salaries (with periods), ages, destinations, phones
// (E.164 through libphonenumber), e-mails, messenger handles, company
// names and licence numbers; feature rules compare them with the pack's
// model (for example the wage table of rules/wages.yaml), combination
// rules count co-occurring signals, and the fired rules give a logistic
// score with evidence spans into the original text. Holder swaps packs in
// running classifiers.
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
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textnorm"
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
	// SiteCountry gives the country (ISO alpha-2) of a site, by ad.Site,
	// for Entities.Region only (it does not change scores): a region named
	// in it wins, and an ad whose location names none gets the bare
	// country. SiteHome is used when a site is missing here.
	SiteCountry map[string]string
	// SiteGenre gives the genre of news and NGO sites, by ad.Site
	// (crawler.Profile.Genre: "news" or "ngo"), for feature
	// reporting_site.
	SiteGenre map[string]string
	// DetectLang, when set, gives the language (ISO 639-1, or "" when
	// unsure) of an ad that has none, from its title and body (package
	// langid). The ad is then scored as that language and the verdict
	// records it (Verdict.Lang, LangDetected). Patterns of every pack run
	// on every ad either way; the language chooses the home countries and
	// the transliterated views.
	DetectLang func(text string) string
}

// owner is what a literal pattern belongs to: a rule, a country, or the
// pre-filter of a rule's regular expressions.
type owner struct {
	rule    int // index into Classifier.rules, or -1
	country string
	trigger int // rule whose regexes the pattern pre-filters, or -1
	// rx is 1 + the index of the rule's regex the pattern starts every
	// match of (an anchored regex, run only where the pattern occurs);
	// 0 when the pattern pre-filters the rule's other regexes.
	rx   int
	need uint8 // extractors the pattern triggers (need* bits)
	// region and category are 1 + the index of an origin region
	// (c.regions) or job category (pack Categories) the pattern names;
	// 0 for none.
	region, category int
	// view is the script view the pattern is matched in (script.go);
	// viewNone for the match view and the transliterated view.
	view uint8
}

type compiled struct {
	*rules.Rule
	regex []*regexp.Regexp
	// anchored[k] is regex[k] anchored at its start ("^(?:…)") when every
	// match of it starts with one of a small set of literals: it then runs
	// only where the automaton found one of them at the start of a word,
	// not over the whole field. (A rule regex is read as starting at a
	// word: "(?:паспорт|документ)\pL* …" does not match inside
	// "загранпаспорт" unless that word is one of its alternatives.)
	anchored []*regexp.Regexp
	// conj[k] are the conjunct literal sets of regex[k] (indexes into
	// Classifier.conj): it runs on a field only when a literal of each of
	// them occurs there.
	conj [][]int
	// refs are, for a combination rule, the rule indexes each reference
	// of When.All and When.AnyN.Of stands for; rulesOf the rule indexes
	// of all references of When.RulesN.Of together, each once.
	all, anyOf [][]int
	rulesOf    []int
}

// Classifier scores ads. It is safe for concurrent use.
type Classifier struct {
	pack   *rules.Pack
	opts   Options
	rules  []compiled
	order  []int // the combination rules, in dependency order
	ac     *automaton
	owners [][]owner
	risky  map[string]bool
	// regexRules lists the rules with regular expressions.
	regexRules []int
	// featureRules lists the rules fired by a feature of the ad.
	featureRules []int
	byID         map[string]int
	cyrillic     []bool // per rule: written for a Cyrillic-script language
	serbian      []bool // per rule: written for Serbian, Bosnian or Croatian (Latin)
	regions      []regionRef
	conj         [][]string // conjunct literal sets of all regexes
	pool         sync.Pool  // *scoring
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
	for _, i := range order {
		if p.Rules[i].When != nil {
			c.order = append(c.order, i) // only combinations need an order
		}
	}
	var pats []pattern
	index := map[pattern]int{}
	addPattern := func(raw string, o owner) error {
		body, stem := strings.CutSuffix(raw, "*")
		pt := pattern{text: textnorm.Normalise(body).S, stem: stem}
		if o.trigger >= 0 {
			pt = pattern{text: raw, sub: true}
		}
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
			if o.view == viewNone && prev.view == viewNone && o.rule >= 0 && prev.rule >= 0 && o.trigger < 0 && prev.trigger < 0 && c.rules[prev.rule].Signal == c.rules[o.rule].Signal {
				return fmt.Errorf("pattern %q is also in rule %s with the same signal", raw, c.rules[prev.rule].ID)
			}
		}
		c.owners[id] = append(c.owners[id], o)
		return nil
	}
	// addRoman adds the romanised form of a Georgian or Armenian pattern
	// for the script views (script.go).
	addRoman := func(raw string, o owner) error {
		body, stem := strings.CutSuffix(raw, "*")
		norm := textnorm.Normalise(body).S
		rom := textnorm.Romanise(norm)
		if len(rom) < MinRomanPattern {
			return nil
		}
		o.view = viewRomanHy
		if textnorm.HasGeorgian(norm) {
			o.view = viewRomanKa
		}
		if stem {
			rom += "*"
		}
		return addPattern(rom, o)
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		cr := compiled{Rule: r}
		c.rules = append(c.rules, cr)
		for _, re := range r.Regex {
			re = textnorm.FoldRegex(re)
			x, err := regexp.Compile(re)
			if err != nil {
				return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
			}
			o := owner{rule: -1, trigger: i}
			var anchored *regexp.Regexp
			lits, ok := prefixLiterals(re)
			if ok {
				anchored = regexp.MustCompile(`^(?:` + re + `)`)
				o.rx = len(c.rules[i].regex) + 1
			} else if lits, err = requiredLiterals(re); err != nil {
				return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
			}
			for _, l := range lits {
				if err := addPattern(l, o); err != nil {
					return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
				}
			}
			var conj []int
			for _, set := range conjunctLiterals(re, lits) {
				conj = append(conj, len(c.conj))
				c.conj = append(c.conj, set)
			}
			c.rules[i].regex = append(c.rules[i].regex, x)
			c.rules[i].anchored = append(c.rules[i].anchored, anchored)
			c.rules[i].conj = append(c.rules[i].conj, conj)
		}
		if len(r.Regex) > 0 {
			c.regexRules = append(c.regexRules, i)
		}
		if r.Feature != "" {
			c.featureRules = append(c.featureRules, i)
		}
		for _, pat := range r.Patterns {
			if err := addPattern(pat, owner{rule: i, trigger: -1}); err != nil {
				return nil, fmt.Errorf("classifier: rule %s: %w", r.ID, err)
			}
			if err := addRoman(pat, owner{rule: i, trigger: -1}); err != nil {
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
		if err := addPattern(flag(code), owner{rule: -1, country: code, trigger: -1}); err != nil {
			return nil, fmt.Errorf("classifier: gazetteer %s flag: %w", code, err)
		}
		for _, pat := range p.Gazetteer.Countries[code] {
			if err := addPattern(pat, owner{rule: -1, country: code, trigger: -1}); err != nil {
				return nil, fmt.Errorf("classifier: gazetteer %s: %w", code, err)
			}
			if err := addRoman(pat, owner{rule: -1, country: code, trigger: -1}); err != nil {
				return nil, fmt.Errorf("classifier: gazetteer %s: %w", code, err)
			}
		}
	}
	for _, t := range []struct {
		pats []string
		need uint8
	}{{companyTriggers, needCompany}, {licenceTriggers, needLicence}, {msgrTriggers, needMessenger}} {
		for _, pat := range t.pats {
			if err := addPattern(pat, owner{rule: -1, trigger: -1, need: t.need}); err != nil {
				return nil, fmt.Errorf("classifier: extractor trigger: %w", err)
			}
		}
	}
	if err := c.addDims(addPattern); err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	c.ac = newAutomaton(pats)
	c.byID = make(map[string]int, len(c.rules))
	c.cyrillic = make([]bool, len(c.rules))
	c.serbian = make([]bool, len(c.rules))
	for i, r := range c.rules {
		c.byID[r.ID] = i
		for _, l := range r.Langs {
			c.cyrillic[i] = c.cyrillic[i] || translitLangs[l] && l != ""
			c.serbian[i] = c.serbian[i] || serbianLangs[l]
		}
	}
	c.resolveRefs()
	return c, nil
}

// resolveRefs turns the references of combination rules into rule
// indexes once, so that scoring does not search by name.
func (c *Classifier) resolveRefs() {
	resolve := func(self int, ref string) []int {
		var out []int
		sig, isSig := strings.CutPrefix(ref, rules.SignalRef)
		for j, o := range c.rules {
			if j != self && (isSig && o.Signal == sig && o.When == nil || !isSig && o.ID == ref) {
				out = append(out, j)
			}
		}
		return out
	}
	for i := range c.rules {
		w := c.rules[i].When
		if w == nil {
			continue
		}
		for _, ref := range w.All {
			c.rules[i].all = append(c.rules[i].all, resolve(i, ref))
		}
		if w.AnyN != nil {
			for _, ref := range w.AnyN.Of {
				c.rules[i].anyOf = append(c.rules[i].anyOf, resolve(i, ref))
			}
		}
		if w.RulesN != nil {
			for _, ref := range w.RulesN.Of {
				for _, j := range resolve(i, ref) {
					if !slices.Contains(c.rules[i].rulesOf, j) {
						c.rules[i].rulesOf = append(c.rules[i].rulesOf, j)
					}
				}
			}
		}
	}
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

// scoring is the state of one Score call; it is pooled, so every slice
// is reset, not reallocated, between calls.
type scoring struct {
	c         *Classifier
	a         *ad.Ad
	fired     []bool
	triggered []bool  // per rule: a regex pre-filter literal was seen in the field
	conj      []uint8 // per conjunct literal set: unknown, conjPresent or conjAbsent in the field
	uncounted []uint8 // per rule: fired but counts 0, and why (quotes.go)
	starts    []start // where anchored regexes may match in the field
	evidence  [][]ad.Span
	ents      ad.Entities
	places    []place
	found     [nKinds][]spanned // extracted facts by kind
	buf       textnorm.Views    // reused normalisation buffers
	translit  bool              // scan the transliterated view too
	roman     uint8             // script view of Latin text (viewRomanKa, viewRomanHy) or viewNone
	serbian   bool              // read Cyrillic text in Serbian Latin letters too
	region    string            // default phone region
	need      uint8             // extractors triggered in the current field
	dims      dimHits           // origin regions and job categories seen
	home      []string          // the site's countries (else the language's): not destinations
}

// conjuncts reports whether a literal of each of the conjunct sets
// occurs in the field's text t. What a set gave is kept for the rest of
// the field (s.conj, cleared with it).
func (s *scoring) conjuncts(t string, sets []int) bool {
	for _, k := range sets {
		if s.conj[k] == 0 {
			s.conj[k] = conjAbsent
			for _, l := range s.c.conj[k] {
				if strings.Contains(t, l) {
					s.conj[k] = conjPresent
					break
				}
			}
		}
		if s.conj[k] == conjAbsent {
			return false
		}
	}
	return true
}

// Values of scoring.conj.
const (
	conjPresent = 1 + iota
	conjAbsent
)

// wordStart reports whether byte i of s starts a word (or is not a
// letter itself).
func wordStart(s string, i int) bool {
	if i == 0 || i < len(s) && s[i] == ' ' {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !textnorm.IsWord(r)
}

// maxRegexMatch bounds how far past its start an anchored regex reads
// (bytes): rule regexes describe phrases of a few words, and the regexp
// engine's cost grows with the text it is given.
const maxRegexMatch = 320

// start is a place where an anchored regex of a rule may match.
type start struct {
	rule, rx, at int
}

type place struct {
	code string
	span ad.Span
}

type spanned struct {
	found
	span ad.Span
}

func (c *Classifier) getScoring(a *ad.Ad) *scoring {
	s, _ := c.pool.Get().(*scoring)
	if s == nil {
		s = &scoring{c: c,
			fired:     make([]bool, len(c.rules)),
			triggered: make([]bool, len(c.rules)),
			conj:      make([]uint8, len(c.conj)),
			uncounted: make([]uint8, len(c.rules)),
			evidence:  make([][]ad.Span, len(c.rules)),
		}
	}
	s.a = a
	s.translit = translitLangs[a.Lang]
	s.roman = romanLangs[a.Lang]
	s.serbian = serbianLangs[a.Lang]
	s.region = c.phoneRegion(a.Site, a.Lang)
	s.dims.home = c.opts.SiteHome[a.Site]
	s.home = s.dims.home
	if s.home == nil {
		s.home = c.pack.Model.Home[a.Lang]
	}
	if cc := c.opts.SiteCountry[a.Site]; cc != "" {
		s.dims.home = []string{cc}
	}
	return s
}

func (c *Classifier) putScoring(s *scoring) {
	clear(s.fired)
	clear(s.uncounted)
	clear(s.triggered)
	for i := range s.evidence {
		s.evidence[i] = nil // handed out in hits
	}
	s.ents = ad.Entities{}
	s.places = s.places[:0]
	for k := range s.found {
		s.found[k] = s.found[k][:0]
	}
	s.dims.reset()
	s.a = nil
	c.pool.Put(s)
}

// addEvidence fires a rule and records a span of its evidence; of two
// nested spans only the longer is kept.
func (s *scoring) addEvidence(rule int, sp ad.Span) {
	s.fired[rule] = true
	ev := s.evidence[rule]
	for i, e := range ev {
		if e.Field != sp.Field {
			continue
		}
		if e.Start <= sp.Start && sp.End <= e.End {
			return // already covered
		}
		if sp.Start <= e.Start && e.End <= sp.End {
			ev[i] = sp
			return
		}
	}
	if len(ev) >= s.c.opts.MaxEvidence {
		return
	}
	s.evidence[rule] = append(ev, sp)
}

func span(field, orig string, t *textnorm.Text, i, j int) ad.Span {
	s, e := t.Orig(i, j)
	return ad.Span{Field: field, Start: s, End: e, Text: orig[s:e]}
}

// Score scores one ad. The result depends only on the ad, the pack and
// the options: the same inputs give the same verdict.
//
// Counting policy: one piece of text is one piece of evidence. When
// several direct (pattern, regex or feature) rules of the same signal
// fire and every evidence span of one of them overlaps the evidence of a
// stronger one already counted, it is listed as a hit with weight 0
// instead of its own weight: "только в телеграм @x" is one
// messenger-only signal, not three. Combination rules always count: their
// evidence is co-occurrence.
func (c *Classifier) Score(ctx context.Context, a ad.Ad) ad.Verdict {
	return c.score(ctx, a, nil)
}

// score is Score with the site's home countries given (nil: from
// Options.SiteHome).
func (c *Classifier) score(ctx context.Context, a ad.Ad, home []string) ad.Verdict {
	t0 := time.Now()
	detected := false
	if a.Lang == "" && c.opts.DetectLang != nil {
		if l := c.opts.DetectLang(a.Title + "\n" + a.Body); l != "" {
			a.Lang, detected = l, true
		}
	}
	s := c.getScoring(&a)
	defer c.putScoring(s)
	if home != nil {
		s.dims.home, s.home = home, home
	}
	for _, f := range ad.Fields {
		if ctx.Err() != nil {
			break
		}
		s.field(f, truncate(a.Field(f), ad.MaxFieldBytes))
	}
	s.features()
	s.quotes()
	s.reported()
	s.combinations()
	s.setDims()

	v := ad.Verdict{V: ad.Version, Ad: a, RulePack: c.pack.Version, Entities: s.ents, Lang: a.Lang, LangDetected: detected}
	if detected {
		v.Ad.Lang = "" // the ad as it came; Verdict.Lang says what was detected
	}
	z := c.pack.Model.Bias
	v.Hits = make([]ad.Hit, 0, 8)
	for i := range c.rules {
		if !s.fired[i] && s.uncounted[i] == countedAll {
			continue
		}
		r := &c.rules[i]
		if s.fired[i] {
			v.Hits = append(v.Hits, ad.Hit{Rule: r.ID, Weight: r.Weight, Signal: r.Signal, Evidence: s.evidence[i]})
			continue
		}
		// listed, counted 0, with the reason
		u := s.uncounted[i]
		v.Hits = append(v.Hits, ad.Hit{Rule: r.ID, Weight: 0, Signal: r.Signal, Evidence: s.evidence[i],
			Quoted: u == uncountedQuoted, Reported: u == uncountedReported, OwnOffer: u == uncountedOwnOffer})
	}
	slices.SortFunc(v.Hits, byWeight)
	s.dedupe(v.Hits)
	if c.pack.Text != nil {
		v.Hits = c.textHits(&v.Ad, v.Hits)
	}
	for _, h := range v.Hits {
		z += h.Weight
	}
	slices.SortStableFunc(v.Hits, byWeight)
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

// byWeight orders hits by |weight| descending, then rule id.
func byWeight(x, y ad.Hit) int {
	if d := math.Abs(y.Weight) - math.Abs(x.Weight); d != 0 {
		if d > 0 {
			return 1
		}
		return -1
	}
	return strings.Compare(x.Rule, y.Rule)
}

// dedupe applies the counting policy of Score to hits sorted by weight:
// a direct rule whose every span overlaps a counted rule of the same
// signal gets weight 0.
func (s *scoring) dedupe(hits []ad.Hit) {
	for i := range hits {
		ri, ok := s.c.byID[hits[i].Rule]
		if !ok || s.c.rules[ri].When != nil || len(hits[i].Evidence) == 0 {
			continue
		}
		covered := true
		for _, e := range hits[i].Evidence {
			if !overlapsCounted(hits[:i], hits[i].Signal, e) {
				covered = false
				break
			}
		}
		if covered {
			hits[i].Weight = 0
		}
	}
}

func overlapsCounted(prev []ad.Hit, signal string, e ad.Span) bool {
	for _, h := range prev {
		if h.Signal != signal || h.Weight == 0 {
			continue
		}
		for _, p := range h.Evidence {
			if p.Field == e.Field && p.Start < e.End && e.Start < p.End {
				return true
			}
		}
	}
	return false
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
	t, l := s.buf.Of(orig)
	s.need = 0
	c.ac.scan(t.S, func(id, i, j int) {
		for _, o := range c.owners[id] {
			switch {
			case o.view != viewNone:
			case o.need != 0:
				s.need |= o.need
			case o.trigger >= 0 && o.rx > 0:
				if wordStart(t.S, i) {
					s.starts = append(s.starts, start{o.trigger, o.rx - 1, i})
				}
			case o.trigger >= 0:
				s.triggered[o.trigger] = true
			case o.region > 0 || o.category > 0:
				s.dims.add(f, o)
			case o.rule < 0:
				if f != ad.FieldContact {
					s.places = append(s.places, place{o.country, span(f, orig, t, i, j)})
				}
			case applies(c.rules[o.rule].Kind, s.a.Kind):
				s.addEvidence(o.rule, span(f, orig, t, i, j))
			}
		}
	})
	for _, ri := range c.regexRules {
		if !s.triggered[ri] {
			continue
		}
		r := &c.rules[ri]
		if !applies(r.Kind, s.a.Kind) {
			continue
		}
		s.triggered[ri] = false
		for k, re := range r.regex {
			if r.anchored[k] != nil || !s.conjuncts(t.S, r.conj[k]) {
				continue // anchored: run at its starts below
			}
			for _, m := range re.FindAllStringIndex(t.S, s.c.opts.MaxEvidence) {
				if m[1] > m[0] {
					s.addEvidence(ri, span(f, orig, t, m[0], m[1]))
				}
			}
		}
	}
	clear(s.triggered)
	for k, st := range s.starts {
		if k > 0 && st == s.starts[k-1] || !applies(c.rules[st.rule].Kind, s.a.Kind) || !s.conjuncts(t.S, c.rules[st.rule].conj[st.rx]) {
			continue
		}
		if m := c.rules[st.rule].anchored[st.rx].FindStringIndex(window(t.S, st.at, maxRegexMatch)); m != nil && m[1] > m[0] {
			s.addEvidence(st.rule, span(f, orig, t, st.at+m[0], st.at+m[1]))
		}
	}
	s.starts = s.starts[:0]
	clear(s.conj)
	if s.translit && wantTranslit(t.S) {
		tt := s.buf.Translit(t, s.a.Lang == "uk")
		c.ac.scan(tt.S, func(id, i, j int) {
			for _, o := range c.owners[id] {
				switch {
				case o.trigger >= 0, o.need != 0, o.view != viewNone:
				case o.region > 0 || o.category > 0:
					s.dims.add(f, o)
				case o.rule < 0:
					if f != ad.FieldContact {
						s.places = append(s.places, place{o.country, span(f, orig, tt, i, j)})
					}
				case c.cyrillic[o.rule] && len(c.ac.pats[id].text) >= MinTranslitPattern && applies(c.rules[o.rule].Kind, s.a.Kind):
					s.addEvidence(o.rule, span(f, orig, tt, i, j))
				}
			}
		})
	}
	if s.roman != viewNone && wantTranslit(t.S) {
		s.scanView(f, orig, s.buf.Roman(t), nil, func(o owner) bool { return o.view == s.roman })
	}
	if s.serbian && wantCyrillic(t.S) {
		s.scanView(f, orig, s.buf.Serbian(t), c.serbian, func(o owner) bool {
			return o.view == viewNone && (o.rule < 0 || c.serbian[o.rule])
		})
	}
	s.extract(f, orig, l)
}

// scanView scans a script view of a field for the owners accept admits:
// rules (their kind permitting) and destinations; the regular expressions
// of the rules regex marks run on the view too (a view in the script
// they are written in).
func (s *scoring) scanView(f, orig string, v *textnorm.Text, regex []bool, accept func(owner) bool) {
	c := s.c
	c.ac.scan(v.S, func(id, i, j int) {
		for _, o := range c.owners[id] {
			switch {
			case o.trigger >= 0:
				if regex != nil && regex[o.trigger] && o.view == viewNone {
					s.triggered[o.trigger] = true // every regex of the rule, over the view
				}
			case o.need != 0, o.region > 0, o.category > 0, !accept(o):
			case o.rule < 0:
				if f != ad.FieldContact {
					s.places = append(s.places, place{o.country, span(f, orig, v, i, j)})
				}
			case applies(c.rules[o.rule].Kind, s.a.Kind):
				s.addEvidence(o.rule, span(f, orig, v, i, j))
			}
		}
	})
	if regex == nil {
		return
	}
	for _, ri := range c.regexRules {
		if !s.triggered[ri] {
			continue
		}
		r := &c.rules[ri]
		if !applies(r.Kind, s.a.Kind) {
			continue
		}
		for _, re := range r.regex {
			for _, m := range re.FindAllStringIndex(v.S, c.opts.MaxEvidence) {
				if m[1] > m[0] {
					s.addEvidence(ri, span(f, orig, v, m[0], m[1]))
				}
			}
		}
	}
	clear(s.triggered)
}

func (s *scoring) extract(f, orig string, l *textnorm.Text) {
	fs := extractAll(l.S, s.region, s.need)
	for _, x := range fs {
		sp := span(f, orig, l, x.start, x.end)
		s.found[x.kind] = append(s.found[x.kind], spanned{x, sp})
		switch x.kind {
		case kindSalary:
			x.salary.Text = sp.Text
			s.ents.Salaries = append(s.ents.Salaries, x.salary)
		case kindAge:
			for _, n := range []int{x.lo, x.hi} {
				if n > 0 && !slices.Contains(s.ents.Ages, n) {
					s.ents.Ages = append(s.ents.Ages, n)
				}
			}
		case kindPhone:
			s.ents.Phones = appendNew(s.ents.Phones, x.value)
		case kindEmail:
			s.ents.Emails = appendNew(s.ents.Emails, x.value)
		case kindHandle, kindLink:
			s.ents.Handles = appendNew(s.ents.Handles, x.value)
		case kindCompany:
			s.ents.Companies = appendNew(s.ents.Companies, sp.Text)
		case kindLicence:
			s.ents.Licences = appendNew(s.ents.Licences, x.value)
		}
	}
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
