package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/demo"
)

func TestSitesLint(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"embedded", []string{"sites", "lint"}, 0, []string{"ok  embedded:rabota-md.yaml: rabota-md (html, job", "tg-kordon (telegram"}},
		{"good file", []string{"sites", "lint", "../../crawler/testdata/profiles/good.yaml"}, 0, []string{"ok  ../../crawler/testdata/profiles/good.yaml: example-md", "recheck_max 50)"}},
		{"bad recheck_max", []string{"sites", "lint", "../../crawler/testdata/profiles/bad/bad-recheck-max.yaml"}, 1, []string{"bad-recheck-max.yaml:15: recheck_max:"}},
		{"bad file", []string{"sites", "lint", "../../crawler/testdata/profiles/bad/bad-kind.yaml"}, 1, []string{"bad-kind.yaml:3: kind:"}},
		{"bad dir", []string{"sites", "lint", "../../crawler/testdata/profiles/bad"}, 1, []string{"unknown-field.yaml:", "missing-title.yaml:"}},
		{"no args to try", []string{"sites", "try"}, 2, nil},
		{"unknown", []string{"sites", "frobnicate"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, strings.NewReader(""), &out, &errOut); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// demoProfile writes the embedded profile of site, pointed at base, to a
// file and returns its path.
func demoProfile(t *testing.T, site, base string) string {
	t.Helper()
	b, err := crawler.SitesFS.ReadFile("sites/" + site + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("http://127.0.0.1:8090"), []byte(base))
	path := filepath.Join(t.TempDir(), site+".yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSitesTry(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tests := []struct {
		name, site, path string
		code             int
		want             []string
	}{
		{"list page", "doska-ua", demo.CategoryPath("doska-ua", "robota-kordon", 1), 0,
			[]string{"list.item", "10 matched", "10 links", "/doska-ua/ad/", "?page=2", "not an ad page"}},
		{"ad page in windows-1251", "doska-ua", demo.AdPath("doska-ua", "hostes-turechchyna"), 0,
			[]string{`"Хостес у нічний клуб, Туреччина — дівчата 18-24"`, "fields.salary", `"від 2500 євро"`, "0 matched", "ad  ok: id ", "lang uk"}},
		{"missing title", "svaha-intl", demo.ProfilePath("svaha-intl", "svaha-missing-title"), 0,
			[]string{"fields.title", "(no match)", "missing required field: title"}},
		{"channel", "tg-kordon", demo.ChannelPath("tg-kordon", "kordon_rabota", 0), 0,
			[]string{"posts", "/tg-kordon/kordon_rabota/", "older posts", "before="}},
		{"server error", "doska-ua", demo.AdPath("doska-ua", "kasyr-supermarket-500"), 1, []string{"status 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"sites", "try", demoProfile(t, tt.site, srv.URL()), srv.URL() + tt.path}
			code := run(args, strings.NewReader(""), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errOut.String())
			}
			all := out.String() + errOut.String()
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
	// A URL off the profile's hosts is refused with advice.
	var out, errOut bytes.Buffer
	if code := run([]string{"sites", "try", "rabota-md", "http://example.invalid/x"}, strings.NewReader(""), &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "allowed_domains") {
		t.Errorf("off-host try: exit %d: %s", code, errOut.String())
	}
}

func TestSitesAdd(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "sites")
	add := func(url string, extra ...string) (int, string) {
		var out, errOut bytes.Buffer
		args := append([]string{"sites", "add", "-out", dir, "-delay", "1ms"}, extra...)
		code := run(append(args, url), strings.NewReader(""), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	code, out := add(srv.URL() + "/vakansii-kz/")
	if code != 0 {
		t.Fatalf("sites add: exit %d\n%s", code, out)
	}
	for _, w := range []string{"robots.txt  found, names 1 sitemaps", "sitemap index, 3 entries", "ad pages    8 of 11 URLs match /vakansii-kz/vacancy/*",
		"json-ld; types JobPosting", "salary", "KZT per month", "profile  wrote " + filepath.Join(dir, "vakansii-kz.yaml")} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "+7 7") {
		t.Errorf("output shows a contact unmasked:\n%s", out)
	}
	// The same site again: the profile is not overwritten without -force.
	if code, out := add(srv.URL() + "/vakansii-kz/"); code == 0 || !strings.Contains(out, "exists; pass -force") {
		t.Errorf("second add: exit %d\n%s", code, out)
	}
	if code, out := add(srv.URL()+"/bazar-kg/", "-kind", "job"); code != 0 || !strings.Contains(out, "rss, 8 entries") {
		t.Errorf("feed site: exit %d\n%s", code, out)
	}
	var lint bytes.Buffer
	if code := run([]string{"sites", "lint", dir}, strings.NewReader(""), &lint, &lint); code != 0 ||
		!strings.Contains(lint.String(), "vakansii-kz (sitemap, job, 1 sitemaps") || !strings.Contains(lint.String(), "bazar-kg (feed, job, 1 feeds") {
		t.Errorf("lint of the written profiles: exit %d\n%s", code, lint.String())
	}
	// A site that publishes no sitemap or feed: a clear reason, exit 1.
	if code, out := add(srv.URL() + "/svaha-intl/"); code != 1 || !strings.Contains(out, "no usable sitemap or feed") {
		t.Errorf("site without sitemaps or feeds: exit %d\n%s", code, out)
	}
}
