package dashboard

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
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

// highlight returns text as HTML with the evidence spans wrapped in
// <mark title="rule ids">. Spans that overlap or touch become one mark
// whose title lists every rule involved, in the order of their first
// span, so a phrase or handle several rules matched pieces of reads as
// one piece of evidence. Each segment of text is escaped; marks never
// nest. Invalid spans must have been dropped by the caller (see
// fieldSpans).
func highlight(text string, spans []markedSpan) template.HTML {
	if len(spans) == 0 {
		return template.HTML(template.HTMLEscapeString(text))
	}
	sorted := slices.Clone(spans)
	slices.SortStableFunc(sorted, func(a, b markedSpan) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	at := 0
	for i := 0; i < len(sorted); {
		start, end := sorted[i].start, sorted[i].end
		var rules []string
		for ; i < len(sorted) && sorted[i].start <= end; i++ {
			end = max(end, sorted[i].end)
			if !slices.Contains(rules, sorted[i].rule) {
				rules = append(rules, sorted[i].rule)
			}
		}
		b.WriteString(template.HTMLEscapeString(text[at:start]))
		b.WriteString(`<mark title="`)
		b.WriteString(template.HTMLEscapeString(strings.Join(rules, ", ")))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(text[start:end]))
		b.WriteString(`</mark>`)
		at = end
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String())
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
