package classifier

import (
	"strings"
	"unicode/utf8"
)

// A hand-written reader for "amount [- amount] [thousands] currency" at a
// number: the salary expression run at every number was the single
// largest cost of scoring.

// scanNumber reads `\d{1,3}(?:[ .,]\d{3})+|\d+(?:[.,]\d{1,2})?` at i and
// returns its end, or -1.
func scanNumber(s string, i int) int {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i {
		return -1
	}
	// grouped thousands: "1 500", "2.000.000"
	if j-i <= 3 {
		k := j
		for k+3 < len(s) && (s[k] == ' ' || s[k] == '.' || s[k] == ',') &&
			isDigit(s[k+1]) && isDigit(s[k+2]) && isDigit(s[k+3]) && (k+4 == len(s) || !isDigit(s[k+4])) {
			k += 4
		}
		if k > j {
			return k
		}
	}
	// decimals: "12.50"
	if j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1]) {
		k := j + 2
		if k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == len(s) || !isDigit(s[k]) {
			return k
		}
	}
	return j
}

// currencyTokens in the order the alternatives are tried (the first
// prefix that matches is taken, so longer tokens go first); a trailing *
// takes the rest of the word (\pL*), a trailing ? an optional dot.
var currencyTokens = []string{
	"€", "euros", "eurai", "euru", "euro", "eur", "евро", "євро", "$", "usd", "долл*", "долар*", "дол?", "dollars", "dollar",
	"lei", "лей", "руб*", "р?", "₽", "грн", "гривен*", "гривень", "uah", "£", "gbp", "pln", "zł", "zl", "злот*", "ron",
	"у.е.", "у.е", "cad", "канадск*", "chf", "франк*", "ils", "шекел*", "shekel*", "sekel*", "aed", "дирхам*", "dirham*",
	"долар*", "dolari", "dolar", "dolara", "dollars", "евра", "evra", "eura", "леи",
	// the region's other spellings: Uzbek, Azerbaijani/Turkish, Latvian,
	// Lithuanian, Georgian, Armenian; Latin "rubl" of Central Asia
	"yevro", "avro", "eiro", "ევრო", "დოლარ*", "եվրո", "դոլար*", "rubl*",
}

type currencyToken struct {
	body string
	tail byte // '*', '?' or 0
}

var currencyBodies = func() []currencyToken {
	out := make([]currencyToken, len(currencyTokens))
	for k, t := range currencyTokens {
		out[k].body = strings.TrimRight(t, "*?")
		if c := t[len(t)-1]; c == '*' || c == '?' {
			out[k].tail = c
		}
	}
	return out
}()

// scanCurrency reads a currency token at i and returns it and its end.
func scanCurrency(s string, i int) (string, int) {
	if i >= len(s) {
		return "", -1
	}
	for _, t := range currencyBodies {
		if len(t.body) == 0 || t.body[0] != s[i] || !strings.HasPrefix(s[i:], t.body) {
			continue
		}
		e := i + len(t.body)
		switch t.tail {
		case '*':
			for e < len(s) && letterAt(s, e) {
				_, n := utf8.DecodeRuneInString(s[e:])
				e += n
			}
		case '?':
			if e < len(s) && s[e] == '.' {
				e++
			}
		}
		return s[i:e], e
	}
	return "", -1
}

// salaryAfter reads "amount [- amount] [thousands] currency" at p. It
// returns the amounts' ends, the multiplier flag, the currency token and
// the end of the whole match; ok is false when there is none.
type amountMatch struct {
	lo, loEnd, hi, hiEnd int // hi = -1 without a range
	thousands            bool
	cur                  string
	curStart, end        int
}

func skipSpace(s string, i int) int {
	if i < len(s) && s[i] == ' ' {
		return i + 1
	}
	return i
}

func salaryAfter(s string, p int) (amountMatch, bool) {
	m := amountMatch{lo: p, hi: -1, hiEnd: -1}
	if m.loEnd = scanNumber(s, p); m.loEnd < 0 {
		return m, false
	}
	i := m.loEnd
	if k := skipSpace(s, i); k < len(s) && s[k] == '-' {
		k = skipSpace(s, k+1)
		if e := scanNumber(s, k); e > 0 {
			m.hi, m.hiEnd, i = k, e, e
		}
	}
	k := skipSpace(s, i)
	for _, mult := range []string{"тыс", "тис", "т.", "k", "mii", "mie"} {
		if strings.HasPrefix(s[k:], mult) {
			e := k + len(mult)
			if mult == "т." {
				e-- // "200 т.р.": the dot is read below
			} else if mult[0] >= 0x80 {
				for e < len(s) && letterAt(s, e) {
					_, n := utf8.DecodeRuneInString(s[e:])
					e += n
				}
			}
			if _, ce := scanCurrency(s, skipSpace(s, skipDot(s, e))); ce > 0 {
				m.thousands, k = true, e
			}
			break
		}
	}
	k = skipSpace(s, skipDot(s, k))
	cur, e := scanCurrency(s, k)
	if e < 0 {
		return m, false
	}
	m.cur, m.curStart, m.end = cur, k, e
	return m, true
}

func skipDot(s string, i int) int {
	if i < len(s) && s[i] == '.' {
		return i + 1
	}
	return i
}
