package classifier

import (
	"math"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/textmodel"
)

// TextTop is how many learned text features a verdict lists as hits; the
// rest of the text model's part of the score is one hit, TextRestRule.
const TextTop = 5

// Rule ids of learned text hits.
const (
	TextWordRule  = "text.word"
	TextCharsRule = "text.chars"
	TextRestRule  = "text.other"
	// LearnedSignal is the signal of every learned text hit.
	LearnedSignal = "learned"
)

// textHits appends the hits of the pack's text model to hits: the
// features that moved the score most, each with its first occurrence as
// evidence, and the rest of the text logit as one hit, so that the score
// stays the logistic of the bias plus the hits' weights. Weights are
// rounded to three decimals, as rule weights are; hits that round to 0
// are left out.
func (c *Classifier) textHits(a *ad.Ad, hits []ad.Hit) []ad.Hit {
	r := c.pack.Text.Score(a, TextTop)
	rest := r.Logit
	for _, f := range r.Top {
		w := round3(f.Weight)
		if w == 0 {
			continue
		}
		rule := TextCharsRule
		if f.Kind == textmodel.Word {
			rule = TextWordRule
		}
		rest -= w
		hits = append(hits, ad.Hit{Rule: rule, Weight: w, Signal: LearnedSignal, Evidence: []ad.Span{f.Span}, Learned: true})
	}
	if w := round3(rest); w != 0 {
		hits = append(hits, ad.Hit{Rule: TextRestRule, Weight: w, Signal: LearnedSignal, Learned: true})
	}
	return hits
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// LearnedDescription describes a learned text hit (Explain, the ad page).
func LearnedDescription(h ad.Hit) string {
	switch h.Rule {
	case TextWordRule:
		return "learned: words the text model weighs"
	case TextCharsRule:
		return "learned: characters the text model weighs"
	}
	return "learned: all other words and characters of the text model"
}
