package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// SitemapEntry is one <url> of a urlset or one <sitemap> of a sitemap index.
type SitemapEntry struct {
	Loc     string    // absolute URL as written, whitespace-trimmed
	LastMod time.Time // zero when absent or unparseable (W3C datetime: YYYY, YYYY-MM, YYYY-MM-DD, with time and zone)
	Sitemap bool      // a <sitemap> of a sitemap index: Loc is a sitemap, not a page
}

// Limits of one sitemap file.
const (
	MaxSitemapEntries  = 50000    // per file, sitemaps.org limit
	MaxSitemapBytes    = 50 << 20 // uncompressed bytes per file
	MaxSitemapLocBytes = 2048
)

// ErrBadSitemap is wrapped by every format or limit error of ReadSitemap.
var ErrBadSitemap = errors.New("bad sitemap")

// Errors wrapped next to ErrBadSitemap or ErrBadFeed when a limit is hit.
var (
	errXMLTooLarge = errors.New("input too large")
	errXMLTextRun  = errors.New("text run too long")
	errXMLTooMany  = errors.New("too many entries")
)

// maxSitemapTextRun bounds the bytes of a sitemap between two '<'. The
// XML decoder holds a whole text run (or attribute value) in memory, so
// without this bound one giant <loc> would cost memory of the order of
// MaxSitemapBytes. No element of the protocol or its extensions comes
// near it.
const maxSitemapTextRun = 1 << 20

// maxXMLText bounds the text kept from one element; the rest is read and
// dropped.
const maxXMLText = 256 << 10

