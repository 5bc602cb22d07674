package notice

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"plain", "plain"}, {"=1+1", "'=1+1"}, {"+7 999", "'+7 999"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=x", "'\t=x"}, {"a=b", "a=b"}, {"https://x.example/=", "https://x.example/="},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := csvSafe(tc.in); got != tc.want {
				t.Errorf("csvSafe(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzNoticeCSV: whatever an ad says, the CSV export parses back to one
// row per ad with the text intact (after the formula guard).
func FuzzNoticeCSV(f *testing.F) {
	f.Add("https://x.example/1", "=cmd|' /C calc'!A0", "note\r\nwith \"quotes\", commas")
	f.Add("", "\x00\xff", "-1")
	f.Fuzz(func(t *testing.T, u, quote, note string) {
		d := Document{Notice: 1, Site: "s", Status: "draft", Statement: GoodFaithStatement, Notifier: Notifier{"N", "n@x.example"},
			Items: []DocItem{{AdID: "a", URL: u, ReviewNote: note,
				Indicators: []Indicator{{Name: "n", Quotes: []string{quote}}}}}}
		var b strings.Builder
		if err := WriteCSV(&b, d); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatalf("export does not parse: %v\n%q", err, b.String())
		}
		if len(recs) != 2 || len(recs[1]) != len(CSVHeader) {
			t.Fatalf("%d rows", len(recs))
		}
		// encoding/csv turns \r\n into \n inside quoted fields.
		norm := func(s string) string { return strings.ReplaceAll(csvSafe(s), "\r\n", "\n") }
		if got := recs[1][slices.Index(CSVHeader, "url")]; got != norm(u) && !(strings.ContainsRune(u, '\r')) {
			t.Errorf("url %q came back as %q", u, got)
		}
		if got := recs[1][slices.Index(CSVHeader, "review_note")]; got != norm(note) && !strings.ContainsRune(note, '\r') {
			t.Errorf("note %q came back as %q", note, got)
		}
	})
}
