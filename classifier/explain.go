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
func (c *Classifier) Explain(v ad.Verdict) string { return c.explain(v, plain) }

// ExplainColour is Explain with ANSI colours for a terminal: the score in
// the colour of its band, positive weights red, negative (reassuring)
// weights green, rules not counted dim, evidence bold.
func (c *Classifier) ExplainColour(v ad.Verdict) string { return c.explain(v, ansi) }

// NotCounted returns why a hit of a verdict adds nothing to its score,
// or "" when it counts: its evidence is quoted by a text that reports or
// warns, or Score's counting policy gave it weight 0 because a stronger
// rule of its signal already counts the same evidence.
func NotCounted(h ad.Hit) string {
	switch {
	case h.Quoted:
		return "quoted by a text that reports or warns"
	case h.Reported:
		return "named by a text that reports or warns and offers nothing itself"
	case h.OwnOffer:
		return "the text makes an offer of its own (pay and a contact); its warnings are part of it"
	case h.Weight == 0:
		return "same evidence as a stronger rule of this signal"
	}
	return ""
}

type palette struct{ red, yellow, green, bold, dim, reset string }

var (
	plain = palette{}
	ansi  = palette{red: "\x1b[31m", yellow: "\x1b[33m", green: "\x1b[32m", bold: "\x1b[1m", dim: "\x1b[2m", reset: "\x1b[0m"}
)

func (p palette) band(b ad.Band) string {
	switch b {
	case ad.BandHigh:
		return p.red
	case ad.BandMedium:
		return p.yellow
	}
	return p.green
}

func (c *Classifier) explain(v ad.Verdict, p palette) string {
	var b strings.Builder
	flag := "not flagged"
	if v.Flagged {
		flag = "flagged"
	}
	fmt.Fprintf(&b, "%sscore %.2f (%s, %s)%s, rule pack %s\n", p.bold+p.band(v.Band), v.Score, v.Band, flag, p.reset, v.RulePack)
	if v.LangDetected {
		fmt.Fprintf(&b, "language: %s (detected)\n", v.Lang)
	}
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
		} else if h.Learned {
			desc = LearnedDescription(h)
		}
		col, note := p.red, ""
		if h.Weight < 0 {
			col = p.green
		} else if why := NotCounted(h); why != "" {
			col, note = p.dim, " (not counted: "+why+")"
		}
		fmt.Fprintf(&b, "%s%+6.2f%s  %s [%s] %s%s\n", col, h.Weight, p.reset, h.Rule, h.Signal, desc, note)
		for _, e := range h.Evidence {
			fmt.Fprintf(&b, "        %s[%d:%d] %s%q%s\n", e.Field, e.Start, e.End, p.bold, e.Text, p.reset)
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
	if e.Region != "" || e.Category != "" {
		fmt.Fprintf(&b, "region: %s, category: %s\n", orDash(e.Region), orDash(e.Category))
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
	return append(out, c.checkDimExamples(ctx)...)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
