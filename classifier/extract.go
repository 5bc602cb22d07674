package classifier

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

// Extractors run on the Light view of each field.

const num = `\d{1,3}(?:[ .,]\d{3})+|\d+(?:[.,]\d{1,2})?`

var (
	curAfter = `€|eur(?:o|os)?|евро|євро|\$|usd|долл\pL*|долар\pL*|дол\.?|dollars?|lei|лей|руб\pL*|р\.?|₽|грн|гривен\pL*|гривень|uah|£|gbp|pln|zł|zl|злот\pL*|ron`
	// amount [- amount] [thousands] currency
	salaryAfterRe = regexp.MustCompile(`(` + num + `)(?: ?- ?(` + num + `))? ?(тыс|тис|k|mii)?\.? ?(` + curAfter + `)`)
	// currency amount [- amount]
	salaryBeforeRe = regexp.MustCompile(`(€|\$|£|eur|usd|gbp) ?(` + num + `)(?: ?- ?(` + num + `))?`)
	periodRe       = regexp.MustCompile(`^ ?(?:/|в|на|за|per|pe|a|an|every|each|in)? ?(мес|міс|month|mo\b|luna|lunar|monthly|ежемесячн|щомісяч|день|сутк|смен|добу|day|daily|zi\b|shift|час|годин|hour|hr\b|h\b|ora|недел|тижд|week|saptaman)`)

	ageRangeRe = regexp.MustCompile(`(?:^|[^\d])(1[4-9]|[2-7]\d) ?(?:-|до|to|and|la|pana la|и|і) ?(1[4-9]|[2-7]\d)(?:[^\d]|$)`)
	ageUpperRe = regexp.MustCompile(`(?:до|under|up to|pana la|sub|not older than|не старше) (1[4-9]|[2-7]\d)(?:[^\d]|$)`)
	ageWordRe  = regexp.MustCompile(`^ ?(?:de )?(?:лет|года|год|років|роки|рік|ani|years|year|yo|y o|y\.o)`)
	ageCtxRe   = regexp.MustCompile(`(?:возраст|вік|varsta|age|aged|девуш|дівчат|fete|girls|ladies|women|женщин|жінок|dom(?:n)?isoare)\pL*[^\d]{0,12}$`)

	phoneRe  = regexp.MustCompile(`\+?\d[\d ().-]{7,22}\d`)
	emailRe  = regexp.MustCompile(`[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}`)
	handleRe = regexp.MustCompile(`(?:^|[^a-z0-9_.@/])@([a-z][a-z0-9_]{3,31})`)
	linkRe   = regexp.MustCompile(`(?:https?://)?(?:www\.)?(t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com/send\?phone=|invite\.viber\.com/\?g2=|viber://chat\?number=)/?(%2b|\+)?([a-z0-9_+-]{3,64})`)
	webRe    = regexp.MustCompile(`https?://[^ ]+|www\.[^ ]+`)
	tldRe    = regexp.MustCompile(`^(?:com|md|ro|ru|ua|eu|org|net|kz|by|bg|pl|de|info|biz)(?:[^a-z0-9]|$)`)
	msgrRe   = regexp.MustCompile(`telegram|телеграм\pL*|телеграмм\pL*|whatsapp|ватсап\pL*|вотсап\pL*|вацап\pL*|viber|вайбер\pL*|вібер\pL*`)
)

// Currencies by the start of their token.
func currency(tok string) string {
	switch {
	case tok == "€" || strings.HasPrefix(tok, "eur") || tok == "евро" || tok == "євро":
		return "EUR"
	case tok == "$" || tok == "usd" || strings.HasPrefix(tok, "дол") || strings.HasPrefix(tok, "dollar"):
		return "USD"
	case tok == "lei" || tok == "лей" || tok == "ron":
		return "RON"
	case strings.HasPrefix(tok, "р") || tok == "₽":
		return "RUB"
	case tok == "грн" || strings.HasPrefix(tok, "гривен") || tok == "гривень" || tok == "uah":
		return "UAH"
	case tok == "£" || tok == "gbp":
		return "GBP"
	case tok == "pln" || tok == "zł" || tok == "zl" || strings.HasPrefix(tok, "злот"):
		return "PLN"
	}
	return ""
}

