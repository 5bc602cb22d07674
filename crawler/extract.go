package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/lurewatch/lure/ad"
)

// ErrMissingField is wrapped by Extract when a page lacks a required field
// (title or body).
var ErrMissingField = errors.New("missing required field")

// rawTextLimit bounds the text gathered for one field before whitespace is
// collapsed; the cleaned text is then cut to ad.MaxFieldBytes.
const rawTextLimit = 4 * ad.MaxFieldBytes

// Extract reads an ad from the HTML of its detail page at pageURL, using
// the profile's field selectors. Text is whitespace-collapsed (one line
// per block element), made valid UTF-8 and cut to ad.MaxFieldBytes. The ad
// gets its ID, kind, language, crawl time now and content hash. The page's
// charset is sniffed (byte-order mark, <meta charset>), UTF-8 by default. A page
// without a title or body gives an error wrapping ErrMissingField.
func (p *Profile) Extract(pageURL string, page io.Reader, now time.Time) (ad.Ad, error) {
	b, err := io.ReadAll(page)
	if err != nil {
		return ad.Ad{}, fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	if b, err = decodeBody(b, "", p.Charset); err != nil {
		return ad.Ad{}, fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	doc, err := parseHTML(b)
	if err != nil {
		return ad.Ad{}, fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	return p.extractDoc(pageURL, doc, now)
}

// decodeBody returns body as UTF-8. The charset is taken as browsers do:
// a byte-order mark, then the charset of the Content-Type header, then a
// <meta charset> or http-equiv in the first 1024 bytes. A page that names
// none is kept as it is when it is valid UTF-8, and otherwise decoded
// with def (the profile's charset, e.g. windows-1251), or windows-1252
// when def is empty.
func decodeBody(body []byte, contentType, def string) ([]byte, error) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	head := bytes.ToLower(body[:min(len(body), 1024)])
	if !certain && name == "windows-1252" && !bytes.Contains(head, []byte("charset")) {
		// Nothing named a charset: windows-1252 is only the fallback.
		if utf8.Valid(body) {
			return body, nil
		}
		if def != "" {
			if e, n := charset.Lookup(def); e != nil {
				enc, name = e, n
			}
		}
	}
	if name == "utf-8" {
		return bytes.ToValidUTF8(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), []byte("\uFFFD")), nil
	}
	out, err := io.ReadAll(transform.NewReader(bytes.NewReader(body), enc.NewDecoder()))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, nil
}

// isHTML reports whether a response looks like an HTML page: an HTML or
// unlabelled text Content-Type, and no NUL bytes in its first kilobyte.
func isHTML(contentType string, body []byte) bool {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return false
		}
		switch mt {
		case "text/html", "application/xhtml+xml", "text/plain", "application/octet-stream":
		default:
			return false
		}
	}
	return !bytes.Contains(body[:min(len(body), 1024)], []byte{0})
}

// parseHTML parses a page body.
func parseHTML(body []byte) (*goquery.Document, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return doc, nil
}

func (p *Profile) extractDoc(pageURL string, doc *goquery.Document, now time.Time) (ad.Ad, error) {
	a, _, err := p.extractPage(pageURL, doc, now)
	return a, err
}

// pageInfo is what a page says beside its ad.
type pageInfo struct {
	// ValidThrough is when the posting ends (schema.org validThrough),
	// zero when the page does not say.
	ValidThrough time.Time
}

// expired reports whether the posting ended before now.
func (i pageInfo) expired(now time.Time) bool {
	return !i.ValidThrough.IsZero() && i.ValidThrough.Before(now)
}

