package classifier

import (
	"context"
	"fmt"
	"strings"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// Explain returns a plain-text explanation of a verdict: score, band and
// rule pack, then each hit with its weight, description and quoted
// evidence.
func (c *Classifier) Explain(v ad.Verdict) string {
	var b strings.Builder
	flag := "not flagged"
	if v.Flagged {
		flag = "flagged"
	}
	fmt.Fprintf(&b, "score %.2f (%s, %s), rule pack %s\n", v.Score, v.Band, flag, v.RulePack)
	if v.RulePack != c.pack.Version {
		fmt.Fprintf(&b, "note: scored with another rule pack than %s; descriptions may differ\n", c.pack.Version)
	}
	if len(v.Hits) == 0 {
		b.WriteString("no rule fired\n")
	}
	for _, h := range v.Hits {
		desc := ""
		if r, ok := c.pack.Rule(h.Rule); ok {
			desc = r.Description
		}
		fmt.Fprintf(&b, "%+6.2f  %s [%s] %s\n", h.Weight, h.Rule, h.Signal, desc)
		for _, e := range h.Evidence {
			fmt.Fprintf(&b, "        %s[%d:%d] %q\n", e.Field, e.Start, e.End, e.Text)
		}
	}
	e := v.Entities
	for _, l := range []struct {
		name string
		vals []string
	}{{"destinations", e.Destinations}, {"handles", e.Handles}} {
		if len(l.vals) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", l.name, strings.Join(l.vals, ", "))
		}
	}
	for _, s := range e.Salaries {
		fmt.Fprintf(&b, "salary: %g", s.Amount)
		if s.Max > 0 {
			fmt.Fprintf(&b, "-%g", s.Max)
		}
		fmt.Fprintf(&b, " %s %s %q\n", s.Currency, s.Period, s.Text)
	}
	if len(e.Ages) > 0 {
		fmt.Fprintf(&b, "ages: %v\n", e.Ages)
	}
	if n := len(e.Phones) + len(e.Emails); n > 0 {
		fmt.Fprintf(&b, "contacts: %d phone(s), %d e-mail(s)\n", len(e.Phones), len(e.Emails))
	}
	return b.String()
}

// ExampleFailure is a rule example that did not behave as declared.
type ExampleFailure struct {
	Rule     string
	Text     string
	WantFire bool
	Hits     []string // rules that fired on the example
}

func (f ExampleFailure) Error() string {
	want := "fire"
	if !f.WantFire {
		want = "stay silent"
	}
	return fmt.Sprintf("rule %s should %s on %q; fired: %s", f.Rule, want, f.Text, strings.Join(f.Hits, ", "))
}

// ExampleAd is the ad a rule example is scored as: the text as body, the
// rule's kind (any → other) and its first language.
func ExampleAd(r *rules.Rule, text string) ad.Ad {
	k := ad.KindOther
	switch r.Kind {
	case rules.KindJob:
		k = ad.KindJob
	case rules.KindMarriage:
		k = ad.KindMarriage
	}
	return ad.Ad{V: ad.Version, ID: "example", Site: "example", Kind: k, Lang: r.Langs[0], Body: text}
}

// CheckExamples scores every example of every rule of the pack and
// returns those where the rule fired on a silent example or did not fire
// on a fire example. It backs `lure rules test`.
func (c *Classifier) CheckExamples(ctx context.Context) []ExampleFailure {
	var out []ExampleFailure
	for i := range c.pack.Rules {
		r := &c.pack.Rules[i]
		for _, ex := range []struct {
			texts []string
			fire  bool
		}{{r.Examples.Fire, true}, {r.Examples.Silent, false}} {
			for _, text := range ex.texts {
				v := c.Score(ctx, ExampleAd(r, text))
				var ids []string
				got := false
				for _, h := range v.Hits {
					ids = append(ids, h.Rule)
					got = got || h.Rule == r.ID
				}
				if got != ex.fire {
					out = append(out, ExampleFailure{Rule: r.ID, Text: text, WantFire: ex.fire, Hits: ids})
				}
			}
		}
	}
	return out
}
