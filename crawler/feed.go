package crawler

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// FeedItem is one RSS <item> or Atom <entry>.
type FeedItem struct {
	Link      string    // RSS <link> (or <guid isPermaLink="true"> when no link); Atom <link rel="alternate" or no rel> href, resolved against xml:base only if simple
	GUID      string    // RSS <guid>, Atom <id>
	Title     string    // plain text
	Summary   string    // plain text of RSS <description> / Atom <summary> or <content> (HTML stripped to text with golang.org/x/net/html, entities decoded), cut to ad.MaxFieldBytes
	Published time.Time // RSS <pubDate> (RFC 1123/822 with the common variants), Atom <published>; zero if absent/unparseable
	Updated   time.Time // Atom <updated>; RSS: zero
}

// Limits of one feed file.
const (
	MaxFeedItems = 50000
	MaxFeedBytes = 50 << 20
)

// ErrBadFeed is wrapped by every format or limit error of ReadFeed.
var ErrBadFeed = errors.New("bad feed")

// maxFeedTextRun bounds the bytes of a feed between two '<' (see
// maxSitemapTextRun). Escaped HTML content has no '<', so it is larger
// than the sitemap one; text past maxXMLText is dropped anyway.
const maxFeedTextRun = 8 << 20

// Atom namespaces.
const (
	atomNS   = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
)