// ReadSitemap reads one sitemap file from r: a <urlset> or a <sitemapindex>,
// plain or gzip-compressed (detected from the magic bytes, not the name),
// streaming with memory bounded independently of the number of entries. It
// calls fn for each entry in order and returns index=true for a sitemap
// index. An error from fn stops reading and is returned as is.
//
// Elements are matched by local name, whatever their namespace or prefix
// (<sm:url> is a <url>); <loc> and <lastmod> are taken from the entry's
// own namespace, so extension elements such as <image:loc> are ignored.
// An entry without a <loc>, or whose <loc> is longer than
// MaxSitemapLocBytes after trimming, is skipped (it still counts towards
// MaxSitemapEntries): one bad entry does not cost the rest of the file.
// Loc is not checked further; callers resolve it and check its host.
//
// More than MaxSitemapEntries entries, more than MaxSitemapBytes
// uncompressed, a text run of more than 1 MiB, a root element that is
// neither, a charset that cannot be decoded, or malformed XML (including a
// truncated file or gzip stream) give an error wrapping ErrBadSitemap;
// entries delivered before it stand. An error reading r is returned
// wrapped, without ErrBadSitemap. Reading stops at the end of the root
// element.
func ReadSitemap(r io.Reader, fn func(SitemapEntry) error) (index bool, err error) {
	x, err := openXML(r, MaxSitemapBytes, maxSitemapTextRun)
	if err != nil {
		return false, x.fail("sitemap", ErrBadSitemap, err)
	}
	defer x.close()
	root, err := x.root()
	if err != nil {
		return false, x.fail("sitemap", ErrBadSitemap, err)
	}
	var entry string
	switch root.Name.Local {
	case "urlset":
		entry = "url"
	case "sitemapindex":
		entry, index = "sitemap", true
	default:
		return false, fmt.Errorf("crawler: sitemap: %w: root element <%s> is neither <urlset> nor <sitemapindex>",
			ErrBadSitemap, truncate(root.Name.Local, 64))
	}
	n := 0
	var e sitemapEntryXML // reused: one allocation per file, not per entry
	for {
		tok, err := x.d.Token()
		if err != nil {
			return index, x.fail("sitemap", ErrBadSitemap, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return index, nil // end of the root: the decoder checks nesting
		case xml.StartElement:
			if t.Name.Local != entry {
				if err := x.d.Skip(); err != nil {
					return index, x.fail("sitemap", ErrBadSitemap, err)
				}
				continue
			}
			if n++; n > MaxSitemapEntries {
				return index, fmt.Errorf("crawler: sitemap: %w: %w: more than %d", ErrBadSitemap, errXMLTooMany, MaxSitemapEntries)
			}
			e = sitemapEntryXML{}
			if err := x.d.DecodeElement(&e, &t); err != nil {
				return index, x.fail("sitemap", ErrBadSitemap, err)
			}
			loc := strings.TrimSpace(e.loc.text)
			if loc == "" || e.loc.over || len(loc) > MaxSitemapLocBytes {
				continue
			}
			if err := fn(SitemapEntry{Loc: loc, LastMod: parseW3CTime(e.lastMod.text), Sitemap: index}); err != nil {
				return index, err
			}
		}
	}
}

// sitemapEntryXML is one <url> or <sitemap> element.
type sitemapEntryXML struct {
	loc, lastMod xmlText
}

// UnmarshalXML keeps the first <loc> and <lastmod> in the element's own
// namespace and skips everything else.
func (e *sitemapEntryXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlEachChild(d, func(c xml.StartElement) error {
		if c.Name.Space == start.Name.Space {
			switch c.Name.Local {
			case "loc":
				return e.loc.read(d, c)
			case "lastmod":
				return e.lastMod.read(d, c)
			}
		}
		return d.Skip()
	})
}

// xmlEachChild calls fn for each child element of the element just started,
// which must consume it, and returns at the element's end.
func xmlEachChild(d *xml.Decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// xmlText is the text of one element, with the attributes readers need.
// Only its first occurrence is kept.
type xmlText struct {
	set   bool
	over  bool   // more than maxXMLText bytes of text: cut
	text  string // character data, child elements' text included
	typ   string // type attribute, lowercased (Atom text constructs)
	perma string // isPermaLink attribute, lowercased (RSS <guid>)
	href  string // href attribute (Atom <link>)
	rel   string // rel attribute, lowercased (Atom <link>)
	mime  string // type attribute as a media type (Atom <link>)
	base  string // xml:base attribute
}

// read reads the element started by start into t, unless t is already
// set, in which case the element is skipped. The text of child elements
// is kept, with a newline around HTML block elements, so that XHTML
// content reads as text.
func (t *xmlText) read(d *xml.Decoder, start xml.StartElement) error {
	if t.set {
		return d.Skip()
	}
	t.set = true
	for _, a := range start.Attr {
		v := truncate(strings.TrimSpace(a.Value), MaxSitemapLocBytes+1)
		switch {
		case a.Name.Local == "base" && (a.Name.Space == xmlNamespace || a.Name.Space == "xml"):
			t.base = v
		case a.Name.Space != "":
		case a.Name.Local == "type":
			t.typ = strings.ToLower(v)
			t.mime = t.typ
			if i := strings.IndexByte(t.mime, ';'); i >= 0 {
				t.mime = strings.TrimSpace(t.mime[:i])
			}
		case strings.EqualFold(a.Name.Local, "isPermaLink"):
			t.perma = strings.ToLower(v)
		case a.Name.Local == "href":
			t.href = v
		case a.Name.Local == "rel":
			t.rel = strings.ToLower(v)
		}
	}
	var b strings.Builder
	add := func(s []byte) {
		room := maxXMLText - b.Len()
		if len(s) > room {
			t.over = true
			for room > 0 && !utf8.RuneStart(s[room]) {
				room--
			}
			s = s[:room]
		}
		b.Write(s)
	}
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			if blocks[strings.ToLower(tk.Name.Local)] {
				add([]byte{'\n'})
			}
		case xml.EndElement:
			if depth == 0 {
				t.text = b.String()
				return nil
			}
			depth--
			if blocks[strings.ToLower(tk.Name.Local)] {
				add([]byte{'\n'})
			}
		case xml.CharData:
			add(tk)
		}
	}
}

// xmlNamespace is the namespace of the xml: prefix.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// xmlStream is an XML decoder over a bounded, decompressed, UTF-8 input.
type xmlStream struct {
	d   *xml.Decoder
	src *xmlSourceReader
	gz  *gzip.Reader
}

// openXML prepares r for decoding: gzip when it starts with the gzip
// magic bytes, at most limit bytes after decompression and at most maxRun
// bytes between two '<', a byte-order mark honoured (it wins over the
// declared encoding), and other encodings decoded through
// charset.NewReaderLabel.
func openXML(r io.Reader, limit int64, maxRun int) (*xmlStream, error) {
	x := &xmlStream{src: &xmlSourceReader{r: r}}
	br := bufio.NewReader(x.src)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return x, fmt.Errorf("gzip: %w", err)
		}
		x.gz = gz
		in = gz
	}
	br = bufio.NewReader(&xmlBoundedReader{r: in, n: limit, maxRun: maxRun})
	in = br
	bom := false
	switch head, _ := br.Peek(3); {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
		bom = true
	case bytes.HasPrefix(head, []byte("\xfe\xff")), bytes.HasPrefix(head, []byte("\xff\xfe")):
		in = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
		bom = true
	}
	x.d = xml.NewDecoder(in)
	x.d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		if bom {
			return input, nil
		}
		return charset.NewReaderLabel(label, input)
	}
	return x, nil
}

