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
		return inRanges(ranges[sp.Field], sp)
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
		s.uncounted[i] = uncountedQuoted
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

// Reported lures. A text whose own voice is a report or a warning — its
// reporting and awareness cues weigh at least reportCues — and that makes
// no offer of its own reports the lures it names, quoted or not: an NGO's
// "ten signs of a trap" lists every indicator, a court report retells
// the whole scheme. Its positive direct hits count 0 (listed, marked
// reported) and the combinations no longer see them. The reverse holds
// as well: a text that does make an offer of its own — pay stated
// outside quotations and a way to reach the poster — is an ad, and its
// "beware of fake agencies, we are verified" is part of the pitch: its
// awareness hits count 0 (marked own offer). News cues ("police
// arrested") keep their weight either way.

// reportCues is the least total weight (in absolute value) of the
// reporting and awareness rules that makes a text a report or warning:
// one awareness rule is enough.
const reportCues = 1.5

// Why a fired rule counts 0 (scoring.uncounted).
const (
	countedAll        uint8 = iota
	uncountedQuoted         // inside the quotations of a text that quotes lures
	uncountedReported       // named by a report or warning that offers nothing
	uncountedOwnOffer       // an ad's own safety talk
)

// reported applies the report-genre rule after quotes and before the
// combinations.
func (s *scoring) reported() {
	c := s.c
	cues := 0.0
	for i := range c.rules {
		r := &c.rules[i]
		if s.fired[i] && r.When == nil && r.Weight < 0 && (r.Signal == "reporting" || r.Signal == "awareness") {
			cues -= r.Weight
		}
	}
	if cues < reportCues {
		return
	}
	offer := s.offers()
	for i := range c.rules {
		r := &c.rules[i]
		if !s.fired[i] || r.When != nil {
			continue
		}
		switch {
		case offer && r.Weight < 0 && r.Signal == "awareness":
			s.fired[i], s.uncounted[i] = false, uncountedOwnOffer
		case !offer && r.Weight > 0:
			s.fired[i], s.uncounted[i] = false, uncountedReported
		}
	}
}

// offers reports whether the text makes an offer in its own voice: pay
// stated outside quotations, and a phone number, e-mail address, handle
// or link to reach the poster (a messenger's name alone is not one:
// reports name the channels lures came through).
func (s *scoring) offers() bool {
	if len(s.found[kindPhone])+len(s.found[kindEmail])+len(s.found[kindHandle])+len(s.found[kindLink]) == 0 {
		return false
	}
	ranges := map[string][][2]int{}
	for _, x := range s.found[kindSalary] {
		q, ok := ranges[x.span.Field]
		if !ok {
			q = quoteRanges(s.a.Field(x.span.Field))
			ranges[x.span.Field] = q
		}
		if !inRanges(q, x.span) {
			return true
		}
	}
	return false
}

// inRanges reports whether sp lies inside one of the byte ranges q.
func inRanges(q [][2]int, sp ad.Span) bool {
	for _, r := range q {
		if r[0] <= sp.Start && sp.End <= r[1] {
			return true
		}
	}
	return false
}
