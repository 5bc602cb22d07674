package classifier

import (
	"strings"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// features fills Entities.Destinations and fires the feature rules.
func (s *scoring) features() {
	for _, p := range s.places {
		s.ents.Destinations = appendNew(s.ents.Destinations, p.code)
	}
	c := s.c
	home := c.opts.SiteHome[s.a.Site]
	if home == nil {
		home = c.pack.Model.Home[s.a.Lang]
	}
	for i, r := range c.rules {
		if r.Feature == "" || !applies(r.Kind, s.a.Kind) {
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
		for _, x := range s.found["salary"] {
			line, ok := s.c.pack.Model.HighPay[x.salary.Currency]
			if ok && Monthly(x.salary) >= line {
				ev = append(ev, x.span)
			}
		}
	case "foreign_destination", "risky_destination":
		for _, p := range s.places {
			foreign := !contains(home, p.code)
			if name == "foreign_destination" && foreign || name == "risky_destination" && foreign && s.c.risky[p.code] {
				ev = append(ev, p.span)
			}
		}
	case "messenger_only":
		if len(s.found["email"]) > 0 || len(s.found["web"]) > 0 {
			return nil
		}
		for _, k := range []string{"handle", "link", "messenger"} {
			for _, x := range s.found[k] {
				ev = append(ev, x.span)
			}
		}
	case "young_age_limit":
		for _, x := range s.found["age"] {
			if x.hi > 0 && x.hi <= 30 {
				ev = append(ev, x.span)
			}
		}
	}
	return ev
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
		r := c.rules[i]
		if r.When == nil || !applies(r.Kind, s.a.Kind) {
			continue
		}
		var ev []ad.Span
		holds := func(ref string) bool {
			ok := false
			if sig, isSig := strings.CutPrefix(ref, rules.SignalRef); isSig {
				for j, o := range c.rules {
					if j != i && o.Signal == sig && s.fired[j] {
						ok = true
						ev = append(ev, s.evidence[j]...)
					}
				}
				return ok
			}
			for j, o := range c.rules {
				if o.ID == ref && s.fired[j] {
					ev = append(ev, s.evidence[j]...)
					return true
				}
			}
			return false
		}
		all := true
		for _, ref := range r.When.All {
			if !holds(ref) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if a := r.When.AnyN; a != nil {
			n := 0
			for _, ref := range a.Of {
				if holds(ref) {
					n++
				}
			}
			if n < a.N {
				continue
			}
		}
		s.fired[i] = true
		for _, sp := range ev {
			s.addEvidence(i, sp)
		}
	}
}