func (x *xmlStream) close() {
	if x.gz != nil {
		_ = x.gz.Close()
	}
}

// root returns the start of the root element, skipping the prolog.
func (x *xmlStream) root() (xml.StartElement, error) {
	for {
		tok, err := x.d.Token()
		if err == io.EOF {
			return xml.StartElement{}, errors.New("no root element")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, errors.New("text before the root element")
			}
		}
	}
}

// fail wraps a decoding error: an error of the underlying reader as is,
// anything else as a bad file of the given kind.
func (x *xmlStream) fail(what string, bad, err error) error {
	if x.src.err != nil && errors.Is(err, x.src.err) {
		return fmt.Errorf("crawler: %s: read: %w", what, err)
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("crawler: %s: %w: %w", what, bad, err)
}

// xmlSourceReader remembers the first error of r other than io.EOF.
type xmlSourceReader struct {
	r   io.Reader
	err error
}

func (e *xmlSourceReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// xmlBoundedReader fails with errXMLTooLarge once more than n bytes are read,
// and with errXMLTextRun after more than maxRun bytes without a '<'.
type xmlBoundedReader struct {
	r      io.Reader
	n      int64 // bytes left
	run    int   // bytes since the last '<'
	maxRun int
	err    error
}

func (b *xmlBoundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.n <= 0 {
		var one [1]byte
		k, err := io.ReadFull(b.r, one[:])
		if k > 0 {
			b.err = errXMLTooLarge
			return 0, b.err
		}
		return 0, err
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	k, err := b.r.Read(p)
	b.n -= int64(k)
	for q := p[:k]; ; {
		i := bytes.IndexByte(q, '<')
		if i < 0 {
			b.run += len(q)
		} else {
			b.run += i
		}
		if b.run > b.maxRun {
			b.err = errXMLTextRun
			return 0, b.err
		}
		if i < 0 {
			break
		}
		b.run, q = 0, q[i+1:]
	}
	return k, err
}

// w3cLayouts are the W3C datetime profile of ISO 8601 and the variants
// sitemaps and schema.org dates commonly use.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05Z07",
	"20060102",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseW3CTime parses a W3C datetime, in UTC; a time without a zone is
// taken as UTC. Anything else gives the zero time.
func parseW3CTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 64 {
		return time.Time{}
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// maxRobotsSitemapBytes and maxRobotsSitemaps bound RobotsSitemaps.
const (
	maxRobotsSitemapBytes = 512 << 10
	maxRobotsSitemaps     = 1000
)

// RobotsSitemaps returns the absolute http(s) URLs of the "Sitemap:" lines
// of a robots.txt (case-insensitive field name, comments stripped,
// deduplicated, in order), reading at most 512 KiB and returning at most
// 1000 URLs. A line cut by the size limit is dropped; values that are not
// absolute http(s) URLs, or are longer than MaxSitemapLocBytes, are
// skipped. URLs are returned in the form url.URL.String gives.
func RobotsSitemaps(r io.Reader) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxRobotsSitemapBytes+1))
	if err != nil {
		return nil, fmt.Errorf("crawler: robots.txt: %w", err)
	}
	if len(b) > maxRobotsSitemapBytes {
		b = b[:maxRobotsSitemapBytes]
		if i := bytes.LastIndexAny(b, "\r\n"); i >= 0 {
			b = b[:i]
		} else {
			b = nil
		}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var out []string
	seen := map[string]bool{}
	for len(b) > 0 && len(out) < maxRobotsSitemaps {
		var line []byte
		if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		field, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !strings.EqualFold(string(bytes.TrimSpace(field)), "sitemap") {
			continue
		}
		v := string(bytes.TrimSpace(value))
		if v == "" || len(v) > MaxSitemapLocBytes {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		s := u.String()
		if len(s) > MaxSitemapLocBytes || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out, nil
}