func parseAmount(s string) float64 {
	strip := strings.NewReplacer(" ", "", ".", "", ",", "")
	// "1 500", "1.500", "1,500" are thousands; "12.50" is a decimal.
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 {
		s = strip.Replace(s[:i]) + "." + s[i+1:]
	} else {
		s = strip.Replace(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

func period(tail string) string {
	m := periodRe.FindStringSubmatch(tail)
	if m == nil {
		return ""
	}
	w := m[1]
	switch {
	case strings.HasPrefix(w, "мес") || strings.HasPrefix(w, "міс") || strings.HasPrefix(w, "mo") ||
		strings.HasPrefix(w, "lun") || strings.HasPrefix(w, "еж") || strings.HasPrefix(w, "щом"):
		return "month"
	case strings.HasPrefix(w, "нед") || strings.HasPrefix(w, "тиж") || strings.HasPrefix(w, "week") || strings.HasPrefix(w, "sapt"):
		return "week"
	case strings.HasPrefix(w, "час") || strings.HasPrefix(w, "год") || strings.HasPrefix(w, "h") || w == "ora":
		return "hour"
	}
	return "day"
}

// Monthly returns the monthly equivalent of a salary; an unknown period
// is read as monthly.
func Monthly(s ad.Salary) float64 {
	amt := max(s.Amount, s.Max)
	switch s.Period {
	case "hour":
		return amt * 168
	case "day":
		return amt * 22
	case "week":
		return amt * 4.33
	}
	return amt
}

// found is one extracted entity with its place in the light view.
type found struct {
	kind       string // phone, email, handle, link, web, messenger, salary, age
	value      string
	start, end int // in the light view
	salary     ad.Salary
	lo, hi     int // ages; 0 when unknown
}

func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func tail(s string, i, n int) string {
	j := min(len(s), i+n)
	for j < len(s) && !utf8.RuneStart(s[j]) {
		j++
	}
	return s[i:j]
}

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return n
}

var msgrRoots = []string{"telegram", "телеграм", "whatsapp", "ватсап", "вотсап", "вацап", "viber", "вайбер", "вібер"}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func extractSalaries(s string) []found {
	var out []found
	if digits(s) == 0 {
		return nil
	}
	for _, m := range salaryAfterRe.FindAllStringSubmatchIndex(s, 20) {
		tok := s[m[8]:m[9]]
		if unicode.IsLetter([]rune(tok)[0]) && letterAt(s, m[1]) {
			continue // "2000 рабочих", "5 europa"
		}
		if m[2] > 0 && unicode.IsDigit(rune(s[m[2]-1])) {
			continue
		}
		sal := ad.Salary{Amount: parseAmount(s[m[2]:m[3]]), Currency: currency(tok)}
		if m[4] >= 0 {
			sal.Max = parseAmount(s[m[4]:m[5]])
		}
		if m[6] >= 0 {
			sal.Amount *= 1000
			sal.Max *= 1000
		}
		sal.Period = period(tail(s, m[1], 24))
		out = append(out, found{kind: "salary", start: m[2], end: m[1], salary: sal})
	}
	for _, m := range salaryBeforeRe.FindAllStringSubmatchIndex(s, 20) {
		if overlaps(out, m[0], m[1]) || (unicode.IsLetter([]rune(s[m[2]:m[3]])[0]) && m[0] > 0 && letterAt(s, m[0]-1)) {
			continue
		}
		sal := ad.Salary{Amount: parseAmount(s[m[4]:m[5]]), Currency: currency(s[m[2]:m[3]])}
		if m[6] >= 0 {
			sal.Max = parseAmount(s[m[6]:m[7]])
		}
		sal.Period = period(tail(s, m[1], 24))
		out = append(out, found{kind: "salary", start: m[0], end: m[1], salary: sal})
	}
	return out
}

func overlaps(fs []found, s, e int) bool {
	for _, f := range fs {
		if s < f.end && f.start < e {
			return true
		}
	}
	return false
}

func extractAges(s string) []found {
	var out []found
	if digits(s) < 2 {
		return nil
	}
	ctx := func(start, end int) bool {
		return ageWordRe.MatchString(tail(s, end, 16)) || ageCtxRe.MatchString(s[max(0, start-40):start])
	}
	for _, m := range ageRangeRe.FindAllStringSubmatchIndex(s, 10) {
		lo, _ := strconv.Atoi(s[m[2]:m[3]])
		hi, _ := strconv.Atoi(s[m[4]:m[5]])
		if lo >= hi || !ctx(m[2], m[5]) {
			continue
		}
		out = append(out, found{kind: "age", start: m[2], end: m[5], lo: lo, hi: hi})
	}
	for _, m := range ageUpperRe.FindAllStringSubmatchIndex(s, 10) {
		if overlaps(out, m[0], m[1]) || !ageWordRe.MatchString(tail(s, m[3], 16)) {
			continue
		}
		hi, _ := strconv.Atoi(s[m[2]:m[3]])
		out = append(out, found{kind: "age", start: m[0], end: m[3], hi: hi})
	}
	return out
}

func isLabel(b byte) bool { return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' }

func extractContacts(s string, salaries []found) []found {
	var out []found
	at, dot, nd := strings.IndexByte(s, '@') >= 0, strings.IndexByte(s, '.') >= 0, digits(s)
	if at && dot {
		for _, m := range emailRe.FindAllStringIndex(s, 20) {
			out = append(out, found{kind: "email", value: s[m[0]:m[1]], start: m[0], end: m[1]})
		}
	}
	if containsAny(s, "t.me", "telegram.", "wa.me", "whatsapp.com", "viber") {
		for _, m := range linkRe.FindAllStringSubmatchIndex(s, 20) {
			host := s[m[2]:m[3]]
			if i := strings.IndexAny(host, "/?:"); i >= 0 {
				host = host[:i]
			}
			switch host {
			case "api.whatsapp.com", "viber":
				host = "wa.me"
				if strings.HasPrefix(s[m[2]:m[3]], "viber") {
					host = "viber"
				}
			case "telegram.me", "telegram.dog":
				host = "t.me"
			}
			v := host + "/" + s[m[6]:m[7]]
			out = append(out, found{kind: "link", value: v, start: m[0], end: m[1]})
		}
	}
	if at {
		for _, m := range handleRe.FindAllStringSubmatchIndex(s, 20) {
			if overlaps(out, m[2], m[3]) {
				continue
			}
			out = append(out, found{kind: "handle", value: "@" + s[m[2]:m[3]], start: m[2] - 1, end: m[3]})
		}
	}
	if nd >= 9 {
		for _, m := range phoneRe.FindAllStringIndex(s, 20) {
			raw := s[m[0]:m[1]]
			var d strings.Builder
			for _, r := range raw {
				if '0' <= r && r <= '9' {
					d.WriteRune(r)
				}
			}
			n := d.Len()
			if n < 9 || n > 15 || overlaps(salaries, m[0], m[1]) || overlaps(out, m[0], m[1]) || strings.Contains(raw, " - ") {
				continue
			}
			v := d.String()
			switch {
			case raw[0] == '+':
				v = "+" + v
			case strings.HasPrefix(v, "00"):
				v = "+" + v[2:]
			}
			out = append(out, found{kind: "phone", value: v, start: m[0], end: m[1]})
		}
	}
	if strings.Contains(s, "http") || strings.Contains(s, "www.") {
		for _, m := range webRe.FindAllStringIndex(s, 20) {
			if !overlaps(out, m[0], m[1]) {
				out = append(out, found{kind: "web", start: m[0], end: m[1]})
			}
		}
	}
	for i := 0; dot && i < len(s); i++ {
		// bare domains: "company.md"
		if s[i] != '.' || i < 2 || !isLabel(s[i-1]) || !isLabel(s[i-2]) || !tldRe.MatchString(s[i+1:]) {
			continue
		}
		lo := i - 2
		for lo > 0 && isLabel(s[lo-1]) {
			lo--
		}
		hi := i + 1
		for hi < len(s) && isLabel(s[hi]) {
			hi++
		}
		if !overlaps(out, lo, hi) {
			out = append(out, found{kind: "web", start: lo, end: hi})
		}
	}
	if containsAny(s, msgrRoots...) {
		for _, m := range msgrRe.FindAllStringIndex(s, 20) {
			out = append(out, found{kind: "messenger", start: m[0], end: m[1]})
		}
	}
	return out
}
