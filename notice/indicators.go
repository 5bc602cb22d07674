package notice

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// indicatorNames name the positive signals of the rule packs (see
// rules.PositiveSignals) in the words of a platform's trust-and-safety
// team: what a notice calls each indicator instead of a rule ID. A test
// checks that every positive signal has one.
var indicatorNames = map[string]string{
	"vague_offer":      "vague offer: no duties, employer or workplace stated",
	"high_pay":         "pay far above what such work pays",
	"no_experience":    "no experience, language or training needed",
	"debt_travel":      "travel or visa costs to be paid back from wages",
	"looks_filter":     "applicants chosen by sex, age or looks",
	"risky_title":      "high-risk job title (hostess, dancer, model, massage)",
	"irregular_route":  "work on a tourist visa or without work papers",
	"worker_fees":      "fees charged to the job-seeker",
	"no_contract":      "no contract or informal terms",
	"urgency":          "pressure to leave at once",
	"documents_held":   "identity documents held by the employer",
	"scam_compound":    "well-paid online work in South-East Asia with the flight paid (scam-compound lure)",
	"messenger_only":   "contact by messenger only",
	"obscured_contact": "phone number disguised to escape moderation",
	"destination":      "work abroad",
	"marriage_travel":  "free travel to meet a foreign husband",
	"catalogue":        "catalogue of women's profiles",
	"paid_marriage":    "paid or fictitious marriage",
	"translator_lure":  "\u201ctranslator for a marriage agency\u201d job",
	"money_request":    "money asked for a visa or tickets",
	"wage_withholding": "wages held back until the end of the work",
	"cash_only":        "pay in cash only",
	"isolation":        "isolation: living on site, phone or movement restricted",
	"free_travel":      "travel and housing provided by the recruiter",
	"family_payment":   "money or gifts to the bride's family",
	"short_post":       "very short post with few details",
}

// otherIndicator names a rule that gives no signal.
const otherIndicator = "other indicator"

// indicatorName is the plain name of a signal: its entry in
// indicatorNames, else the signal's words.
func indicatorName(signal string) string {
	if n := indicatorNames[signal]; n != "" {
		return n
	}
	if signal == "" {
		return otherIndicator
	}
	return strings.ReplaceAll(signal, "_", " ")
}

// Indicator is one indicator of deception in an ad, with the ad's own
// words that show it.
type Indicator struct {
	Name   string   `json:"name"`
	Quotes []string `json:"quotes"`
}

// itemIndicators turns the rules that fired on an ad into indicators:
// one per signal, in the order the rules fired, each quoting the ad's
// words once. Combination rules (combination reports which; nil means
// none is known) come last and add only words not quoted yet: they
// combine the other rules' evidence. A rule with nothing new to quote
// adds its indicator only if no rule named it before and the rule is not
// a combination.
func itemIndicators(rs []Rule, combination func(rule string) bool) []Indicator {
	var direct, combos []Rule
	for _, r := range rs {
		if combination != nil && combination(r.Rule) {
			combos = append(combos, r)
		} else {
			direct = append(direct, r)
		}
	}
	out := []Indicator{}
	at := map[string]int{} // indicator name → index in out
	quoted := map[string]bool{}
	add := func(r Rule, combo bool) {
		var fresh []string
		for _, q := range r.Quotes {
			text := oneLine(q.Text)
			if text == "" || quoted[text] {
				continue
			}
			quoted[text] = true
			fresh = append(fresh, text)
		}
		name := indicatorName(r.Signal)
		i, ok := at[name]
		if !ok {
			if combo && len(fresh) == 0 {
				return
			}
			i = len(out)
			at[name] = i
			out = append(out, Indicator{Name: name, Quotes: []string{}})
		}
		out[i].Quotes = append(out[i].Quotes, fresh...)
	}
	for _, r := range direct {
		add(r, false)
	}
	for _, r := range combos {
		add(r, true)
	}
	return out
}

// countryNames gives the English names of ISO 3166 alpha-2 codes,
// keeping a code it does not know as it is.
func countryNames(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		name := c
		if r, err := language.ParseRegion(c); err == nil {
			if n := display.English.Regions().Name(r); n != "" {
				name = n
			}
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// Line is the indicator as text: its name, then the quoted words.
func (in Indicator) Line() string {
	if len(in.Quotes) == 0 {
		return in.Name
	}
	qs := make([]string, len(in.Quotes))
	for i, q := range in.Quotes {
		qs[i] = "\u201c" + q + "\u201d"
	}
	return in.Name + ": " + strings.Join(qs, ", ")
}
