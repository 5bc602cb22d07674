// Package rules holds lure's rule packs: the YAML files that say which
// phrases, extracted facts and combinations are deception signals, with
// what weight, and the scoring model (bias, threshold, bands) they feed.
//
// Besides rule files, a pack has model.yaml (bias, threshold, bands,
// pay lines), gazetteer.yaml (destination names), wages.yaml (typical
// low-skill pay per destination, with sources, for feature pay_ratio), and
// regions.yaml and categories.yaml (the origin regions and job categories
// that campaign statistics count by).
//
// The default packs are embedded in the binary (see Default); Load reads
// the same layout from any fs.FS so a directory can override them. Loading
// is strict: unknown fields, unknown signals, duplicate ids, dangling
// references and rules without examples are errors naming file and line.
//
// The package only describes rules. Normalising text, matching patterns,
// extracting entities and computing scores is left to package classifier,
// which also runs every rule's own examples (see rules_test).
package rules

import (
	"slices"

	"github.com/lurewatch/lure/textmodel"
)

// Kinds a rule can apply to. A rule of kind job does not fire on marriage
// ads and vice versa; KindAny fires on every ad, and every rule fires on
// ads of kind "other".
const (
	KindJob      = "job"
	KindMarriage = "marriage"
	KindAny      = "any"
)

// SignalRef is the prefix of a combination-rule reference that names a
// signal instead of a rule id: "signal:high_pay" holds when any direct
// (pattern, regex or feature) rule with that signal fired. Combination
// rules are not counted by signal, so that combinations of one signal do
// not feed each other; name a combination by its id to use it.
const SignalRef = "signal:"

// Positive signals, after INDICATORS.md.
var PositiveSignals = []string{
	"vague_offer", "high_pay", "no_experience", "debt_travel", "looks_filter",
	"risky_title", "irregular_route", "worker_fees", "no_contract", "urgency",
	"documents_held", "scam_compound", "messenger_only", "obscured_contact",
	"destination", "marriage_travel", "catalogue", "paid_marriage",
	"translator_lure", "money_request",
	// ILO forced-labour indicators beyond the above: wages held back until
	// the end of a season or project (withholding of wages), cash in hand
	// only, isolation (living on site, phone or movement restricted).
	"wage_withholding", "cash_only", "isolation",
	// free_travel is the weak, ordinary side of travel and housing: paid
	// or provided by the recruiter, with no repayment said.
	"free_travel",
	// family_payment is money or gifts to a bride's family (bride
	// brokering).
	"family_payment",
	// short_post is a post of one to three lines; it counts only in
	// combination with other signals.
	"short_post",
}

// NegativeSignals lower the score; rules reading them must have a negative
// weight.
var NegativeSignals = []string{
	"licensed", "named_employer", "official_programme", "awareness",
	"formal_contract", "skilled_job",
	// reporting marks the genre of a news report or a warning that
	// quotes lures (past tense, police, victims, "how to recognise");
	// verified_service a dating or marriage service that verifies both
	// parties, has an office and charges both sides.
	"reporting", "verified_service",
}

// Features are the extractor-driven conditions a rule can name with
// `feature:`; package classifier computes them.
var Features = []string{
	"pay_far_above",       // a monthly-equivalent salary at or above model.high_pay for its currency
	"foreign_destination", // a destination country outside the ad's home countries
	"risky_destination",   // a destination listed in gazetteer risky
	"messenger_only",      // messenger handle/link/name and no email or website
	"young_age_limit",     // an upper age bound of 30 or less
	"obscured_contact",    // a phone written with words, look-alike letters or split into one-digit groups
	"company_named",       // an employer or agency name with a legal form (ООО «…», … SRL, … Ltd)
	"licence_stated",      // a licence or registry number
	"pay_ratio",           // monthly pay at or above model.pay_ratio times the destination's typical wage (wages.yaml)
	"short_post",          // title and body together have at most ShortPostWords words
	"reporting_site",      // the site's profile gives it the genre news or ngo
	"quoted_lures",        // most of the positive evidence lies inside quotation marks (a text quoting a lure)
}

// SiteFeatures hold by what the deployment says of a site (its crawler
// profile), not by the ad's text, so an example text cannot make them
// fire: their rules need silent examples only, and package classifier
// tests them with site options.
var SiteFeatures = []string{"reporting_site"}

// ShortPostWords is the most words an ad's title and body may have for
// feature short_post: a post of one to three lines (about eight words a
// line), where a few strong signals together must be enough.
const ShortPostWords = 25

// IsNegative reports whether signal is one of NegativeSignals.
func IsNegative(signal string) bool { return slices.Contains(NegativeSignals, signal) }

func knownSignal(s string) bool {
	return slices.Contains(PositiveSignals, s) || slices.Contains(NegativeSignals, s)
}

