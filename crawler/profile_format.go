package crawler

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FormatProfile writes a sitemap or feed profile as commented YAML that
// LoadProfile reads back as p. header, if set, becomes comment lines at
// the top. Fields left zero are left out.
func FormatProfile(p Profile, header string) ([]byte, error) {
	var b bytes.Buffer
	for line := range strings.SplitSeq(strings.TrimSpace(header), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	put := func(comment, key string, v any) error {
		if comment != "" {
			fmt.Fprintf(&b, "# %s\n", comment)
		}
		out, err := yaml.Marshal(map[string]any{key: v})
		if err != nil {
			return fmt.Errorf("crawler: format profile: %s: %w", key, err)
		}
		b.Write(out)
		return nil
	}
	type item struct {
		comment, key string
		v            any
		set          bool
	}
	items := []item{
		{"", "site", p.Site, true},
		{"", "name", p.Name, p.Name != ""},
		{"Who takedown notices are addressed to; fill in from the platform's terms.", "platform_name", p.PlatformName, p.PlatformName != ""},
		{"", "notice_contact", p.NoticeContact, p.NoticeContact != ""},
		{"", "type", p.Type, p.Type != ""},
		{"", "kind", string(p.Kind), true},
		{"", "lang", p.Lang, p.Lang != ""},
		{"", "country", p.Country, p.Country != ""},
		{"", "base_url", p.BaseURL, true},
		{"", "start_urls", p.StartURLs, len(p.StartURLs) > 0},
		{"Read in full at every crawl; their <lastmod> dates decide which ad pages are fetched again.", "sitemaps", p.Sitemaps, len(p.Sitemaps) > 0},
		{"A feed shows only the latest ads: ads it no longer lists are rechecked at their own URLs.", "feeds", p.Feeds, len(p.Feeds) > 0},
		{"Ad pages among the URLs named (globs over the URL path, or re:<regexp>).", "include", p.Include, len(p.Include) > 0},
		{"", "exclude", p.Exclude, len(p.Exclude) > 0},
		{"Politeness towards the site: one request at a time, with this pause.", "delay", p.Delay.String(), p.Delay > 0},
		{"", "parallelism", p.Parallelism, p.Parallelism > 0},
		{"", "max_pages", p.MaxPages, p.MaxPages > 0},
		{"", "recrawl", p.Recrawl.String(), p.Recrawl > 0},
		{"", "timeout", p.Timeout.String(), p.Timeout > 0},
	}
	for _, it := range items {
		if !it.set {
			continue
		}
		if err := put(it.comment, it.key, it.v); err != nil {
			return nil, err
		}
	}
	if p.Fields != (FieldSpecs{}) {
		if err := put("Selectors that override the structured data, field by field.", "fields", p.Fields.yaml()); err != nil {
			return nil, err
		}
	} else {
		b.WriteString("# Fields are read from the pages' schema.org JobPosting (JSON-LD or microdata),\n" +
			"# OpenGraph tags and main text. A field that reads wrong can be given a CSS\n" +
			"# selector instead, e.g.:\n# fields:\n#   salary:\n#     css: .vacancy .salary\n")
	}
	return b.Bytes(), nil
}

// yaml returns the set selectors as a map for FormatProfile.
func (f FieldSpecs) yaml() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, n := range f.named() {
		if n.sel.CSS == "" {
			continue
		}
		m := map[string]string{"css": n.sel.CSS}
		if n.sel.Attr != "" {
			m["attr"] = n.sel.Attr
		}
		out[n.name] = m
	}
	return out
}
