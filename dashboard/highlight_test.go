package dashboard

import (
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func TestHighlight(t *testing.T) {
	text := "ab<cd>ef"
	tests := []struct {
		name  string
		spans []markedSpan
		want  string
	}{
		{"none", nil, "ab&lt;cd&gt;ef"},
		{"one", []markedSpan{{2, 6, "r1"}}, `ab<mark title="r1">&lt;cd&gt;</mark>ef`},
		{"whole", []markedSpan{{0, 8, "r1"}}, `<mark title="r1">ab&lt;cd&gt;ef</mark>`},
		{"overlap", []markedSpan{{0, 4, "r1"}, {2, 8, "r2"}}, `<mark title="r1, r2">ab&lt;cd&gt;ef</mark>`},
		{"touching", []markedSpan{{0, 2, "r1"}, {2, 4, "r2"}}, `<mark title="r1, r2">ab&lt;c</mark>d&gt;ef`},
		{"inside", []markedSpan{{0, 8, "r1"}, {3, 4, "r2"}}, `<mark title="r1, r2">ab&lt;cd&gt;ef</mark>`},
		{"chain", []markedSpan{{4, 6, "r3"}, {0, 2, "r1"}, {1, 5, "r2"}}, `<mark title="r1, r2, r3">ab&lt;cd&gt;</mark>ef`},
		{"apart", []markedSpan{{3, 4, "r2"}, {0, 1, "r1"}}, `<mark title="r1">a</mark>b&lt;<mark title="r2">c</mark>d&gt;ef`},
		{"same rule twice", []markedSpan{{0, 2, "r1"}, {1, 3, "r1"}}, `<mark title="r1">ab&lt;</mark>cd&gt;ef`},
		{"quote in rule", []markedSpan{{0, 1, `r"x`}}, `<mark title="r&#34;x">a</mark>b&lt;cd&gt;ef`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(highlight(text, tc.spans)); got != tc.want {
				t.Errorf("highlight = %q, want %q", got, tc.want)
			}
		})
	}
}

// A handle matched by several rules, each on a piece of it, is one mark
// naming every rule, not a row of fragments.
func TestHighlightHandleIsOneMark(t *testing.T) {
	body := "Пишите @istanbul_hostess_ro сегодня"
	h := strings.Index(body, "@")
	v := ad.Verdict{Ad: ad.Ad{Body: body}, Hits: []ad.Hit{
		{Rule: "ru.handle", Evidence: []ad.Span{{Field: "body", Start: h, End: h + len("@istanbul_hostess_ro")}}},
		{Rule: "ru.hostess", Evidence: []ad.Span{{Field: "body", Start: h + len("@istanbul_"), End: h + len("@istanbul_hostess")}}},
		{Rule: "ru.turkey", Evidence: []ad.Span{{Field: "body", Start: h + 1, End: h + len("@istanbul")}}},
	}}
	got := string(highlight(body, fieldSpans(v)["body"]))
	want := `Пишите <mark title="ru.handle, ru.turkey, ru.hostess">@istanbul_hostess_ro</mark> сегодня`
	if got != want {
		t.Errorf("highlight = %q, want %q", got, want)
	}
}
