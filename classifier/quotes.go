package classifier

import (
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

// Quoted lures. News reports, court reports, survivors' stories and NGO
// checklists quote recruiters' ads word for word: «Работа для девушек в
// Дубае, перелёт оплачиваем». Their lure phrases sit inside quotation
// marks; an ad makes the same claims in its own voice. So when most of a
// text's positive evidence lies inside quotation marks, the text reports
// a lure rather than making one: the quoted hits count 0 (they stay
// listed, for the analyst), combinations no longer see them, and feature
// quoted_lures fires with the quotations as its evidence.

// Quoting thresholds: at least minQuotedHits positive rules whose every
// evidence span is quoted, carrying at least quotedShare of the positive
// weight of the text.
const (
	minQuotedHits = 2
	quotedShare   = 0.5
	// maxQuoteBytes bounds one quotation; an unclosed mark does not make
	// the rest of a long text a quotation.
	maxQuoteBytes = 600
)

// quotePairs are the opening and closing marks of the region's
// languages: «…» (Russian, Ukrainian, Kazakh, …), „…“ and „…” (Bulgarian,
// Romanian, Polish, Lithuanian, Serbo-Croatian), “…” and "…" (English,
// Turkish, Latvian).
var quotePairs = map[rune]rune{'«': '»', '„': '“', '“': '”', '"': '"', '‚': '‘'}

// quoteRanges returns the byte ranges of the quotations in s.
func quoteRanges(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		closing, ok := quotePairs[r]
		if !ok {
			i += n
			continue
		}
		start := i + n
		rest := s[start:min(len(s), start+maxQuoteBytes)]
		end := strings.IndexRune(rest, closing)
		if r == '„' { // „…” as well as „…“
			if e2 := strings.IndexRune(rest, '”'); e2 >= 0 && (end < 0 || e2 < end) {
				end = e2
			}
		}
		if end < 0 {
			i = start
			continue
		}
		out = append(out, [2]int{start, start + end})
		_, cn := utf8.DecodeRuneInString(rest[end:])
		i = start + end + cn
	}
	return out
}

// quotes applies the quoting rule of this file after the feature rules
// and before the combinations.
func (s *scoring) quotes() {
	c := s.c
	var ranges map[string][][2]int
	inQuote := func(sp ad.Span) bool {
		if ranges == nil {
			ranges = map[string][][2]int{}
			for _, f := range ad.Fields {
				ranges[f] = quoteRanges(s.a.Field(f))
			}
		}
		for _, q := range ranges[sp.Field] {
			if q[0] <= sp.Start && sp.End <= q[1] {
				return true
			}
		}
		return false
	}
	var total, quoted float64
	var hits []int
	for i := range c.rules {
		r := &c.rules[i]
		if !s.fired[i] || r.When != nil || r.Weight <= 0 || len(s.evidence[i]) == 0 {
			continue
		}
		total += r.Weight
		all := true
		for _, sp := range s.evidence[i] {
			if !inQuote(sp) {
				all = false
				break
			}
		}
		if all {
			quoted += r.Weight
			hits = append(hits, i)
		}
	}
	if len(hits) < minQuotedHits || quoted < quotedShare*total {
		return
	}
	for _, i := range hits {
		s.fired[i] = false
		s.quoted[i] = true
	}
	for _, i := range c.featureRules {
		r := &c.rules[i]
		if r.Feature != "quoted_lures" || !applies(r.Kind, s.a.Kind) {
			continue
		}
		for _, f := range ad.Fields {
			text := s.a.Field(f)
			for _, q := range ranges[f] {
				if q[1] > q[0] {
					s.addEvidence(i, ad.Span{Field: f, Start: q[0], End: q[1], Text: text[q[0]:q[1]]})
				}
			}
		}
	}
}