// extractPage reads the ad of a page. Sitemap and feed sites read each
// field from the page's structured data (ExtractStructured) unless the
// profile gives the field a selector; html sites read every field with
// its selector.
func (p *Profile) extractPage(pageURL string, doc *goquery.Document, now time.Time) (ad.Ad, pageInfo, error) {
	a, info, err := p.readFields(pageURL, doc, now)
	if err != nil {
		return ad.Ad{}, pageInfo{}, err
	}
	a.ContentHash = a.Hash()
	if err := a.Validate(); err != nil {
		return ad.Ad{}, pageInfo{}, fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	return a, info, nil
}

func (p *Profile) readFields(pageURL string, doc *goquery.Document, now time.Time) (ad.Ad, pageInfo, error) {
	canon, err := ad.CanonicalURL(pageURL)
	if err != nil {
		return ad.Ad{}, pageInfo{}, fmt.Errorf("crawler: %w", err)
	}
	id, err := ad.MakeID(p.Site, canon)
	if err != nil {
		return ad.Ad{}, pageInfo{}, fmt.Errorf("crawler: %w", err)
	}
	f := p.Fields
	var st Structured
	if p.structured() {
		st = ExtractStructured(doc)
	}
	// field reads one field: its selector when the profile has one, else
	// the structured value (empty for html sites).
	field := func(sel Selector, structured string) string {
		if sel.CSS != "" || !p.structured() {
			return selectText(doc, sel)
		}
		return structured
	}
	a := ad.Ad{
		V:        ad.Version,
		ID:       id,
		Site:     p.Site,
		URL:      canon,
		Kind:     p.Kind,
		Lang:     p.Lang,
		Title:    field(f.Title, st.Title),
		Body:     field(f.Body, st.Body),
		Salary:   field(f.Salary, st.Salary),
		Location: field(f.Location, st.Location),
		Contact:  field(f.Contact, st.Contact),
		Crawled:  now,
	}
	var missing []string
	if a.Title == "" {
		missing = append(missing, "title")
	}
	if a.Body == "" {
		missing = append(missing, "body")
	}
	if len(missing) > 0 {
		return ad.Ad{}, pageInfo{}, fmt.Errorf("crawler: %s: %w: %s", pageURL, ErrMissingField, strings.Join(missing, ", "))
	}
	if l := normLang(field(f.Lang, st.Lang)); l != "" {
		a.Lang = l
	}
	if f.Posted.CSS != "" || !p.structured() {
		if s := selectText(doc, f.Posted); s != "" {
			a.Posted, _ = parsePosted(s)
		}
	} else {
		a.Posted = st.Posted.UTC()
	}
	return a, pageInfo{ValidThrough: st.ValidThrough}, nil
}

// selectText applies one Selector to doc. An empty selector gives "".
func selectText(doc *goquery.Document, s Selector) string {
	if s.CSS == "" {
		return ""
	}
	sel := doc.Find(s.CSS)
	if s.Attr != "" {
		for _, n := range sel.Nodes {
			for _, at := range n.Attr {
				if at.Namespace == "" && strings.EqualFold(at.Key, s.Attr) {
					return cleanText(truncate(at.Val, rawTextLimit))
				}
			}
		}
		return ""
	}
	return cleanText(nodesText(sel.Nodes, rawTextLimit))
}

// skipped elements never contribute text.
var skipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"head": true, "iframe": true, "svg": true, "object": true, "button": true,
	"select": true, "textarea": true,
}

// blocks start and end a line.
var blocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "dd": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true,
	"figure": true, "footer": true, "form": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true, "section": true,
	"table": true, "tr": true, "ul": true, "br": true, "td": true, "th": true,
}

// nodesText gathers the text under nodes, with a newline around block
// elements, stopping after limit bytes. It walks iteratively, so deep
// nesting cannot exhaust the stack.
func nodesText(nodes []*html.Node, limit int) string {
	var b strings.Builder
	type item struct {
		n     *html.Node
		close bool
		root  bool
	}
	for _, root := range nodes {
		stack := []item{{n: root, root: true}}
		for len(stack) > 0 && b.Len() < limit {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n := it.n
			if it.close {
				b.WriteByte('\n')
				continue
			}
			switch n.Type {
			case html.TextNode:
				// Line breaks in the source are plain spaces in HTML;
				// only block elements break lines.
				b.WriteString(strings.Map(newlineToSpace, truncate(n.Data, limit-b.Len())))
				continue
			case html.ElementNode:
				if skipped[n.Data] && !it.root {
					continue
				}
				if blocks[n.Data] {
					b.WriteByte('\n')
					stack = append(stack, item{n: n, close: true})
				}
			case html.DocumentNode:
			default:
				continue
			}
			// Push children in reverse so the first child is popped first.
			var kids []*html.Node
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				kids = append(kids, c)
			}
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, item{n: kids[i]})
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func newlineToSpace(r rune) rune {
	if r == '\n' || r == '\r' || r == '\f' {
		return ' '
	}
	return r
}

// cleanText makes s valid UTF-8, collapses runs of white space inside each
// line to one space, drops empty lines, joins lines with "\n" and cuts the
// result to ad.MaxFieldBytes at a rune boundary.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var out strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if out.Len() > 0 {
			out.WriteByte('\n')
		}
		for i, f := range fields {
			if i > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(f)
		}
		if out.Len() >= ad.MaxFieldBytes {
			break
		}
	}
	return strings.TrimSpace(truncate(out.String(), ad.MaxFieldBytes))
}

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{1,8})*$`)

// normLang returns the language subtag of a language tag, lowercase
// ("ru" for "ru-RU"), or "" if it does not look like one.
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "_", "-")))
	if len(s) > 16 || !langRE.MatchString(s) {
		return ""
	}
	// The language alone: "ru-RU", "ru_RU" and "sr-Latn" are ru and sr,
	// as the rule packs and statistics know them.
	s, _, _ = strings.Cut(s, "-")
	return s
}

var postedLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"02.01.2006 15:04",
	"02.01.2006",
	"02/01/2006",
}

// parsePosted parses a posting date in one of the common layouts. A time
// without a zone is taken as UTC.
func parsePosted(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return time.Time{}, false
	}
	for _, l := range postedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
