package crawler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/internal/golden"
)

func rabotaProfile(t testing.TB) Profile {
	t.Helper()
	ps, err := DefaultProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Site == "rabota-md" {
			return p
		}
	}
	t.Fatal("no rabota-md profile")
	return Profile{}
}

func TestExtract(t *testing.T) {
	p := rabotaProfile(t)
	now := time.Date(2025, 11, 22, 10, 0, 0, 0, time.UTC)
	// Each extracted ad is compared, field for field, with
	// testdata/golden/<file without .html>.json; Crawled, the fetch time,
	// is left out of the file and checked against now below.
	cases := []struct {
		file    string
		url     string
		wantErr error
	}{
		{file: "demo-hostess-turkey.html", url: "http://127.0.0.1:8090/rabota-md/ad/hostess-turkey"},
		{file: "demo-accountant-chisinau.html", url: "http://127.0.0.1:8090/rabota-md/ad/accountant-chisinau#top"},
		{file: "messy.html", url: "http://127.0.0.1:8090/rabota-md/ad/messy"},
		{file: "no-datetime.html", url: "http://127.0.0.1:8090/rabota-md/ad/bucatar"},
		{file: "cp1251.html", url: "http://127.0.0.1:8090/rabota-md/ad/cp1251"},
		{file: "missing-title.html", url: "http://127.0.0.1:8090/rabota-md/ad/gone", wantErr: ErrMissingField},
		{file: "blank-body.html", url: "http://127.0.0.1:8090/rabota-md/ad/blank", wantErr: ErrMissingField},
		{file: "demo-list-page-1.html", url: "http://127.0.0.1:8090/rabota-md/", wantErr: ErrMissingField},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata/extract", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			a, err := p.Extract(c.url, f, now)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("got %v, want %v", err, c.wantErr)
				}
				if !strings.Contains(err.Error(), c.url) {
					t.Errorf("error %q does not name the page", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			canon, _ := ad.CanonicalURL(c.url)
			id, _ := ad.MakeID("rabota-md", c.url)
			if a.V != ad.Version || a.ID != id || a.URL != canon || a.Site != "rabota-md" || a.Kind != ad.KindJob || !a.Crawled.Equal(now) {
				t.Errorf("identity: %+v", a)
			}
			if a.ContentHash == "" || a.ContentHash != a.Hash() {
				t.Errorf("content hash %q", a.ContentHash)
			}
			g := a
			g.Crawled = time.Time{}
			golden.Check(t, "golden/"+strings.TrimSuffix(c.file, ".html")+".json", adJSON(t, g))
		})
	}
}

// adJSON renders an ad as indented JSON in the field order of ad.Ad, with
// invisible format characters (such as a zero-width space) written as
// \u escapes so that a golden file shows them.
func adJSON(t *testing.T, a ad.Ad) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, r := range buf.String() {
		if unicode.Is(unicode.Cf, r) && r <= 0xffff {
			fmt.Fprintf(&out, "\\u%04x", r)
			continue
		}
		out.WriteRune(r)
	}
	return []byte(out.String())
}

func TestCleanTextTruncates(t *testing.T) {
	long := strings.Repeat("ж", ad.MaxFieldBytes) // 2 bytes each
	got := cleanText(long + "\xff")
	if len(got) > ad.MaxFieldBytes || !utf8.ValidString(got) {
		t.Errorf("len %d, valid %v", len(got), utf8.ValidString(got))
	}
	if got := cleanText("a\xffb"); got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8 became %q", got)
	}
}

func TestParsePosted(t *testing.T) {
	cases := map[string]time.Time{
		"2025-11-21T09:15:00+02:00": time.Date(2025, 11, 21, 7, 15, 0, 0, time.UTC),
		"2025-11-21":                time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC),
		"21.11.2025":                time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC),
		" 21.11.2025 14:30 ":        time.Date(2025, 11, 21, 14, 30, 0, 0, time.UTC),
		"вчера":                     {},
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			got, ok := parsePosted(in)
			if !got.Equal(want) || ok == want.IsZero() {
				t.Errorf("got %v %v, want %v", got, ok, want)
			}
		})
	}
}

// FuzzExtract feeds arbitrary HTML to the extractor: it must not panic, and
// whatever it returns must be clean, bounded, valid UTF-8.
func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob("testdata/extract/*.html")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<article class=ad-view><h1 class=ad-title>\xff\xfe</h1><div class=ad-text>" + strings.Repeat("<div>", 5000) + "x"))
	p := rabotaProfile(f)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := p.Extract("http://127.0.0.1:8090/rabota-md/ad/fuzz", bytes.NewReader(page), now)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "crawler: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if a.Title == "" || a.Body == "" {
			t.Fatal("empty required field without error")
		}
		for _, name := range ad.Fields {
			v := a.Field(name)
			switch {
			case !utf8.ValidString(v):
				t.Errorf("%s: invalid UTF-8", name)
			case len(v) > ad.MaxFieldBytes:
				t.Errorf("%s: %d bytes", name, len(v))
			case v != strings.TrimSpace(v):
				t.Errorf("%s: untrimmed %q", name, v)
			case strings.Contains(v, "  ") || strings.Contains(v, "\n\n") || strings.Contains(v, "\t"):
				t.Errorf("%s: uncollapsed white space in %q", name, v)
			}
		}
	})
}
