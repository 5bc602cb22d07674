package dashboard

import (
	"html/template"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

// markedSpan is evidence located in one field's original text.
type markedSpan struct {
	start, end int
	rule       string
}

// validSpan reports whether [start, end) is a non-empty byte range of text
// that starts and ends on UTF-8 character boundaries.
func validSpan(text string, start, end int) bool {
	if start < 0 || end > len(text) || start >= end {
		return false
	}
	if !utf8.RuneStart(text[start]) {
		return false
	}
	return end == len(text) || utf8.RuneStart(text[end])
}

// fieldSpans collects the valid evidence spans of each field of v.
func fieldSpans(v ad.Verdict) map[string][]markedSpan {
	out := map[string][]markedSpan{}
	for _, h := range v.Hits {
		for _, sp := range h.Evidence {
			if validSpan(v.Ad.Field(sp.Field), sp.Start, sp.End) {
				out[sp.Field] = append(out[sp.Field], markedSpan{sp.Start, sp.End, h.Rule})
			}
		}
	}
	return out
}

// highlight returns text as HTML with every span wrapped in
// <mark title="rule ids">. Each segment of text is escaped; overlapping
// spans are split at their boundaries so marks never nest. Invalid spans
// must have been dropped by the caller (see fieldSpans).
func highlight(text string, spans []markedSpan) template.HTML {
	if len(spans) == 0 {
		return template.HTML(template.HTMLEscapeString(text))
	}
	cuts := []int{0, len(text)}
	for _, s := range spans {
		cuts = append(cuts, s.start, s.end)
	}
	sort.Ints(cuts)
	var b strings.Builder
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		if from == to {
			continue
		}
		seg := template.HTMLEscapeString(text[from:to])
		var rules []string
		for _, s := range spans {
			if s.start <= from && to <= s.end && !contains(rules, s.rule) {
				rules = append(rules, s.rule)
			}
		}
		if len(rules) == 0 {
			b.WriteString(seg)
			continue
		}
		b.WriteString(`<mark title="`)
		b.WriteString(template.HTMLEscapeString(strings.Join(rules, ", ")))
		b.WriteString(`">`)
		b.WriteString(seg)
		b.WriteString(`</mark>`)
	}
	return template.HTML(b.String())
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// safeFragment turns an index fragment (escaped text with <mark> tags)
// into HTML, re-escaping any piece that is not plainly escaped already, so
// only <mark> and </mark> can ever reach the page as markup.
func safeFragment(s string) template.HTML {
	var b strings.Builder
	open := false
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(escapeIfRaw(s))
			break
		}
		b.WriteString(escapeIfRaw(s[:i]))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<mark>") && !open:
			b.WriteString("<mark>")
			s = s[len("<mark>"):]
			open = true
		case strings.HasPrefix(s, "</mark>") && open:
			b.WriteString("</mark>")
			s = s[len("</mark>"):]
			open = false
		default:
			b.WriteString("&lt;")
			s = s[1:]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// escapeIfRaw escapes s unless it holds no markup-significant character
// other than entity ampersands (the index escapes with html.EscapeString).
func escapeIfRaw(s string) string {
	if strings.ContainsAny(s, `<>"'`) {
		return template.HTMLEscapeString(s)
	}
	return s
}

// linkURL returns raw if it is an absolute http or https URL, and "" for
// anything else (javascript:, data:, relative, malformed), which must not
// become a link.
func linkURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.String()
	}
	return ""
}
