package crawler

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lurewatch/lure/ad"
)

func TestDefaultProfiles(t *testing.T) {
	ps, err := DefaultProfiles()
	if err != nil {
		t.Fatal(err)
	}
	var rabota *Profile
	for i := range ps {
		if ps[i].Site == "rabota-md" {
			rabota = &ps[i]
		}
	}
	if rabota == nil {
		t.Fatalf("no rabota-md profile among %d", len(ps))
	}
	if rabota.Kind != ad.KindJob || rabota.BaseURL != "http://127.0.0.1:8090" || rabota.Source != "rabota-md.yaml" {
		t.Errorf("rabota-md profile: %+v", rabota)
	}
}

// TestDefaultProfilesAddressNotices checks that every bundled profile
// names its platform and where notices go, at example domains only.
func TestDefaultProfilesAddressNotices(t *testing.T) {
	ps, err := DefaultProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.PlatformName == "" || p.NoticeContact == "" {
			t.Errorf("%s: platform_name %q, notice_contact %q: want both", p.Site, p.PlatformName, p.NoticeContact)
		}
		if !strings.Contains(p.NoticeContact, ".example") {
			t.Errorf("%s: notice_contact %q is not at an example domain", p.Site, p.NoticeContact)
		}
	}
}

func TestValidNoticeContact(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"abuse@rabota.example", true},
		{"https://rabota.example/report", true},
		{"http://rabota.example/report?lang=en", true},
		{"Moderators <abuse@rabota.example>", false},
		{"mailto:abuse@rabota.example", false},
		{"abuse@", false},
		{"rabota.example/report", false},
		{"https://", false},
		{"https://user:pw@rabota.example/", false},
		{"javascript:alert(1)", false},
		{" abuse@rabota.example", false},
		{"write to us", false},
	} {
		if got := validNoticeContact(c.in); got != c.ok {
			t.Errorf("validNoticeContact(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
}

func TestLoadGoodProfile(t *testing.T) {
	f, err := os.Open("testdata/profiles/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := LoadProfile(f, "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{
		Site: "example-md", Name: "Example board", Kind: ad.KindMarriage, Lang: "ro", Country: "MD",
		BaseURL:   "https://example.md",
		StartURLs: []string{"/anunturi/", "https://example.md/anunturi/?page=2"},
		List:      ListSpec{Item: "div.listing", Link: "a.title"},
		Fields: FieldSpecs{Title: Selector{CSS: "h1"}, Body: Selector{CSS: "div.description"},
			Posted: Selector{CSS: "span.date"}},
		Delay: 2 * time.Second, Parallelism: 1, MaxPages: 5, Recrawl: 6 * time.Hour, RecheckMax: 50,
		UserAgent: "lure-test/1.0", Source: "good.yaml",
		PlatformName: "Example Board", NoticeContact: "https://example.md/report-illegal-content",
	}
	if p.Site != want.Site || p.Name != want.Name || p.Kind != want.Kind || p.Lang != want.Lang ||
		p.Country != want.Country || p.BaseURL != want.BaseURL || strings.Join(p.StartURLs, " ") != strings.Join(want.StartURLs, " ") ||
		p.List != want.List || p.Fields != want.Fields || p.Delay != want.Delay || p.Parallelism != want.Parallelism ||
		p.MaxPages != want.MaxPages || p.MaxDepth != 0 || p.RecheckMax != want.RecheckMax || p.Recrawl != want.Recrawl || p.UserAgent != want.UserAgent || p.Source != want.Source ||
		p.PlatformName != want.PlatformName || p.NoticeContact != want.NoticeContact {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
	d := p.withDefaults()
	if d.MaxPages != 5 || d.Parallelism != 1 || d.RecheckMax != 50 {
		t.Errorf("withDefaults changed set values: %+v", d)
	}
	if d := (Profile{}).withDefaults(); d.MaxPages != DefaultMaxPages || d.Parallelism != DefaultParallelism || d.Recrawl != DefaultRecrawl ||
		d.RecheckMax != DefaultRecheckMax {
		t.Errorf("withDefaults on zero profile: %+v", d)
	}
}

func TestLoadBadProfiles(t *testing.T) {
	cases := []struct {
		file string
		want []string // each must appear in the error
	}{
		{"unknown-field.yaml", []string{"unknown-field.yaml:3:", "sitee"}},
		{"unknown-nested-field.yaml", []string{"unknown-nested-field.yaml:12:", "selector"}},
		{"missing-title.yaml", []string{"missing-title.yaml:10:", "fields.title.css", "required"}},
		{"bad-selector.yaml", []string{"bad-selector.yaml:8:", "list.item", "bad CSS selector"}},
		{"bad-kind.yaml", []string{"bad-kind.yaml:3:", "kind", `"jobs"`}},
		{"bad-base-url.yaml", []string{"bad-base-url.yaml:4:", "base_url", "http or https"}},
		{"foreign-start-url.yaml", []string{"foreign-start-url.yaml:7:", "start_urls[1]", "not on host bad.example"}},
		{"bad-delay.yaml", []string{"bad-delay.yaml:15:", "fast"}},
		{"negative-parallelism.yaml", []string{"negative-parallelism.yaml:15:", "parallelism"}},
		{"two-documents.yaml", []string{"two-documents.yaml:", "more than one YAML document"}},
		{"bad-site-id.yaml", []string{"bad-site-id.yaml:1:", "site", "lowercase"}},
		{"no-start-urls.yaml", []string{"no-start-urls.yaml:1:", "start_urls", "at least one"}},
		{"attr-without-css.yaml", []string{"attr-without-css.yaml:16:", "fields.salary.attr", "needs css"}},
		{"empty.yaml", []string{"empty.yaml", "empty"}},
		{"bad-type.yaml", []string{"bad-type.yaml:15:", "type", "html, telegram, sitemap or feed"}},
		{"bad-country-lang.yaml", []string{"bad-country-lang.yaml:15:", "country", "ISO 3166", "bad-country-lang.yaml:16:", "lang"}},
		{"bad-charset.yaml", []string{"bad-charset.yaml:15:", "unknown charset"}},
		{"domain-not-allowed.yaml", []string{"domain-not-allowed.yaml:17:", "domains.other.example", "allowed_domains"}},
		{"telegram-with-list.yaml", []string{"telegram-with-list.yaml:8:", "not used by type telegram"}},
		{"bad-recheck-max.yaml", []string{"bad-recheck-max.yaml:15:", "recheck_max", "-1 (off)"}},
		{"bad-genre.yaml", []string{"bad-genre.yaml:15:", "genre", `"blog"`, "news or ngo"}},
		{"bad-notice-contact.yaml", []string{"bad-notice-contact.yaml:16:", "notice_contact", `"write to the moderators"`, "e-mail address or an http(s) URL"}},
		{"bad-notice-form-url.yaml", []string{"bad-notice-form-url.yaml:15:", "notice_contact", "e-mail address or an http(s) URL"}},
		{"bad-platform-name.yaml", []string{"bad-platform-name.yaml:15:", "platform_name", "one line"}},
		{"sitemap-with-start-urls.yaml", []string{"sitemap-with-start-urls.yaml:7:", "start_urls", "not used by type sitemap"}},
		{"feed-without-feeds.yaml", []string{"feed-without-feeds.yaml:", "feeds", "at least one feed URL"}},
		{"bad-include.yaml", []string{"bad-include.yaml:11:", "include[1]", "must start with /", "bad-include.yaml:12:", "include[2]", "bad regular expression"}},
		{"foreign-sitemap.yaml", []string{"foreign-sitemap.yaml:8:", "sitemaps[0]", "not on host bad.example"}},
	}
	entries, err := os.ReadDir("testdata/profiles/bad")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(cases) {
		t.Errorf("%d files in testdata/profiles/bad, %d cases: give every file a case", len(entries), len(cases))
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata/profiles/bad", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = LoadProfile(f, c.file)
			if err == nil {
				t.Fatal("loaded without error")
			}
			if !strings.HasPrefix(err.Error(), "crawler: profile ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateFieldErrors(t *testing.T) {
	p := Profile{Site: "x", Kind: "bogus", BaseURL: "https://x.example", StartURLs: []string{"/"},
		List: ListSpec{Item: "li", Link: "a"}, Fields: FieldSpecs{Title: Selector{CSS: "h1"}}}
	err := p.Validate()
	var fields []string
	for _, e := range unjoin(err) {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%v is not a *FieldError", e)
		}
		fields = append(fields, fe.Field)
	}
	if got := strings.Join(fields, ","); got != "kind,fields.body.css" {
		t.Errorf("fields with errors: %s", got)
	}
	// BaseURL can be changed after loading; Validate checks the new value.
	p.Kind, p.Fields.Body.CSS = ad.KindJob, "div"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	p.BaseURL = "127.0.0.1:8090"
	if err := p.Validate(); err == nil {
		t.Error("accepted a base URL without scheme")
	}
}

func TestLoadProfilesDuplicateSite(t *testing.T) {
	good, err := os.ReadFile("testdata/profiles/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"a.yaml":    {Data: good},
		"b.yaml":    {Data: good},
		"notes.txt": {Data: []byte("ignored")},
	}
	_, err = LoadProfiles(fsys)
	if err == nil || !strings.Contains(err.Error(), "b.yaml") || !strings.Contains(err.Error(), "already defined in a.yaml") {
		t.Fatalf("got %v, want a duplicate-site error naming both files", err)
	}
	delete(fsys, "b.yaml")
	ps, err := LoadProfiles(fsys)
	if err != nil || len(ps) != 1 {
		t.Fatalf("got %d profiles, %v", len(ps), err)
	}
}

func TestLoadProfileTooLarge(t *testing.T) {
	big := strings.NewReader("# " + strings.Repeat("x", MaxProfileBytes) + "\n")
	if _, err := LoadProfile(big, "big.yaml"); err == nil || !strings.Contains(err.Error(), "big.yaml") {
		t.Fatalf("got %v", err)
	}
}

func TestProfileHosts(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Profile
		want []string
	}{
		{"base and allowed", Profile{BaseURL: "https://WWW.Doska.example:8443/ua/", AllowedDomains: []string{"img.doska-cdn.example", "www.doska.example"}},
			[]string{"www.doska.example", "img.doska-cdn.example"}},
		{"no host", Profile{BaseURL: "/relative"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Hosts(); !slices.Equal(got, tc.want) {
				t.Errorf("Hosts() = %q, want %q", got, tc.want)
			}
		})
	}
}
