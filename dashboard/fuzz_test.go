package dashboard

import (
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

var markTag = regexp.MustCompile(`<mark title="[^"<>]*">|</mark>`)

// FuzzHighlight checks that evidence highlighting never panics, whatever
// the offsets, and that its output is the escaped text plus mark tags only.
func FuzzHighlight(f *testing.F) {
	f.Add("Работа <b>за</b> границей", 0, 12, 5, 40, `r"1`)
	f.Add("<script>alert(1)</script>", 0, 8, 8, 16, "x")
	f.Add("ab", -1, 3, 1, 1, "")
	f.Add("\xff\xfe broken utf8", 0, 1, 1, 5, "r")
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int, rule string) {
		v := ad.Verdict{Ad: ad.Ad{Body: text}, Hits: []ad.Hit{{Rule: rule, Evidence: []ad.Span{
			{Field: "body", Start: s1, End: e1}, {Field: "body", Start: s2, End: e2},
		}}}}
		out := string(highlight(text, fieldSpans(v)["body"]))
		plain := markTag.ReplaceAllString(out, "")
		if strings.ContainsAny(plain, "<>\"") {
			t.Fatalf("unescaped markup in %q", out)
		}
		if want := template.HTMLEscapeString(text); plain != want {
			t.Fatalf("text changed: %q -> %q, want %q", text, plain, want)
		}
	})
}

// FuzzSafeFragment checks that only bare <mark> and </mark> survive as
// markup, balanced, whatever the index returns.
func FuzzSafeFragment(f *testing.F) {
	f.Add("a <mark>b</mark> &lt;c&gt;")
	f.Add(`<mark onclick="x"><script>alert(1)</script>`)
	f.Add("</mark><mark><mark>")
	f.Fuzz(func(t *testing.T, in string) {
		out := string(safeFragment(in))
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("unbalanced marks in %q", out)
		}
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(out)
		if strings.ContainsAny(rest, "<>\"'") {
			t.Fatalf("raw markup in %q", out)
		}
	})
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/ads/x?y=1", "//evil.example", "/\\evil", "https://evil", "/\r\nx", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("safeNext(%q) = %q leaves the site", s, got)
		}
	})
}
