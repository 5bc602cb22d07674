package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/lurewatch/lure/ad"
)

func readFeedFile(t *testing.T, name string) ([]FeedItem, string, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "feed", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []FeedItem
	format, err := ReadFeed(f, func(it FeedItem) error {
		got = append(got, it)
		return nil
	})
	return got, format, err
}

func TestReadFeed(t *testing.T) {
	rss2 := []FeedItem{
		{
			Link:      "https://jobs.example/vacancy/101",
			GUID:      "vac-101",
			Title:     "Waitress in Antalya & Istanbul",
			Summary:   "High salary, free housing.\nVisa help & tickets",
			Published: xmlTestTime("2026-12-01T06:30:00Z"),
		},
		{
			Link:      "https://jobs.example/vacancy/102",
			GUID:      "https://jobs.example/vacancy/102",
			Title:     "Model for a photo shoot",
			Summary:   "No experience needed.\nAge 18-25.",
			Published: xmlTestTime("2026-12-02T10:00:00Z"),
		},
		{
			GUID:      "https://jobs.example/vacancy/103",
			Title:     "Nanny",
			Summary:   "Family in Dubai. Contact on WhatsApp.",
			Published: xmlTestTime("2026-12-03T05:00:00Z"),
		},
		{
			Link:      "https://jobs.example/vacancy/104",
			Title:     "Driver",
			Published: xmlTestTime("2026-12-04T12:00:00Z"),
		},
		{
			Link:      "https://jobs.example/vacancy/105",
			Title:     "Cook",
			Published: xmlTestTime("2026-12-05T04:59:59Z"),
		},
	}
	tests := []struct {
		file   string
		format string
		want   []FeedItem
		err    error
	}{
		{file: "rss2.xml", format: "rss", want: rss2},
		{file: "rss2-gzipped.xml", format: "rss", want: rss2},
		{file: "rss1.rdf", format: "rss", want: []FeedItem{
			{
				Link:      "https://agency.example/news/1",
				Title:     "Meet foreign grooms",
				Summary:   "Tours to meet men from abroad.",
				Published: xmlTestTime("2026-11-30T15:00:00Z"),
			},
			{Link: "https://agency.example/news/2", Title: "New profiles"},
		}},
		{file: "atom.xml", format: "atom", want: []FeedItem{
			{
				Link:      "https://agency.example/offers/1",
				GUID:      "tag:agency.example,2026:1",
				Title:     "Work in Europe",
				Summary:   "Salary 3000 €\nPassport kept by employer",
				Published: xmlTestTime("2026-11-29T08:00:00Z"),
				Updated:   xmlTestTime("2026-11-30T11:00:00Z"),
			},
			{
				Link:    "https://cdn.agency.example/base/two",
				GUID:    "tag:agency.example,2026:2",
				Title:   "Second",
				Summary: "First paragraph.\nSecond & last.",
				Updated: xmlTestTime("2026-12-01T00:00:00Z"),
			},
			{
				Link:    "https://agency.example/three",
				GUID:    "tag:agency.example,2026:3",
				Title:   "Third",
				Summary: "Plain <text> stays",
			},
		}},
		{file: "cp1251.xml", format: "rss", want: []FeedItem{{
			Link:      "https://rabota.example/v/1",
			Title:     "Требуются девушки в Турцию",
			Summary:   "Зарплата от 2000$, жильё бесплатно",
			Published: xmlTestTime("2026-11-30T09:00:00Z"),
		}}},
		{file: "koi8r.xml", format: "atom", want: []FeedItem{{
			Link:      "https://znakomstva.example/m/1",
			GUID:      "urn:koi8:1",
			Title:     "Анкета Марины",
			Summary:   "Ищу мужа за рубежом",
			Published: xmlTestTime("2026-11-28T09:00:00Z"),
		}}},
		{file: "utf16.xml", format: "atom", want: []FeedItem{{GUID: "u16", Title: "utf16"}}},
		{file: "malformed.xml", format: "rss", err: ErrBadFeed, want: []FeedItem{
			{Link: "https://jobs.example/1", Title: "One"},
			{Link: "https://jobs.example/2", Title: "Two"},
		}},
		{file: "truncated.xml", format: "atom", err: ErrBadFeed, want: []FeedItem{{GUID: "1", Title: "One"}}},
		{file: "wrongroot.html", err: ErrBadFeed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, format, err := readFeedFile(t, tt.file)
			if tt.err == nil && err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want one wrapping %v", err, tt.err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "crawler: feed: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if format != tt.format {
				t.Errorf("format %q, want %q", format, tt.format)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d items, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range min(len(got), len(tt.want)) {
				if !reflect.DeepEqual(got[i], tt.want[i]) {
					t.Errorf("item %d\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadFeedFnError(t *testing.T) {
	stop := errors.New("stop")
	f, err := os.Open("testdata/feed/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	format, err := ReadFeed(f, func(FeedItem) error { n++; return stop })
	if err != stop || n != 1 || format != "atom" {
		t.Errorf("ReadFeed = %q, %v after %d items; want the callback's error as is after 1", format, err, n)
	}
}

func TestReadFeedLimits(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<rss><channel>`)
	for i := range MaxFeedItems + 1 {
		fmt.Fprintf(&b, "<item><link>https://jobs.example/%d</link></item>", i)
	}
	b.WriteString(`</channel></rss>`)
	n := 0
	_, err := ReadFeed(bytes.NewReader(xmlGzip(t, b.Bytes())), func(FeedItem) error { n++; return nil })
	if !errors.Is(err, ErrBadFeed) || !errors.Is(err, errXMLTooMany) || n != MaxFeedItems {
		t.Errorf("%d items, %v; want too many after %d", n, err, MaxFeedItems)
	}

	// A gzip bomb: a few kilobytes that inflate past MaxFeedBytes.
	b.Reset()
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id></entry>`)
	pad := "<x>" + strings.Repeat(" ", 1<<20) + "</x>"
	for b.Len() <= MaxFeedBytes {
		b.WriteString(pad)
	}
	b.WriteString(`<entry><id>2</id></entry></feed>`)
	bomb := xmlGzip(t, b.Bytes())
	var ids []string
	_, err = ReadFeed(bytes.NewReader(bomb), func(it FeedItem) error { ids = append(ids, it.GUID); return nil })
	if !errors.Is(err, ErrBadFeed) || !errors.Is(err, errXMLTooLarge) || !reflect.DeepEqual(ids, []string{"1"}) {
		t.Errorf("bomb of %d bytes: %v, %v; want too large after the first", len(bomb), ids, err)
	}

	// Huge fields are cut, not fatal.
	big := strings.Repeat("очень длинное описание ", 40000) // ~ 1 MB
	doc := `<rss><channel><item><title>` + big + `</title><description>` + big +
		`</description><link>https://jobs.example/` + strings.Repeat("l", 3000) + `</link><guid>` + big + `</guid></item></channel></rss>`
	var items []FeedItem
	if _, err := ReadFeed(strings.NewReader(doc), func(it FeedItem) error { items = append(items, it); return nil }); err != nil || len(items) != 1 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	it := items[0]
	if len(it.Title) > ad.MaxFieldBytes || len(it.Summary) > ad.MaxFieldBytes || len(it.Summary) < ad.MaxFieldBytes-64 ||
		len(it.GUID) > MaxSitemapLocBytes || it.Link != "" || !utf8.ValidString(it.Summary) || !utf8.ValidString(it.GUID) {
		t.Errorf("title %d, summary %d, guid %d bytes, link %q", len(it.Title), len(it.Summary), len(it.GUID), it.Link)
	}
}

func TestParseRFC822Time(t *testing.T) {
	tests := map[string]string{
		"Mon, 02 Jan 2006 15:04:05 -0700":   "2006-01-02T22:04:05Z",
		"Mon, 2 Jan 2006 15:04:05 GMT":      "2006-01-02T15:04:05Z",
		"Mon,  2 Jan 2006 15:04 +03:00":     "2006-01-02T12:04:00Z",
		"2 Jan 2006 15:04:05 EST":           "2006-01-02T20:04:05Z",
		"Monday, 02 January 2006 15:04 UT":  "2006-01-02T15:04:00Z",
		"02 Jan 06 15:04 MSK":               "2006-01-02T12:04:00Z",
		"Пт, 02 Jan 2006 15:04:05 +0300":    "2006-01-02T12:04:05Z",
		"Mon, 02 Jan 2006 15:04:05":         "2006-01-02T15:04:05Z",
		"2006-01-02T15:04:05+02:00":         "2006-01-02T13:04:05Z",
		"Mon, 02 Jan 2006 15:04:05 +0000 x": "",
		"":                                  "",
		"soon":                              "",
		"Mon, 32 Jan 2006 15:04:05 GMT":     "",
	}
	for in, want := range tests {
		var w time.Time
		if want != "" {
			w = xmlTestTime(want)
		}
		if got := parseRFC822Time(in); !got.Equal(w) {
			t.Errorf("parseRFC822Time(%q) = %v, want %v", in, got, w)
		}
	}
}

func TestFeedHTMLText(t *testing.T) {
	tests := map[string]string{
		"<p>One</p><p>Two &amp; three</p>":               "One\nTwo & three",
		"a<br>b<br/>c":                                   "a\nb\nc",
		"<style>p{}</style>x<script>alert(1)</script>y":  "xy",
		"Salary <1000$ &euro; &#1088;":                   "Salary <1000$ € р",
		"<div>unclosed <b>bold":                          "unclosed bold",
		"</script>stray end<noscript>hidden</noscript>!": "stray end!",
	}
	for in, want := range tests {
		if got := feedText(in, true); got != want {
			t.Errorf("feedText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFeedLinks(t *testing.T) {
	page := `<!DOCTYPE html><html><head>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="Alternate Feed" type="application/atom+xml; charset=utf-8" href="https://agency.example/atom">
<link rel="alternate" type="application/rss+xml" href="rss.xml#dup">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="text/html" href="/en/">
<link rel="stylesheet" type="application/rss+xml" href="/style.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="">
</head><body>
<link rel="alternate" type="application/rss+xml" href="/in-body.xml">
</body></html>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	got := FeedLinks(doc, "https://jobs.example/section/page.html")
	want := []string{"https://jobs.example/rss.xml", "https://agency.example/atom", "https://jobs.example/section/rss.xml#dup"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FeedLinks\n got %q\nwant %q", got, want)
	}

	based, _ := goquery.NewDocumentFromReader(strings.NewReader(
		`<head><base href="https://cdn.example/feeds/"><link rel=alternate type=application/atom+xml href=a.xml></head>`))
	if got := FeedLinks(based, "https://jobs.example/"); !reflect.DeepEqual(got, []string{"https://cdn.example/feeds/a.xml"}) {
		t.Errorf("with <base>: %q", got)
	}
	if got := FeedLinks(based, "::bad"); !reflect.DeepEqual(got, []string{"https://cdn.example/feeds/a.xml"}) {
		t.Errorf("with <base> and a bad page URL: %q", got)
	}
}

// FuzzReadFeed feeds arbitrary bytes to ReadFeed: it must not panic, must
// deliver at most MaxFeedItems items with bounded, valid UTF-8 fields,
// and must fail only with ErrBadFeed.
func FuzzReadFeed(f *testing.F) {
	xmlFuzzSeeds(f, "feed")
	f.Add([]byte(`<rss><channel><item><title>a &amp;lt;b&gt;</title><link>https://a.example/</link><pubDate>Mon, 2 Jan 2006 15:04 MSK</pubDate></item></channel></rss>`))
	f.Add([]byte(`<feed xml:base="https://a.example/d/"><entry xml:base="e/"><link href="../x"/><content type="xhtml"><div><p>x</p></div></content></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		format, err := ReadFeed(bytes.NewReader(data), func(it FeedItem) error {
			n++
			for name, v := range map[string]string{"link": it.Link, "guid": it.GUID, "title": it.Title, "summary": it.Summary} {
				if !utf8.ValidString(v) {
					t.Fatalf("%s %q is not valid UTF-8", name, v)
				}
			}
			if len(it.Link) > MaxSitemapLocBytes || len(it.GUID) > MaxSitemapLocBytes ||
				len(it.Title) > ad.MaxFieldBytes || len(it.Summary) > ad.MaxFieldBytes {
				t.Fatalf("oversized item: link %d, guid %d, title %d, summary %d bytes",
					len(it.Link), len(it.GUID), len(it.Title), len(it.Summary))
			}
			return nil
		})
		if n > MaxFeedItems {
			t.Fatalf("%d items", n)
		}
		if err != nil && !errors.Is(err, ErrBadFeed) {
			t.Fatalf("error %v does not wrap ErrBadFeed", err)
		}
		if err == nil && format != "rss" && format != "atom" {
			t.Fatalf("format %q without an error", format)
		}
	})
}
