package classifier

import (
	"regexp"
	"slices"
	"strings"
)

// Company names and licence numbers. Both are run only when a trigger
// word is in the text.

var (
	companyFormBefore = regexp.MustCompile(`(?:^|[^\pL])(ооо|тов|тоо|оао|зао|пао|фоп|ип|sc|s\.c\.|sia|uab|შპს|mchj|жшс|дооел|доо|еоод|оод) ?"([^"]{2,60})"`)
	companyFormAfter  = regexp.MustCompile(`((?:[\pL\pN&'-]+ ){1,3})(ltd|llc|gmbh|srl|s\.r\.l\.|sp\. ?z ?o\.o\.|plc|inc\.|b\.v\.|s\.r\.o\.|s\.a\.|d\.o\.o\.|doo|sh\.p\.k\.|shpk|mchj|mmc|дооел|доо|еоод|оод|жшс|սպը)(?:[^\pL]|$)`)
	// Trigger words, in pattern syntax: the automaton finds them in the
	// same pass as the rule patterns, and an extractor runs only on a
	// field where one of its triggers was seen.
	companyTriggers = []string{"ооо", "тов", "тоо", "оао", "зао", "пао", "фоп", "ип", "sc", "s c", "ltd", "llc", "gmbh", "srl", "sp z o o", "plc", "inc", "b v", "s r o", "sro", "s a",
		// the region's other legal forms: Serbo-Croatian and Macedonian
		// d.o.o./ДОО(ЕЛ), Albanian sh.p.k., Bulgarian (Е)ООД, Latvian SIA,
		// Lithuanian UAB, Uzbek MChJ, Azerbaijani MMC, Kazakh ЖШС,
		// Georgian შპს, Armenian ՍՊԸ
		"d o o", "doo", "sh p k", "shpk", "дооел", "доо", "еоод", "оод", "sia", "uab", "mchj", "mmc", "жшс", "შპს", "սպը"}
	// leading words that are not part of a name
	companyStop = map[string]bool{"sc": true, "the": true, "company": true, "firma": true, "compania": true, "la": true, "at": true, "by": true, "from": true, "for": true, "of": true, "in": true, "și": true, "si": true}

	licenceRe       = regexp.MustCompile(`(?:лиценз|ліценз|лиценц|licen[tcs]|licenț|lisans|lisenz|litsenz|ლიცენზი|լիցենզի|дозвол|dozvol|autoriza|реестр|реєстр|registr|свидетельств|свідоцтв)\pL*(?:[ .:№#]+(?:[\pL']+\.?)){0,4}[ .:№#]*(\pN[\pN/-]{2,}\pN)`)
	licenceTriggers = []string{"лиценз*", "ліценз*", "лиценц*", "licen*", "lisans*", "lisenz*", "litsenz*", "ლიცენზი*", "լիցենզի*", "дозвол*", "dozvol*", "autoriza*", "реестр*", "реєстр*", "registr*", "свидетельств*", "свідоцтв*"}
)

// Legal forms as written in the light view, before a quoted name
// (formsBefore) or after a name (formsAfter).
var (
	formsBefore = []string{"ооо", "тов", "тоо", "оао", "зао", "пао", "фоп", "ип", "sc", "s.c.", "sia", "uab", "შპს", "mchj", "жшс", "дооел", "доо", "еоод", "оод"}
	formsAfter  = []string{"ltd", "llc", "gmbh", "srl", "s.r.l.", "sp. z o.o.", "sp.z o.o.", "plc", "inc.", "b.v.", "s.r.o.", "s.a.",
		"d.o.o.", "doo", "sh.p.k.", "shpk", "mchj", "mmc", "дооел", "доо", "еоод", "оод", "жшс", "սպը"}
)

// extractCompanies runs the company expressions on short windows at each
// legal form found in s.
func extractCompanies(s string) []found {
	var out []found
	add := func(f found) {
		if !overlaps(out, f.start, f.end) {
			out = append(out, f)
		}
	}
	each(s, formsBefore, func(p int) {
		lo := prevStart(s, p-1)
		w := window(s, lo, p-lo+90)
		if m := companyFormBefore.FindStringSubmatchIndex(w); m != nil {
			add(found{kind: kindCompany, start: lo + m[2], end: lo + m[5] + 1})
		}
	})
	each(s, formsAfter, func(p int) {
		lo := prevStart(s, p-80)
		w := window(s, lo, p-lo+16)
		m := companyFormAfter.FindStringSubmatchIndex(w)
		if m == nil {
			return
		}
		m = shift(m, lo)
		start := m[2]
		words := strings.Fields(s[m[2]:m[3]])
		for len(words) > 0 && companyStop[words[0]] {
			start += len(words[0]) + 1
			words = words[1:]
		}
		if len(words) > 0 {
			add(found{kind: kindCompany, start: start, end: m[5]})
		}
	})
	slices.SortFunc(out, func(x, y found) int { return x.start - y.start })
	return out
}

// each calls fn with every offset in s where one of subs occurs.
func each(s string, subs []string, fn func(int)) {
	for _, sub := range subs {
		for off := 0; off < len(s); {
			k := strings.Index(s[off:], sub)
			if k < 0 {
				break
			}
			fn(off + k)
			off += k + len(sub)
		}
	}
}

func extractLicences(s string) []found {
	var out []found
	for _, m := range licenceRe.FindAllStringSubmatchIndex(s, 5) {
		out = append(out, found{kind: kindLicence, value: s[m[2]:m[3]], start: m[0], end: m[1]})
	}
	return out
}