// Pack is a loaded, validated set of rule files.
type Pack struct {
	// Version is a content hash of every file of the pack; the same ad
	// scored with the same Version gets the same verdict.
	Version   string
	Model     Model
	Gazetteer Gazetteer
	Wages     Wages
	Files     []Meta
	Rules     []Rule
	// Regions and Categories are the campaign-statistics dimensions of
	// regions.yaml and categories.yaml (empty when a pack has none).
	Regions    Regions
	Categories Categories
	// Text is the learned text model of textmodel.File, scored beside the
	// rules (nil: rules only). See SetText.
	Text *textmodel.Model
}

// Meta describes one rule file.
type Meta struct {
	File        string
	Name        string   `yaml:"name"`
	Languages   []string `yaml:"languages"`
	Description string   `yaml:"description"`
	// Home lists the countries (ISO 3166 alpha-2) that are not foreign
	// for ads in the pack's languages; it is added to model.yaml home for
	// each of Languages.
	Home []string `yaml:"home"`
}

// Model is the scoring model of model.yaml.
type Model struct {
	// Bias is added to the weighted sum; negative so that one weak signal
	// alone stays low. Default -3.
	Bias float64 `yaml:"bias"`
	// Threshold is the score (0–100) at or above which an ad is flagged.
	// Default 50.
	Threshold float64 `yaml:"threshold"`
	Bands     Bands   `yaml:"bands"`
	// HighPay is the monthly amount per currency (ISO 4217, "RON" for lei)
	// at or above which feature pay_far_above holds.
	HighPay map[string]float64 `yaml:"high_pay"`
	// PayRatio is how many times the typical low-skill wage of the
	// destination (wages.yaml) a stated monthly pay must reach for
	// feature pay_ratio. Default 2.5.
	PayRatio float64 `yaml:"pay_ratio"`
	// Home lists, per ad language, the countries (ISO 3166 alpha-2) that
	// are not "foreign" for feature foreign_destination.
	Home map[string][]string `yaml:"home"`
}

// Bands are the score cut-offs of the medium and high bands.
type Bands struct {
	Medium float64 `yaml:"medium"` // default 35
	High   float64 `yaml:"high"`   // default 70
}

// Gazetteer maps country codes to the phrases that name them.
type Gazetteer struct {
	// Countries maps an ISO 3166 alpha-2 code to patterns in the same
	// syntax as rule patterns (a trailing * is a stem).
	Countries map[string][]string `yaml:"countries"`
	// Risky lists destination countries with a prior (feature
	// risky_destination).
	Risky []string `yaml:"risky"`
}

// Rule is one feature of the scoring model. Exactly one of Patterns/Regex,
// Feature or When says when it fires.
type Rule struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Signal      string   `yaml:"signal"`
	Langs       []string `yaml:"langs"`
	Kind        string   `yaml:"kind"`
	Weight      float64  `yaml:"weight"`
	// Patterns are literal phrases, normalised like ad text before
	// matching; a trailing * makes a stem (the prefix at a word start).
	Patterns []string `yaml:"patterns"`
	// Regex are Go regular expressions run on normalised text, for what
	// literals cannot express. Each must contain a literal of three bytes
	// or more in every match (package classifier derives it and runs the
	// expression only on fields where that literal occurs; a regex
	// without one is rejected when the pack is compiled).
	Regex   []string `yaml:"regex"`
	Feature string   `yaml:"feature"`
	When    *When    `yaml:"when"`
	// Examples must make the rule fire (Fire) and must not (Silent).
	Examples Examples `yaml:"examples"`

	File string `yaml:"-"`
	Line int    `yaml:"-"`
}

// When is the condition of a combination rule: every reference in All and
// at least AnyN.N of AnyN.Of must hold. A reference is a rule id or
// "signal:NAME".
type When struct {
	All  []string `yaml:"all"`
	AnyN *AnyN    `yaml:"any_n"`
	// RulesN holds when at least RulesN.N distinct rules among those its
	// references stand for fired: {n: 2, of: [signal:reporting,
	// signal:awareness]} needs two reporting or awareness rules, where
	// any_n would count the two signals.
	RulesN *AnyN `yaml:"rules_n"`
}

// AnyN is an n-of-m condition.
type AnyN struct {
	N  int      `yaml:"n"`
	Of []string `yaml:"of"`
}

// Refs returns every reference of w.
func (w *When) Refs() []string {
	out := slices.Clone(w.All)
	if w.AnyN != nil {
		out = append(out, w.AnyN.Of...)
	}
	if w.RulesN != nil {
		out = append(out, w.RulesN.Of...)
	}
	return out
}

// Examples are texts a rule must and must not fire on.
type Examples struct {
	Fire   []string `yaml:"fire"`
	Silent []string `yaml:"silent"`
}

// Rule returns the rule with the given id.
func (p *Pack) Rule(id string) (*Rule, bool) {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return &p.Rules[i], true
		}
	}
	return nil, false
}

// Langs returns how many rules name each language.
func (p *Pack) Langs() map[string]int {
	out := map[string]int{}
	for _, r := range p.Rules {
		for _, l := range r.Langs {
			out[l]++
		}
	}
	return out
}
