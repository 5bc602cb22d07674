package classifier

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

// Extractors run on the Light view of each field.

const num = `\d{1,3}(?:[ .,]\d{3})+|\d+(?:[.,]\d{1,2})?`

var (
	// amount [- amount] [thousands] currency
	// Salary and age expressions are anchored (^) and run on a short
	// window at each number or currency sign, never over the whole text.
	// currency amount [- amount]
	salaryBeforeRe = regexp.MustCompile(`^(€|\$|£|eur|usd|gbp|cad|chf) ?(` + num + `)(?: ?- ?(` + num + `))?`)
	periodRe       = regexp.MustCompile(`^ ?(?:/|в|на|за|per|pe|a|an|every|each|in)? ?(мес|міс|month|mo\b|luna|lunar|monthly|ежемесячн|щомісяч|день|сутк|смен|добу|day|daily|zi\b|shift|час|годин|hour|hr\b|h\b|ora|недел|тижд|week|saptaman|summer|season|сезон|sezon|vara|літо|лето)`)

	ageRangeRe = regexp.MustCompile(`^(1[4-9]|[2-7]\d) ?(?:-|до|to|and|la|pana la|и|і) ?(1[4-9]|[2-7]\d)(?:[^\d]|$)`)
	ageUpper   = []string{"до ", "under ", "up to ", "pana la ", "sub ", "not older than ", "не старше "}
	ageWordRe  = regexp.MustCompile(`^ ?(?:de )?(?:лет|года|год|років|роки|рік|ani|years|year|yo|y o|y\.o)`)
	ageCtxRe   = regexp.MustCompile(`(?:возраст|вік|varsta|age|aged|девуш|дівчат|fete|girls|ladies|women|женщин|жінок|dom(?:n)?isoare)\pL*[^\d]{0,12}$`)

	emailRe  = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}`)
	handleRe = regexp.MustCompile(`(?:^|[^a-z0-9_.@/])@([a-z][a-z0-9_]{3,31})`)
	linkRe   = regexp.MustCompile(`(?:https?://)?(?:www\.)?(t\.me|telegram\.me|telegram\.dog|wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com/send\?phone=|invite\.viber\.com/\?g2=|viber://chat\?number=)/?(%2b|\+)?([a-z0-9_+-]{3,64})`)
	webRe    = regexp.MustCompile(`https?://[^ ]+|www\.[^ ]+`)
	tldRe    = regexp.MustCompile(`^(?:com|md|ro|ru|ua|eu|org|net|kz|by|bg|pl|de|info|biz)(?:[^a-z0-9]|$)`)
)

