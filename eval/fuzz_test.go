package eval

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// addSeeds adds every testdata file matching the patterns.
func addSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, p := range patterns {
		names, err := filepath.Glob(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files for %v", patterns)
	}
}

// fuzzLoad checks what every loader promises on any input: no panic, a
// ParseError (with a line) or records that are valid ads with a source.
func fuzzLoad(t *testing.T, data []byte, name string, format Format) {
	recs, err := Load(context.Background(), bytes.NewReader(data), name, LoadOptions{Format: format, MaxRecordBytes: 4 << 10, MaxRecords: 64})
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error without position: %v", err)
		}
		if pe.Line < 1 {
			t.Fatalf("error at line %d: %v", pe.Line, err)
		}
		return
	}
	if len(recs) > 64 {
		t.Fatalf("%d records over MaxRecords", len(recs))
	}
	for _, r := range recs {
		if err := r.Ad.Validate(); err != nil {
			t.Fatalf("invalid ad accepted: %v", err)
		}
		if r.Source == "" || !strings.HasPrefix(r.Source, name+":") {
			t.Fatalf("source %q", r.Source)
		}
		for _, f := range []string{r.Ad.Title, r.Ad.Body, r.Ad.Salary, r.Ad.Location} {
			if !utf8.ValidString(f) {
				t.Fatalf("invalid UTF-8 in %q", f)
			}
		}
	}
}

func FuzzLoadJSONL(f *testing.F) {
	addSeeds(f, "*.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, data, "f.jsonl", FormatJSONL) })
}

func FuzzLoadDIFrauD(f *testing.F) {
	addSeeds(f, "difraud.jsonl", "lure.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, data, "f.jsonl", FormatDIFrauD) })
}

func FuzzLoadEMSCAD(f *testing.F) {
	addSeeds(f, "emscad*.csv", "bad_fraudulent.csv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, data, "f.csv", FormatEMSCAD) })
}

func FuzzLoadRuJobs(f *testing.F) {
	addSeeds(f, "hh_*.csv", "superjob.csv", "cp1252.csv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, data, "f.csv", FormatRuJobs) })
}

func FuzzDetectAndLoad(f *testing.F) {
	addSeeds(f, "*.jsonl", "*.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.jsonl", "f.csv"} {
			recs, err := Load(context.Background(), bytes.NewReader(data), name, LoadOptions{MaxRecordBytes: 4 << 10, MaxRecords: 64})
			if err == nil && len(recs) > 64 {
				t.Fatalf("%d records", len(recs))
			}
		}
	})
}

// FuzzCP1252Fallback checks that the decoder always yields valid UTF-8 and
// leaves valid UTF-8 unchanged.
func FuzzCP1252Fallback(f *testing.F) {
	f.Add([]byte("plain ascii"))
	f.Add([]byte("Caf\xe9 \x96 na\xefve"))
	f.Add([]byte("Привет, мир \xe2\x82"))
	f.Add([]byte("\xef\xbf\xbd ok"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := transform.Bytes(cp1252Fallback{}, data)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", data, out)
		}
		if utf8.Valid(data) && !bytes.Equal(out, data) {
			t.Fatalf("valid UTF-8 changed: %q → %q", data, out)
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<p>a &amp; b</p><ul><li>x</li></ul>", "plain", "<b", "&#x110000;", "<script>x</script>y", "a\n\n  b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := htmlText(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if strings.Contains(out, "\n\n") || strings.HasPrefix(out, " ") {
			t.Fatalf("not collapsed: %q", out)
		}
		if c := clip(out, 7); len(c) > 7 || !utf8.ValidString(c) && utf8.ValidString(out) {
			t.Fatalf("clip: %q", c)
		}
	})
}