// ReadFeed reads an RSS 2.0 (also RSS 0.9x and RSS 1.0/RDF items) or Atom
// feed from r (gzip detected by magic bytes), streaming, calling fn per
// item, and returns its format "rss" or "atom". An error from fn stops
// reading and is returned as is. More than MaxFeedItems items, more than
// MaxFeedBytes uncompressed, a text run of more than 8 MiB, a root element
// other than <rss>, <rdf:RDF> or <feed>, an undecodable charset or
// malformed XML give an error wrapping ErrBadFeed; items delivered before
// it stand. HTML entities (&nbsp;) are accepted, as feed readers do.
//
// Items are the <item> children of the root or of its <channel>, and the
// <entry> children of an Atom <feed>. Their fields are read from child
// elements in the item's own namespace (so <media:title> is not the
// title); only the first occurrence of each counts. Text fields keep at
// most 256 KiB of input before being cleaned; RSS titles and
// descriptions are taken as HTML (feeds escape markup in both), Atom text
// constructs by their type. The Atom link is the first with rel
// "alternate" or none and an HTML or no media type, else the first with
// that rel. A Link longer than MaxSitemapLocBytes is dropped, a GUID cut
// to it. A relative Atom href is resolved against
// the nearest absolute http(s) xml:base of the link, entry or feed, and is
// otherwise kept as written, for the caller to resolve against the feed's
// URL. An RSS <guid> is taken as the link when there is no <link>, it is
// an absolute http(s) URL and its isPermaLink is absent or "true" (the
// RSS 2.0 default).
func ReadFeed(r io.Reader, fn func(FeedItem) error) (format string, err error) {
	x, err := openXML(r, MaxFeedBytes, maxFeedTextRun)
	if err != nil {
		return "", x.fail("feed", ErrBadFeed, err)
	}
	defer x.close()
	x.d.Entity = xml.HTMLEntity
	root, err := x.root()
	if err != nil {
		return "", x.fail("feed", ErrBadFeed, err)
	}
	var entry string
	switch root.Name.Local {
	case "rss", "RDF":
		format, entry = "rss", "item"
	case "feed":
		format, entry = "atom", "entry"
	default:
		return "", fmt.Errorf("crawler: feed: %w: root element <%s> is not <rss>, <rdf:RDF> or <feed>",
			ErrBadFeed, truncate(root.Name.Local, 64))
	}
	feedBase := xmlBaseURL(nil, xmlBaseAttr(root.Attr))
	n := 0
	depth := 0 // 1 inside an RSS <channel>
	for {
		tok, err := x.d.Token()
		if err != nil {
			return format, x.fail("feed", ErrBadFeed, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if depth == 0 {
				return format, nil
			}
			depth--
		case xml.StartElement:
			if format == "rss" && depth == 0 && t.Name.Local == "channel" {
				depth++
				continue
			}
			if t.Name.Local != entry {
				if err := x.d.Skip(); err != nil {
					return format, x.fail("feed", ErrBadFeed, err)
				}
				continue
			}
			if n++; n > MaxFeedItems {
				return format, fmt.Errorf("crawler: feed: %w: %w: more than %d", ErrBadFeed, errXMLTooMany, MaxFeedItems)
			}
			e := feedEntryXML{base: feedBase}
			if err := x.d.DecodeElement(&e, &t); err != nil {
				return format, x.fail("feed", ErrBadFeed, err)
			}
			var it FeedItem
			if format == "rss" {
				it = e.rssItem()
			} else {
				it = e.atomItem()
			}
			if err := fn(it); err != nil {
				return format, err
			}
		}
	}
}

// feedEntryXML is one RSS <item> or Atom <entry>.
type feedEntryXML struct {
	base *url.URL // absolute xml:base in scope, or nil

	title, guid, description, encoded, summary, content xmlText
	pubDate, date, published, updated, issued, modified xmlText

	link    xmlText // first RSS <link> with text
	altLink xmlText // best Atom link: rel alternate or none, HTML preferred
}

// UnmarshalXML reads the fields of an item from its children in its own
// namespace, plus <content:encoded>, <dc:date> and <atom:link>.
func (e *feedEntryXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	e.base = xmlBaseURL(e.base, xmlBaseAttr(start.Attr))
	return xmlEachChild(d, func(c xml.StartElement) error {
		own := c.Name.Space == start.Name.Space
		var t *xmlText
		switch c.Name.Local {
		case "title":
			t = feedPick(own, &e.title)
		case "guid":
			t = feedPick(own, &e.guid)
		case "id":
			t = feedPick(own, &e.guid)
		case "description":
			t = feedPick(own, &e.description)
		case "summary":
			t = feedPick(own, &e.summary)
		case "content":
			t = feedPick(own, &e.content)
		case "pubDate":
			t = feedPick(own, &e.pubDate)
		case "published":
			t = feedPick(own, &e.published)
		case "updated":
			t = feedPick(own, &e.updated)
		case "issued":
			t = feedPick(own, &e.issued)
		case "modified":
			t = feedPick(own, &e.modified)
		case "encoded": // content:encoded, whatever its prefix
			t = feedPick(!own, &e.encoded)
		case "date": // dc:date
			t = feedPick(!own, &e.date)
		case "link":
			if own || c.Name.Space == atomNS || c.Name.Space == atom03NS {
				return e.readLink(d, c)
			}
		}
		if t == nil {
			return d.Skip()
		}
		return t.read(d, c)
	})
}

// feedPick returns t when ok, else nil.
func feedPick(ok bool, t *xmlText) *xmlText {
	if ok {
		return t
	}
	return nil
}

// readLink reads one <link>: an RSS link (text) or an Atom link (href).
func (e *feedEntryXML) readLink(d *xml.Decoder, start xml.StartElement) error {
	var l xmlText
	if err := l.read(d, start); err != nil {
		return err
	}
	if l.href == "" {
		if !e.link.set && strings.TrimSpace(l.text) != "" {
			e.link = l
		}
		return nil
	}
	if l.rel != "" && l.rel != "alternate" {
		return nil
	}
	if !e.altLink.set || (l.htmlType() && !e.altLink.htmlType()) {
		l.href = feedResolve(xmlBaseURL(e.base, l.base), l.href)
		e.altLink = l
	}
	return nil
}

// htmlType reports whether an Atom link has an HTML or no media type.
func (t *xmlText) htmlType() bool {
	return t.mime == "" || t.mime == "text/html" || t.mime == "application/xhtml+xml"
}

func (e *feedEntryXML) rssItem() FeedItem {
	it := FeedItem{
		Link:  feedURL(e.link.text),
		GUID:  feedID(e.guid.text),
		Title: feedText(e.title.text, true),
	}
	if it.Link == "" {
		it.Link = e.altLink.href
		if len(it.Link) > MaxSitemapLocBytes {
			it.Link = ""
		}
	}
	if it.Link == "" && (e.guid.perma == "" || e.guid.perma == "true") && isAbsHTTPURL(it.GUID) {
		it.Link = it.GUID
	}
	if e.description.set {
		it.Summary = feedText(e.description.text, true)
	}
	if it.Summary == "" && e.encoded.set {
		it.Summary = feedText(e.encoded.text, true)
	}
	if it.Published = parseRFC822Time(e.pubDate.text); it.Published.IsZero() {
		it.Published = parseW3CTime(e.date.text)
	}
	return it
}

func (e *feedEntryXML) atomItem() FeedItem {
	it := FeedItem{
		GUID:      feedID(e.guid.text),
		Title:     atomText(&e.title),
		Published: parseW3CTime(e.published.text),
		Updated:   parseW3CTime(e.updated.text),
	}
	if len(e.altLink.href) <= MaxSitemapLocBytes {
		it.Link = e.altLink.href
	}
	if it.Summary = atomText(&e.summary); it.Summary == "" {
		it.Summary = atomText(&e.content)
	}
	if it.Published.IsZero() {
		it.Published = parseW3CTime(e.issued.text)
	}
	if it.Updated.IsZero() {
		it.Updated = parseW3CTime(e.modified.text)
	}
	return it
}

// atomText is the plain text of an Atom text construct: type "html" (or
// an HTML media type) is HTML, "xhtml" and "text" are text already.
func atomText(t *xmlText) string {
	return feedText(t.text, t.typ != "xhtml" && strings.Contains(t.typ, "html"))
}

// feedText cleans the text of a field: HTML stripped to text when isHTML,
// white space collapsed, cut to ad.MaxFieldBytes.
func feedText(s string, isHTML bool) string {
	if isHTML && strings.ContainsAny(s, "<&") {
		s = feedHTMLText(s)
	}
	return cleanText(s)
}

// feedHTMLText returns the text of an HTML fragment, with a line break
// around block elements and without the content of script, style and
// the like. It tokenizes, building no tree, and stops after rawTextLimit
// bytes of text.
func feedHTMLText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for b.Len() < rawTextLimit {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.WriteString(strings.Map(newlineToSpace, truncate(string(z.Text()), rawTextLimit-b.Len())))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if skipped[string(name)] {
				skip++
			} else if blocks[string(name)] {
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipped[string(name)] {
				skip = max(0, skip-1)
			} else if blocks[string(name)] {
				b.WriteByte('\n')
			}
		case html.SelfClosingTagToken:
			if name, _ := z.TagName(); blocks[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// feedURL is a trimmed link, or "" when it is longer than
// MaxSitemapLocBytes.
func feedURL(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > MaxSitemapLocBytes {
		return ""
	}
	return s
}

// feedID is a trimmed, valid UTF-8 identifier cut to MaxSitemapLocBytes.
func feedID(s string) string {
	return truncate(strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD"), MaxSitemapLocBytes)
}

// xmlBaseAttr is the xml:base attribute among attrs, or "".
func xmlBaseAttr(attrs []xml.Attr) string {
	for _, a := range attrs {
		if a.Name.Local == "base" && (a.Name.Space == xmlNamespace || a.Name.Space == "xml") {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// xmlBaseURL is base when it is an absolute http(s) URL, else outer (the
// base in scope before it). Relative bases are not chained: only the
// simple case is resolved.
func xmlBaseURL(outer *url.URL, base string) *url.URL {
	if base == "" || len(base) > MaxSitemapLocBytes {
		return outer
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return outer
	}
	return u
}

// feedResolve resolves href against base when href is relative and base
// is known, and returns it as written otherwise.
func feedResolve(base *url.URL, href string) string {
	if base == nil || len(href) > MaxSitemapLocBytes {
		return href
	}
	ref, err := url.Parse(href)
	if err != nil || ref.IsAbs() {
		return href
	}
	return base.ResolveReference(ref).String()
}

// isAbsHTTPURL reports whether s is an absolute http(s) URL with a host.
func isAbsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// rfc822Layouts are the dates of RSS <pubDate> after the weekday is
// removed and the zone name made numeric: RFC 822 and 1123, with one- or
// two-digit days, two- or four-digit years, optional seconds, full month
// names and a zone with or without a colon.
var rfc822Layouts = func() []string {
	var out []string
	for _, date := range []string{"2 Jan 2006", "2 January 2006", "2 Jan 06"} {
		for _, clock := range []string{"15:04:05", "15:04"} {
			for _, zone := range []string{" -0700", " -07:00", " MST", ""} {
				out = append(out, date+" "+clock+zone)
			}
		}
	}
	return out
}()

// rfc822Zones are the zone names of RFC 822, and those feeds of the
// region use, as offsets.
var rfc822Zones = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"MSK": "+0300", "EET": "+0200", "EEST": "+0300", "CET": "+0100", "CEST": "+0200",
}

// parseRFC822Time parses an RSS date, in UTC; a date without a zone is
// taken as UTC, and an RFC 3339 date is accepted too. Anything else gives
// the zero time.
func parseRFC822Time(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	if i := strings.IndexByte(s, ','); i >= 0 && !strings.ContainsAny(s[:i], "0123456789") {
		s = s[i+1:] // the weekday, in any language
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return time.Time{}
	}
	if z, ok := rfc822Zones[strings.ToUpper(f[len(f)-1])]; ok {
		f[len(f)-1] = z
	}
	s = strings.Join(f, " ")
	for _, l := range rfc822Layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return parseW3CTime(s)
}

// maxFeedLinks bounds FeedLinks.
const maxFeedLinks = 100

// FeedLinks returns the href of <link rel="alternate"
// type="application/rss+xml"|"application/atom+xml"> elements of an HTML
// document's head, resolved against pageURL (and the head's <base href>),
// deduplicated, in order. Only absolute http(s) URLs of at most
// MaxSitemapLocBytes are returned, at most 100.
func FeedLinks(doc *goquery.Document, pageURL string) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		base = nil
	}
	if b, ok := doc.Find("head base[href]").First().Attr("href"); ok && len(b) <= MaxSitemapLocBytes {
		if u, err := url.Parse(strings.TrimSpace(b)); err == nil {
			if base != nil {
				base = base.ResolveReference(u)
			} else if u.IsAbs() {
				base = u
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	doc.Find("head link[rel][href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		rel, _ := s.Attr("rel")
		if !relHasToken(rel, "alternate") {
			return true
		}
		typ, _ := s.Attr("type")
		mt, _, err := mime.ParseMediaType(typ)
		if err != nil || (mt != "application/rss+xml" && mt != "application/atom+xml") {
			return true
		}
		href, _ := s.Attr("href")
		href = strings.TrimSpace(href)
		if href == "" || len(href) > MaxSitemapLocBytes {
			return true
		}
		u, err := url.Parse(href)
		if err != nil {
			return true
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		v := u.String()
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > MaxSitemapLocBytes || seen[v] {
			return true
		}
		seen[v] = true
		out = append(out, v)
		return len(out) < maxFeedLinks
	})
	return out
}

// relHasToken reports whether the space-separated list s has tok, ignoring
// case.
func relHasToken(s, tok string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
