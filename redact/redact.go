// Package redact replaces personal data in short texts (evidence phrases,
// notes) with placeholders, so that the texts can be shown to people who
// must not see contacts or names: phones become [phone], e-mail addresses
// [email], messenger handles and links [handle], other links [link],
// numbers that look like identifiers [id], and person-name-like words
// [name].
//
// It works on text alone, by patterns and a list of common given names of
// the languages lure reads; it errs on the side of redacting. It leaves
// deciding who sees what to its callers.
package redact

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxBytes bounds the input; longer texts are cut (on a rune boundary)
// before redaction.
const MaxBytes = 4 << 10

// Placeholders.
const (
	Phone  = "[phone]"
	Email  = "[email]"
	Handle = "[handle]"
	Link   = "[link]"
	ID     = "[id]"
	Name   = "[name]"
)

var (
	emailRe = regexp.MustCompile(`[\pL\pN._%+-]+@[\pL\pN-]+(?:\.[\pL\pN-]+)+`)
	msgrRe  = regexp.MustCompile(`(?i)(?:https?://)?(?:www\.)?(?:t\.me|telegram\.(?:me|dog)|wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com|invite\.viber\.com|viber:/*|tg:/*)[^\s,;]*`)
	urlRe   = regexp.MustCompile(`(?i)(?:[a-z][a-z0-9+.-]*://|www\.)[^\s,;]*`)
	// bare domains: "agency-job.md", "jobs.example.com/x"
	domainRe = regexp.MustCompile(`(?i)[\pL\pN-]+(?:\.[\pL\pN-]+)*\.(?:com|net|org|info|biz|md|ro|ru|ua|by|kz|ge|bg|rs|pl|de|eu|io|me|co|uk|tr|ae|cy|il|su|рф|срб|бг|укр)(?:/[^\s,;]*)?(?:[^\pL\pN]|$)`)
	handleRe = regexp.MustCompile(`(^|[^\pL\pN_.\]])@[\pL\pN_.]{2,}`)
	// A run of digits with the separators people put in phone numbers.
	phoneRe = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{5,}\d`)
	rangeRe = regexp.MustCompile(`^([1-9]\d{0,5}) ?- ?([1-9]\d{0,5})$`)
	// A word with digits: an identifier when it has 6 digits in a row,
	// or letters and at least 5 digits.
	tokenRe = regexp.MustCompile(`[\pL\pN]*\d[\pL\pN]*`)
)

// String returns s with personal data replaced by placeholders.
func String(s string) string {
	s = strings.ToValidUTF8(cut(s, MaxBytes), "\uFFFD")
	s = emailRe.ReplaceAllString(s, Email)
	s = msgrRe.ReplaceAllString(s, Handle)
	s = urlRe.ReplaceAllString(s, Link)
	s = domainRe.ReplaceAllStringFunc(s, func(m string) string {
		r, n := utf8.DecodeLastRuneInString(m)
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '/' {
			return Link + m[len(m)-n:]
		}
		return Link
	})
	s = handleRe.ReplaceAllString(s, "${1}"+Handle)
	s = tokenRe.ReplaceAllStringFunc(s, func(m string) string {
		if digits(m) >= 5 && digits(m) < utf8.RuneCountInString(m) {
			return ID // letters and digits: "AB1234567"
		}
		return m
	})
	s = phoneRe.ReplaceAllStringFunc(s, func(m string) string {
		if digits(m) < 7 || isRange(m) {
			return m
		}
		return Phone
	})
	s = tokenRe.ReplaceAllStringFunc(s, func(m string) string {
		if longestRun(m) >= 6 || digits(m) >= 5 && digits(m) < utf8.RuneCountInString(m) {
			return ID
		}
		return m
	})
	return names(s)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if '0' <= r && r <= '9' {
			n++
		}
	}
	return n
}

func longestRun(s string) int {
	best, n := 0, 0
	for _, r := range s {
		if '0' <= r && r <= '9' {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// isRange reports whether m is a range of round amounts ("2500-4000",
// "800 - 1200") rather than a phone number.
func isRange(m string) bool {
	g := rangeRe.FindStringSubmatch(m)
	if g == nil {
		return false
	}
	lo, _ := strconv.Atoi(g[1])
	hi, _ := strconv.Atoi(g[2])
	return lo < hi && lo%10 == 0 && hi%10 == 0
}