// Currencies by the start of their token.
func currency(tok string) string {
	switch {
	case tok == "€" || strings.HasPrefix(tok, "eur") || tok == "евро" || tok == "євро":
		return "EUR"
	case tok == "$" || tok == "usd" || strings.HasPrefix(tok, "дол") || strings.HasPrefix(tok, "dollar") || strings.HasPrefix(tok, "dolar") || strings.HasPrefix(tok, "у.е"):
		return "USD"
	case tok == "cad" || strings.HasPrefix(tok, "канадск"):
		return "CAD"
	case tok == "chf" || strings.HasPrefix(tok, "франк"):
		return "CHF"
	case tok == "ils" || strings.HasPrefix(tok, "шекел") || strings.HasPrefix(tok, "shekel") || strings.HasPrefix(tok, "sekel"):
		return "ILS"
	case tok == "aed" || strings.HasPrefix(tok, "дирхам") || strings.HasPrefix(tok, "dirham"):
		return "AED"
	case tok == "евра" || tok == "evra" || tok == "eura" || tok == "yevro" || tok == "avro" || tok == "eiro" || tok == "ევრო" || tok == "եվրո":
		return "EUR"
	case strings.HasPrefix(tok, "დოლარ") || strings.HasPrefix(tok, "դոլար"):
		return "USD"
	case strings.HasPrefix(tok, "rubl"):
		return "RUB"
	case tok == "леи":
		return "RON"
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

var strip = strings.NewReplacer(" ", "", ".", "", ",", "")

func parseAmount(s string) float64 {
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
	case strings.HasPrefix(w, "sum") || strings.HasPrefix(w, "sea") || strings.HasPrefix(w, "сез") || strings.HasPrefix(w, "sez") ||
		w == "vara" || w == "літо" || w == "лето":
		return "season"
	case strings.HasPrefix(w, "нед") || strings.HasPrefix(w, "тиж") || strings.HasPrefix(w, "week") || strings.HasPrefix(w, "sapt"):
		return "week"
	case strings.HasPrefix(w, "час") || strings.HasPrefix(w, "год") || strings.HasPrefix(w, "h") || w == "ora":
		return "hour"
	}
	return "day"
}

// SeasonMonths is how long a pay period of "a season" or "a summer" is
// taken to be.
const SeasonMonths = 3

// Monthly returns the monthly equivalent of a salary (hour × 168, day ×
// 22, week × 4.33, season ÷ SeasonMonths); an unknown period is read as
// monthly.
func Monthly(s ad.Salary) float64 {
	amt := max(s.Amount, s.Max)
	switch s.Period {
	case "hour":
		return amt * 168
	case "season":
		return amt / SeasonMonths
	case "day":
		return amt * 22
	case "week":
		return amt * 4.33
	}
	return amt
}

// kind is the kind of an extracted entity.
type kind uint8

const (
	kindPhone kind = iota
	kindEmail
	kindHandle
	kindLink
	kindWeb
	kindMessenger
	kindSalary
	kindAge
	kindCompany
	kindLicence
	nKinds
)

var kindNames = [nKinds]string{"phone", "email", "handle", "link", "web", "messenger", "salary", "age", "company", "licence"}

func (k kind) String() string { return kindNames[k] }

// Extractors that run only when the automaton saw one of their trigger
// words in the field.
const (
	needCompany uint8 = 1 << iota
	needLicence
	needMessenger
	needAll = needCompany | needLicence | needMessenger
)

// extractAll runs the extractors on a light view: always salaries, ages
// and contacts, and those of need.
func extractAll(s, region string, need uint8) []found {
	nd := digits(s)
	var starts []int
	if nd > 0 {
		starts = numberStarts(s)
	}
	var out []found
	if nd > 0 {
		out = salariesAt(s, starts)
	}
	sal := len(out)
	if nd >= 2 {
		out = append(out, agesAt(s, starts)...)
	}
	out = append(out, extractContacts(s, out[:sal], region, need&needMessenger != 0)...)
	if need&needCompany != 0 {
		out = append(out, extractCompanies(s)...)
	}
	if nd > 0 && need&needLicence != 0 {
		out = append(out, extractLicences(s)...)
	}
	for i := range out {
		if out[i].value != "" {
			out[i].value = strings.Clone(out[i].value) // s is a reused buffer
		}
	}
	return out
}

// found is one extracted entity with its place in the light view.
type found struct {
	kind       kind
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

// msgrTriggers find msgrRoots anywhere in a word ("вотсапп", "@telegram").
var msgrTriggers = []string{"telegram*", "телеграм*", "whatsapp*", "ватсап*", "вотсап*", "вацап*", "viber*", "вайбер*", "вібер*"}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// numberStarts returns the byte offsets where a run of digits starts.
func numberStarts(s string) []int {
	var out []int
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) && (i == 0 || !isDigit(s[i-1])) {
			out = append(out, i)
		}
	}
	return out
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// window returns s[i:i+n] (shorter at the end of s), shifted back to a
// rune start.
func window(s string, i, n int) string {
	return tail(s, i, n)
}

// shift moves the offsets of a submatch index by d (unset stays -1).
func shift(m []int, d int) []int {
	for k := range m {
		if m[k] >= 0 {
			m[k] += d
		}
	}
	return m
}

var curBefore = []string{"€", "$", "£", "eur", "usd", "gbp", "cad", "chf"}

func extractSalaries(s string) []found {
	if digits(s) == 0 {
		return nil
	}
	return salariesAt(s, numberStarts(s))
}

func salariesAt(s string, starts []int) []found {
	var out []found
	next := 0
	for _, p := range starts {
		if p < next {
			continue
		}
		if p > 0 && (s[p-1] == '.' || s[p-1] == ',') && p > 1 && isDigit(s[p-2]) {
			continue // the decimals of a number
		}
		m, ok := salaryAfter(s, p)
		if !ok {
			continue
		}
		tok := m.cur
		if r, _ := utf8.DecodeRuneInString(tok); unicode.IsLetter(r) && letterAt(s, m.end) {
			continue // "2000 рабочих", "5 europa"
		}
		sal := ad.Salary{Amount: parseAmount(s[m.lo:m.loEnd]), Currency: currency(tok)}
		if m.hi >= 0 {
			sal.Max = parseAmount(s[m.hi:m.hiEnd])
		}
		if m.thousands {
			sal.Amount *= 1000
			sal.Max *= 1000
		}
		sal.Period = period(tail(s, m.end, 24))
		out = append(out, found{kind: kindSalary, start: m.lo, end: m.end, salary: sal})
		next = m.end
	}
	for _, cur := range curBefore {
		for off := 0; off < len(s); {
			k := strings.Index(s[off:], cur)
			if k < 0 {
				break
			}
			p := off + k
			off = p + len(cur)
			if overlaps(out, p, p+1) || (cur[0] >= 'a' && p > 0 && letterAt(s, prevRune(s, p))) {
				continue
			}
			m := salaryBeforeRe.FindStringSubmatchIndex(window(s, p, 64))
			if m == nil {
				continue
			}
			m = shift(m, p)
			if overlaps(out, m[0], m[1]) {
				continue
			}
			sal := ad.Salary{Amount: parseAmount(s[m[4]:m[5]]), Currency: currency(s[m[2]:m[3]])}
			if m[6] >= 0 {
				sal.Max = parseAmount(s[m[6]:m[7]])
			}
			sal.Period = period(tail(s, m[1], 24))
			out = append(out, found{kind: kindSalary, start: m[0], end: m[1], salary: sal})
		}
	}
	slices.SortFunc(out, func(x, y found) int { return x.start - y.start })
	return out
}

// prevRune returns the offset of the rune before i.
func prevRune(s string, i int) int {
	_, n := utf8.DecodeLastRuneInString(s[:i])
	return i - n
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
	if digits(s) < 2 {
		return nil
	}
	return agesAt(s, numberStarts(s))
}

func agesAt(s string, starts []int) []found {
	var out []found
	ctx := func(start, end int) bool {
		return ageWordRe.MatchString(tail(s, end, 16)) || ageCtxRe.MatchString(s[prevStart(s, start-40):start])
	}
	for _, p := range starts {
		// exactly two digits
		if p+1 >= len(s) || !isDigit(s[p+1]) || p+2 < len(s) && isDigit(s[p+2]) || overlaps(out, p, p+2) {
			continue
		}
		if m := ageRangeRe.FindStringSubmatchIndex(window(s, p, 40)); m != nil {
			m = shift(m, p)
			lo, _ := strconv.Atoi(s[m[2]:m[3]])
			hi, _ := strconv.Atoi(s[m[4]:m[5]])
			if lo < hi && ctx(m[2], m[5]) {
				out = append(out, found{kind: kindAge, start: m[2], end: m[5], lo: lo, hi: hi})
				continue
			}
		}
		n, _ := strconv.Atoi(s[p : p+2])
		if n < 14 || n > 79 || !ageWordRe.MatchString(tail(s, p+2, 16)) {
			continue
		}
		for _, kw := range ageUpper {
			if strings.HasSuffix(s[:p], kw) {
				out = append(out, found{kind: kindAge, start: p - len(kw), end: p + 2, hi: n})
				break
			}
		}
	}
	return out
}

// prevStart clamps i to [0, ...] and moves it to a rune start.
func prevStart(s string, i int) int {
	if i <= 0 {
		return 0
	}
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// phoneSpans finds what `\+?\d[\d ()./-]{7,22}\d` would find, leftmost
// first, without a regular expression.
func phoneSpans(s string, max int) [][2]int {
	var out [][2]int
	for p := 0; p < len(s) && len(out) < max; p++ {
		d := p
		if s[p] == '+' {
			d = p + 1
		}
		if d >= len(s) || !isDigit(s[d]) {
			continue
		}
		end := -1
		for k := d + 1; k < len(s) && k <= d+23; k++ {
			c := s[k]
			if isDigit(c) {
				if k-d-1 >= 7 {
					end = k + 1
				}
				continue
			}
			if c != ' ' && c != '(' && c != ')' && c != '.' && c != '-' && c != '/' {
				break
			}
		}
		if end < 0 {
			continue
		}
		out = append(out, [2]int{p, end})
		p = end - 1
	}
	return out
}

func isLocal(b byte) bool {
	return 'a' <= b && b <= 'z' || isDigit(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-'
}

func isLabel(b byte) bool { return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' }

func extractContacts(s string, salaries []found, region string, messengers bool) []found {
	var out []found
	at, dot, nd := strings.IndexByte(s, '@') >= 0, strings.IndexByte(s, '.') >= 0, digits(s)
	if at && dot {
		next := 0
		for i := 0; i < len(s); i++ {
			if s[i] != '@' || i < next {
				continue
			}
			lo := i
			for lo > next && isLocal(s[lo-1]) {
				lo--
			}
			if m := emailRe.FindStringIndex(window(s, lo, i-lo+256)); m != nil {
				out = append(out, found{kind: kindEmail, value: s[lo+m[0] : lo+m[1]], start: lo + m[0], end: lo + m[1]})
				next = lo + m[1]
			}
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
			out = append(out, found{kind: kindLink, value: v, start: m[0], end: m[1]})
		}
	}
	if at {
		for _, m := range handleRe.FindAllStringSubmatchIndex(s, 20) {
			if overlaps(out, m[2], m[3]) {
				continue
			}
			out = append(out, found{kind: kindHandle, value: "@" + s[m[2]:m[3]], start: m[2] - 1, end: m[3]})
		}
	}
	if nd >= 9 {
		for _, m := range phoneSpans(s, 20) {
			raw := s[m[0]:m[1]]
			n := digits(raw)
			if n < 9 || n > 15 || overlaps(salaries, m[0], m[1]) || overlaps(out, m[0], m[1]) ||
				(strings.Contains(raw, " - ") || strings.Contains(raw, "/")) && !obscured(raw) {
				continue
			}
			v, _ := E164(raw, region)
			out = append(out, found{kind: kindPhone, value: v, start: m[0], end: m[1]})
		}
	}
	if strings.Contains(s, "http") || strings.Contains(s, "www.") {
		for _, m := range webRe.FindAllStringIndex(s, 20) {
			if !overlaps(out, m[0], m[1]) {
				out = append(out, found{kind: kindWeb, start: m[0], end: m[1]})
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
			out = append(out, found{kind: kindWeb, start: lo, end: hi})
		}
	}
	if messengers {
		var ms []found
		for _, root := range msgrRoots {
			for off := 0; off < len(s); {
				k := strings.Index(s[off:], root)
				if k < 0 {
					break
				}
				p := off + k
				e := p + len(root)
				for e < len(s) && letterAt(s, e) && root[0] >= 0x80 {
					_, n := utf8.DecodeRuneInString(s[e:])
					e += n
				}
				off = e
				if !overlaps(ms, p, e) {
					ms = append(ms, found{kind: kindMessenger, start: p, end: e})
				}
			}
		}
		slices.SortFunc(ms, func(x, y found) int { return x.start - y.start })
		out = append(out, ms...)
	}
	return out
}
