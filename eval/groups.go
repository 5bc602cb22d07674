package eval

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lurewatch/lure/rules"
)

// The slices of the "By group" table. They are defined here and only here:
// Groups holds each group's predicate together with its definition in
// words, and the report carries the definitions into its JSON.
var (
	// forcedLabour are the indicators of labour exploitation without
	// sexual wording. contract_before_departure is left out: it is a
	// marker of a legitimate ad.
	forcedLabour = []string{"document_retention", "wage_withholding", "cash_only", "deductions", "free_travel_repaid",
		"placement_fee", "no_contract", "undeclared_work", "tourist_visa_entry", "irregular_route", "isolation", "debt_bondage"}
	// newsAwareness are the indicators of posts about trafficking rather
	// than offers. (The brief also names "kind other, legit, with one of
	// these": such an ad already carries one, so it adds nobody.)
	newsAwareness = []string{"news_report", "awareness_post"}
	// newLanguages are the languages added to the rule packs last.
	newLanguages = []string{"uz", "ky", "tg", "az", "hy", "be", "sq", "mk", "bs", "hr", "lt", "lv", "tr"}
)

// shortWords is the most words (title and body) of a short post: the
// classifier's own line for feature short_post.
const shortWords = rules.ShortPostWords

// Group is a named slice of the results.
type Group struct {
	Name       string
	Definition string
	Match      func(Result) bool
}

// Groups are the slices of Report.Groups, in report order.
var Groups = []Group{
	{"forced_labour", "deceptive ads carrying any of: " + strings.Join(forcedLabour, ", "),
		func(r Result) bool { return r.Deceptive && hasAny(r.Indicators, forcedLabour) }},
	{"marriage", "kind marriage",
		func(r Result) bool { return r.Kind == "marriage" }},
	{"short", fmt.Sprintf("indicator short_post, or title and body of at most %d words", shortWords),
		func(r Result) bool {
			return slices.Contains(r.Indicators, "short_post") || r.Words > 0 && r.Words <= shortWords
		}},
	{"news_awareness", "indicator " + strings.Join(newsAwareness, " or "),
		func(r Result) bool { return hasAny(r.Indicators, newsAwareness) }},
	{"new_languages", "lang in " + strings.Join(newLanguages, " "),
		func(r Result) bool { return slices.Contains(newLanguages, r.Lang) }},
}

func hasAny(have, want []string) bool {
	return slices.ContainsFunc(have, func(s string) bool { return slices.Contains(want, s) })
}

// GroupStat is the quality on one of Groups.
type GroupStat struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
	Summary
}

func groupStats(rs []Result, opts ReportOptions) []GroupStat {
	out := make([]GroupStat, 0, len(Groups))
	for _, g := range Groups {
		var in []Result
		for _, r := range rs {
			if g.Match(r) {
				in = append(in, r)
			}
		}
		out = append(out, GroupStat{Name: g.Name, Definition: g.Definition, Summary: summarise(in, opts)})
	}
	return out
}

// IndicatorStat is how the ads carrying one indicator fared.
type IndicatorStat struct {
	Indicator string `json:"indicator"`
	N         int    `json:"n"`
	Deceptive int    `json:"deceptive"`
	Counts    Counts `json:"confusion"`
	// FlaggedShare is the share of the ads flagged.
	FlaggedShare float64 `json:"flagged_share"`
	// Recall is over the deceptive ads carrying the indicator, FPR over
	// the legit ones; each is NaN (null in JSON) without such ads.
	Recall Float `json:"recall"`
	FPR    Float `json:"fpr"`
	// Wrong lists the deceptive ads missed and the legit ads flagged.
	Wrong []string `json:"wrong,omitempty"`
}

// indicatorStats counts per indicator, the worst (largest wrong share)
// first.
func indicatorStats(rs []Result, threshold float64) []IndicatorStat {
	by := map[string]*IndicatorStat{}
	for _, r := range rs {
		for _, n := range uniq(r.Indicators) {
			st := by[n]
			if st == nil {
				st = &IndicatorStat{Indicator: n}
				by[n] = st
			}
			flagged := r.Score >= threshold
			st.Counts.Add(r.Deceptive, flagged)
			if flagged != r.Deceptive {
				st.Wrong = append(st.Wrong, r.ID)
			}
		}
	}
	out := make([]IndicatorStat, 0, len(by))
	for _, st := range by {
		c := st.Counts
		st.N, st.Deceptive = c.TP+c.FP+c.TN+c.FN, c.TP+c.FN
		st.FlaggedShare = ratio(c.TP+c.FP, st.N)
		st.Recall, st.FPR = orNaN(c.Recall(), st.Deceptive), orNaN(c.FPR(), st.N-st.Deceptive)
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b IndicatorStat) int {
		return cmp.Or(cmp.Compare(ratio(len(b.Wrong), b.N), ratio(len(a.Wrong), a.N)), cmp.Compare(b.N, a.N),
			cmp.Compare(a.Indicator, b.Indicator))
	})
	return out
}
