package classifier

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// features fills Entities.Destinations and fires the feature rules.
func (s *scoring) features() {
	c := s.c
	home := s.home
	s.dropContactPlaces()
	for _, p := range s.places {
		if !contains(home, p.code) { // the ad's own country is where it recruits, not a destination
			s.ents.Destinations = appendNew(s.ents.Destinations, p.code)
		}
	}
	for _, i := range c.featureRules {
		r := &c.rules[i]
		if !applies(r.Kind, s.a.Kind) {
			continue
		}
		for _, sp := range s.feature(r.Feature, home) {
			s.addEvidence(i, sp)
		}
	}
}

// feature returns the evidence of a feature, or nil when it does not hold.
func (s *scoring) feature(name string, home []string) []ad.Span {
	var ev []ad.Span
	switch name {
	case "pay_far_above":
		for _, x := range s.found[kindSalary] {
			line, ok := s.c.pack.Model.HighPay[x.salary.Currency]
			if ok && Monthly(x.salary) >= line {
				ev = append(ev, x.span)
			}
		}
	case "obscured_contact":
		for _, x := range s.found[kindPhone] {
			if obscured(x.span.Text) {
				ev = append(ev, x.span)
			}
		}
	case "company_named":
		for _, x := range s.found[kindCompany] {
			ev = append(ev, x.span)
		}
	case "licence_stated":
		for _, x := range s.found[kindLicence] {
			ev = append(ev, x.span)
		}
	case "pay_ratio":
		return s.payRatio(home)
	case "foreign_destination", "risky_destination":
		for _, p := range s.places {
			foreign := !contains(home, p.code)
			if name == "foreign_destination" && foreign || name == "risky_destination" && foreign && s.c.risky[p.code] {
				ev = append(ev, p.span)
			}
		}
	case "messenger_only":
		if len(s.found[kindEmail]) > 0 || len(s.found[kindWeb]) > 0 {
			return nil
		}
		for _, k := range []kind{kindHandle, kindLink, kindMessenger} {
			for _, x := range s.found[k] {
				ev = append(ev, x.span)
			}
		}
	case "short_post":
		return shortPost(s.a)
	case "quoted_lures":
		return nil // fired by quotes(), once every other feature is known
	case "reporting_site":
		if s.c.opts.SiteGenre[s.a.Site] == "" {
			return nil
		}
		return firstLine(s.a)
	case "young_age_limit":
		for _, x := range s.found[kindAge] {
			if x.hi > 0 && x.hi <= 30 {
				ev = append(ev, x.span)
			}
		}
	}
	return ev
}

// shortPost returns the title (or the body of an untitled ad) as the
// evidence of feature short_post when title and body together have at
// most rules.ShortPostWords words; nil otherwise or when both are empty.
func shortPost(a *ad.Ad) []ad.Span {
	n := countWords(a.Title) + countWords(a.Body)
	if n == 0 || n > rules.ShortPostWords {
		return nil
	}
	return firstLine(a)
}

// firstLine returns the span of the first line of the title, or of the
// body of an untitled ad; nil when both are blank.
func firstLine(a *ad.Ad) []ad.Span {
	f, t := ad.FieldTitle, a.Title
	if strings.TrimSpace(t) == "" {
		f, t = ad.FieldBody, a.Body
	}
	start := len(t) - len(strings.TrimLeftFunc(t, unicode.IsSpace))
	end := len(strings.TrimRightFunc(t, unicode.IsSpace))
	if nl := strings.IndexByte(t[start:end], '\n'); nl >= 0 {
		end = start + len(strings.TrimRightFunc(t[start:start+nl], unicode.IsSpace))
	}
	if end <= start {
		return nil
	}
	return []ad.Span{{Field: f, Start: start, End: end, Text: t[start:end]}}
}

// countWords counts runs of letters and digits in s, stopping once it
// passes rules.ShortPostWords.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		var w bool
		if r < utf8.RuneSelf {
			w = 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
		} else {
			w = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if w && !in {
			n++
			if n > rules.ShortPostWords {
				return n
			}
		}
		in = w
	}
	return n
}

// payRatio compares each stated salary with the typical low-skill wage of
// the named foreign destinations (the highest of them, to stay on the
// safe side when several are named).
func (s *scoring) payRatio(home []string) []ad.Span {
	w := &s.c.pack.Wages
	typical, at := 0.0, -1
	for i, p := range s.places {
		if wg, ok := w.Countries[p.code]; ok && !contains(home, p.code) && wg.Monthly > typical {
			typical, at = wg.Monthly, i
		}
	}
	if at < 0 {
		return nil
	}
	var ev []ad.Span
	for _, x := range s.found[kindSalary] {
		pay, ok := w.InCurrency(Monthly(x.salary), x.salary.Currency)
		if ok && pay >= s.c.pack.Model.PayRatio*typical {
			ev = append(ev, x.span)
		}
	}
	if len(ev) > 0 {
		ev = append(ev, s.places[at].span)
	}
	return ev
}

// obscured reports whether a phone number as written hides its digits:
// letters among them (digits spelled out or swapped for look-alikes) or
// split into many one-digit groups ("0-6-7 / 5-5-5 / 1-2").
func obscured(orig string) bool {
	groups, short := 0, 0
	run := 0
	end := func() {
		if run > 0 {
			groups++
			if run <= 1 {
				short++
			}
		}
		run = 0
	}
	for _, r := range orig {
		switch {
		case '0' <= r && r <= '9':
			run++
		case unicode.IsLetter(r):
			return true
		default:
			end()
		}
	}
	end()
	return groups >= 5 && short*2 >= groups
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// combinations fires combination rules in dependency order.
func (s *scoring) combinations() {
	c := s.c
	for _, i := range c.order {
		r := &c.rules[i]
		if !applies(r.Kind, s.a.Kind) {
			continue
		}
		holds := func(idx []int) bool {
			for _, j := range idx {
				if s.fired[j] {
					return true
				}
			}
			return false
		}
		ok := true
		for _, idx := range r.all {
			if !holds(idx) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if a := r.When.AnyN; a != nil {
			n := 0
			for _, idx := range r.anyOf {
				if holds(idx) {
					n++
				}
			}
			if n < a.N {
				continue
			}
		}
		if a := r.When.RulesN; a != nil {
			n := 0
			for _, j := range r.rulesOf {
				if s.fired[j] {
					n++
				}
			}
			if n < a.N {
				continue
			}
		}
		s.fired[i] = true
		for _, refs := range [][][]int{r.all, r.anyOf, {r.rulesOf}} {
			for _, idx := range refs {
				for _, j := range idx {
					if s.fired[j] {
						for _, sp := range s.evidence[j] {
							s.addEvidence(i, sp)
						}
					}
				}
			}
		}
	}
}

// dropContactPlaces forgets the places named inside a contact: a handle,
// link, e-mail address or web address is a name, not a statement about
// where the work is ("polska" in @polska_rabota).
func (s *scoring) dropContactPlaces() {
	kept := s.places[:0]
	for _, p := range s.places {
		inside := false
		for _, k := range []kind{kindHandle, kindLink, kindEmail, kindWeb} {
			for _, x := range s.found[k] {
				if x.span.Field == p.span.Field && x.span.Start <= p.span.Start && p.span.End <= x.span.End {
					inside = true
				}
			}
		}
		if !inside {
			kept = append(kept, p)
		}
	}
	s.places = kept
}
