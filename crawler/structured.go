package crawler

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Structured is what a page says about itself in machine-readable form.
type Structured struct {
	// Source names where the fields came from, best first: "json-ld", "microdata", "opengraph", "text".
	Sources []string
	// Types are the schema.org types found (e.g. "JobPosting", "Organization"), deduplicated:
	// those of JSON-LD (scripts in page order, an object before the objects it holds, these
	// in the order of their property names), then those of microdata in page order.
	Types []string
	// Title is the posting's title; Body its description as plain text
	// (HTML converted to text with one line per block, entities
	// decoded). Every string field is cut to ad.MaxFieldBytes.
	Title, Body string
	// Org is the hiring organisation's name.
	Org string
	// Location is the job's place: the parts of each postal address
	// joined ", ", several places joined "; ", and "remote" for a
	// TELECOMMUTE job.
	Location string
	// Salary is the base or estimated salary, rendered like
	// "1500–2000 EUR per month", or a plain string as the page gives it.
	Salary string
	// EmploymentType is the employment type, several joined ", ".
	EmploymentType string
	// Contact holds the telephone numbers and e-mail addresses of the
	// application contact, the hiring organisation and the posting, joined ", ".
	Contact string
	// Lang is the language of the posting (inLanguage, og:locale, <html lang>), normalised.
	Lang string
	// Posted is when the posting was published; ValidThrough when it expires.
	Posted, ValidThrough time.Time
	// Fields lists the non-empty fields by name ("title","body","org","location","salary","employment_type","contact","lang","posted","valid_through") in this order.
	Fields []string
}

// IsJobPosting reports whether Types contains JobPosting.
func (s Structured) IsJobPosting() bool {
	return slices.Contains(s.Types, "JobPosting")
}

// Bounds of ExtractStructured, so that a hostile page can make it neither
// slow nor large.
const (
	maxLDScripts    = 64      // JSON-LD scripts read per page
	maxLDBytes      = 1 << 20 // bytes of one JSON-LD script
	maxJSONDepth    = 64      // nesting of JSON arrays and objects, and of microdata items
	maxJSONValues   = 10000   // JSON values decoded per page; microdata properties likewise
	maxListItems    = 32      // items read from one list-valued property
	maxTypes        = 32      // entries of Structured.Types
	maxTypeBytes    = 128     // bytes of one type name
	maxRefHops      = 4       // "@id" references followed from one value
	maxItempropKeys = 8       // names read from one itemprop attribute
)

var sourceNames = [...]string{"json-ld", "microdata", "opengraph", "text"}

// fieldSet is what one source says.
type fieldSet struct {
	title, body, org, location, salary, employmentType, contact, lang string
	posted, validThrough                                              time.Time
}

// ExtractStructured reads the page's JSON-LD (every <script type="application/ld+json">, each a
// JSON object, an array, or an object with "@graph"; nested objects; "@type" as string or array,
// with or without "http(s)://schema.org/" prefix; the first JobPosting wins, and the page's other
// objects are looked up by "@id" reference for hiringOrganization/jobLocation), then schema.org
// microdata (itemscope itemtype=".../JobPosting" with itemprop, nested itemscope for
// hiringOrganization/jobLocation/baseSalary, values from content/datetime/href/src attributes or
// text as the microdata spec says; itemref is not followed), then OpenGraph/meta (og:title,
// og:description, meta description, og:locale, article:published_time), then the page's main
// text block (the <main> or <article> element, else the block element whose direct paragraph
// text, links left out, is longest; nav/header/footer/aside/script/style/form excluded, forms
// only kept when nothing outside them has text) with the title from the first <h1>, else
// <title>, and the language from <html lang>. Earlier sources win field by field; a field missing
// from JSON-LD may come from microdata/OpenGraph. One exception: the main text block replaces
// an OpenGraph/meta description that is shorter than it, as those are mostly teasers or the
// site's own description. Fields are only taken from a JobPosting in JSON-LD and microdata; the
// page's other types are only listed in Types. Broken JSON in one script is skipped, not fatal.
// Bounds: at most 64 JSON-LD scripts, 1 MiB per script, JSON nesting depth 64, 10,000 values
// per page (a script that would go beyond what is left is skipped before it is decoded), so a
// hostile page cannot make it slow or large. It never fails; an empty Structured means nothing found.
func ExtractStructured(doc *goquery.Document) Structured {
	var s Structured
	if doc == nil || doc.Selection == nil || len(doc.Nodes) == 0 {
		return s
	}
	root := doc.Nodes[0]
	ps := scan(root)
	ld := readJSONLD(ps.scripts)
	s.Types = mergeTypes(ld.types, ps.mdTypes)

	var sets [len(sourceNames)]fieldSet
	if ld.posting != nil {
		sets[0] = ld.job(ld.posting)
	}
	if ps.mdPosting != nil {
		sets[1] = (&ldGraph{}).job(ps.mdPosting)
	}
	sets[2] = ps.og
	if sets[0].title == "" && sets[1].title == "" && sets[2].title == "" {
		sets[3].title = textTitle(ps.h1, ps.title)
	}
	if sets[0].lang == "" && sets[1].lang == "" && sets[2].lang == "" {
		sets[3].lang = htmlLang(root)
	}
	if sets[0].body == "" && sets[1].body == "" {
		if tb := mainText(root); tb != "" && utf8.RuneCountInString(tb) > utf8.RuneCountInString(sets[2].body) {
			sets[3].body, sets[2].body = tb, ""
		}
	}

	var used [len(sourceNames)]bool
	pick := func(name string, get func(*fieldSet) string) string {
		for i := range sets {
			if v := get(&sets[i]); v != "" {
				used[i] = true
				s.Fields = append(s.Fields, name)
				return v
			}
		}
		return ""
	}
	pickTime := func(name string, get func(*fieldSet) time.Time) time.Time {
		for i := range sets {
			if v := get(&sets[i]); !v.IsZero() {
				used[i] = true
				s.Fields = append(s.Fields, name)
				return v
			}
		}
		return time.Time{}
	}
	s.Title = pick("title", func(f *fieldSet) string { return f.title })
	s.Body = pick("body", func(f *fieldSet) string { return f.body })
	s.Org = pick("org", func(f *fieldSet) string { return f.org })
	s.Location = pick("location", func(f *fieldSet) string { return f.location })
	s.Salary = pick("salary", func(f *fieldSet) string { return f.salary })
	s.EmploymentType = pick("employment_type", func(f *fieldSet) string { return f.employmentType })
	s.Contact = pick("contact", func(f *fieldSet) string { return f.contact })
	s.Lang = pick("lang", func(f *fieldSet) string { return f.lang })
	s.Posted = pickTime("posted", func(f *fieldSet) time.Time { return f.posted })
	s.ValidThrough = pickTime("valid_through", func(f *fieldSet) time.Time { return f.validThrough })
	for i, u := range used {
		if u {
			s.Sources = append(s.Sources, sourceNames[i])
		}
	}
	return s
}

// ldGraph holds the objects of a page's JSON-LD, or one microdata item
// (then without objects or references).
type ldGraph struct {
	types   []string
	posting map[string]any
	byID    map[string]map[string]any
}

// pageScan is what one walk over a page finds: the elements the
// sources are read from.
type pageScan struct {
	scripts   []*html.Node // JSON-LD scripts, at most maxLDScripts
	og        fieldSet     // from the meta elements
	mdTypes   []string     // types of microdata items
	mdPosting map[string]any
	h1, title *html.Node
}

// scan walks the page once.
func scan(root *html.Node) *pageScan {
	ps := &pageScan{}
	var ogTitle, ogDesc, desc, locale, published string
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	budget := maxJSONValues
	walkElements(root, func(n *html.Node) bool {
		if n.Namespace != "" {
			return false
		}
		if hasAttr(n, "itemscope") {
			ts := typesOf(attr(n, "itemtype"))
			for _, t := range ts {
				ps.mdTypes = addType(ps.mdTypes, t)
			}
			if ps.mdPosting == nil && slices.Contains(ts, "JobPosting") {
				ps.mdPosting = microdataItem(n, &budget, 0)
			}
		}
		switch n.DataAtom {
		case atom.Script:
			if isLDJSON(attr(n, "type")) && len(ps.scripts) < maxLDScripts {
				ps.scripts = append(ps.scripts, n)
			}
			return false
		case atom.H1:
			if ps.h1 == nil {
				ps.h1 = n
			}
		case atom.Title:
			if ps.title == nil {
				ps.title = n
			}
		case atom.Meta:
			key := attr(n, "property")
			if key == "" {
				key = attr(n, "name")
			}
			content := truncate(attr(n, "content"), rawTextLimit)
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "og:title":
				set(&ogTitle, content)
			case "og:description":
				set(&ogDesc, content)
			case "description":
				set(&desc, content)
			case "og:locale":
				set(&locale, content)
			case "article:published_time":
				set(&published, content)
			}
		}
		return true
	})
	ps.og.title = oneLine(ogTitle)
	if ps.og.body = cleanText(ogDesc); ps.og.body == "" {
		ps.og.body = cleanText(desc)
	}
	ps.og.lang = normLang(locale)
	ps.og.posted = parseDate(published)
	return ps
}

// readJSONLD decodes the page's JSON-LD scripts within the bounds, lists
// the types of all their objects and finds the first JobPosting.
func readJSONLD(scripts []*html.Node) *ldGraph {
	g := &ldGraph{}
	d := jsonDecoder{budget: maxJSONValues}
	for _, n := range scripts {
		var b strings.Builder
		for c := n.FirstChild; c != nil && b.Len() <= maxLDBytes; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
		if b.Len() <= maxLDBytes {
			d.decode(b.String())
		}
	}
	for _, m := range d.objects {
		ts := typesOf(m["@type"])
		for _, t := range ts {
			g.types = addType(g.types, t)
		}
		if g.posting == nil && slices.Contains(ts, "JobPosting") {
			g.posting = m
		}
		if id, ok := m["@id"].(string); ok && len(m) > 1 {
			if g.byID == nil {
				g.byID = map[string]map[string]any{}
			}
			if old, ok := g.byID[id]; !ok || len(old) < len(m) {
				g.byID[id] = m
			}
		}
	}
	if g.posting != nil {
		if m, ok := g.resolve(g.posting).(map[string]any); ok {
			g.posting = m
		}
	}
	return g
}

// isLDJSON reports whether a script's type attribute is JSON-LD.
func isLDJSON(t string) bool {
	t = strings.ToLower(t)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return strings.TrimSpace(t) == "application/ld+json"
}

// ldBytes trims the comment and CDATA wrappers some pages put around a
// script's JSON, and escapes the raw control characters (most often line
// breaks) that pages leave inside JSON strings, which strict JSON forbids.
// It also bounds, without decoding, what the JSON holds: values is at
// least the number of values of any JSON text it begins with (one, plus
// one per bracket and comma outside strings), depth its deepest nesting.
func ldBytes(s string) (b []byte, values, depth int) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "\ufeff")
	for _, p := range []string{"<!--", "//<![CDATA[", "<![CDATA["} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	for _, p := range []string{"-->", "//]]>", "]]>"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, p))
	}
	b = make([]byte, 0, len(s))
	values = 1
	in, esc, open := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !in:
			switch c {
			case '"':
				in = true
			case '[', '{':
				values++
				open++
				depth = max(depth, open)
			case ']', '}':
				open--
			case ',':
				values++
			}
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			in = false
		case c == '\n':
			b = append(b, '\\', 'n')
			continue
		case c == '\t':
			b = append(b, '\\', 't')
			continue
		case c < 0x20:
			c = ' '
		}
		b = append(b, c)
	}
	return b, values, depth
}

// jsonDecoder decodes the JSON-LD scripts of a page into any (objects as
// map[string]any with the schema.org prefix dropped from their keys,
// numbers as json.Number), within a budget of values for the page and a
// nesting depth of maxJSONDepth. objects lists every object decoded, an
// object before those it holds, the members of an object in the order of
// their names.
type jsonDecoder struct {
	budget  int
	objects []map[string]any
}

// decode decodes the first JSON value of a script's text. A script that
// is broken, too deep or beyond what is left of the budget is dropped.
func (d *jsonDecoder) decode(script string) (any, bool) {
	b, values, depth := ldBytes(script)
	if depth > maxJSONDepth || values > d.budget {
		return nil, false
	}
	d.budget -= values
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	d.walk(v)
	return v, true
}

// walk lists the objects under v and normalises their keys; v is no
// deeper than maxJSONDepth.
func (d *jsonDecoder) walk(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			d.walk(e)
		}
	case map[string]any:
		d.objects = append(d.objects, x)
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if n := stripSchema(k); n != k {
				if _, ok := x[n]; !ok {
					x[n] = x[k]
				}
				delete(x, k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			d.walk(x[k])
		}
	}
}

// stripSchema drops the schema.org vocabulary prefix of a type or
// property name.
func stripSchema(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"https://schema.org/", "http://schema.org/", "https://www.schema.org/", "http://www.schema.org/", "//schema.org/", "schema.org/", "schema:"} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			return s[len(p):]
		}
	}
	return s
}

// typesOf reads an "@type" (a string or an array of them) or an
// itemtype's list of types.
func typesOf(v any) []string {
	var out []string
	for _, x := range items(v, maxListItems) {
		if s, ok := x.(string); ok {
			for f := range strings.FieldsSeq(s) {
				if t := stripSchema(f); t != "" && len(out) < maxListItems {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// addType adds t to types unless it is there or types is full.
func addType(types []string, t string) []string {
	t = oneLine(truncate(t, maxTypeBytes))
	if t == "" || len(types) >= maxTypes || slices.Contains(types, t) {
		return types
	}
	return append(types, t)
}

func mergeTypes(a, b []string) []string {
	var out []string
	for _, t := range slices.Concat(a, b) {
		out = addType(out, t)
	}
	return out
}

// resolve follows "@id" references: an object with little more than an
// "@id" stands for the fuller object of the same "@id" elsewhere on the page.
func (g *ldGraph) resolve(v any) any {
	for range maxRefHops {
		m, ok := v.(map[string]any)
		if !ok || g.byID == nil {
			return v
		}
		id, ok := m["@id"].(string)
		if !ok {
			return v
		}
		full, ok := g.byID[id]
		if !ok || len(full) <= len(m) {
			return v
		}
		v = full
	}
	return v
}

// items returns the first max items of a list-valued property, or the
// property itself as one item.
func items(v any, max int) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x[:min(len(x), max)]
	}
	return []any{v}
}

// first returns the first non-null item of a list, or v itself.
func first(v any) any {
	for _, x := range items(v, maxListItems) {
		if x != nil {
			return x
		}
	}
	return nil
}

// scalar returns the raw text of a JSON string or number, a microdata
// property's value, or an {"@value": ...} object; "" for anything else.
// The second result reports whether the text came from JSON, where HTML
// entities are still to be decoded.
func scalar(v any) (string, bool) {
	if m, ok := v.(map[string]any); ok {
		v = m["@value"]
	}
	switch x := v.(type) {
	case string:
		return truncate(x, rawTextLimit), true
	case json.Number:
		return truncate(string(x), rawTextLimit), false
	case *html.Node:
		return microdataValue(x), false
	}
	return "", false
}

// str returns the first scalar of v as one line of clean text.
func str(v any) string {
	for _, x := range items(v, maxListItems) {
		s, fromJSON := scalar(x)
		if fromJSON {
			s = html.UnescapeString(s)
		}
		if s = oneLine(s); s != "" {
			return s
		}
	}
	return ""
}

// oneLine collapses all white space of s, line breaks included, to
// single spaces and cuts it to ad.MaxFieldBytes.
func oneLine(s string) string {
	return cleanText(strings.Map(newlineToSpace, s))
}

// job reads the fields of a JobPosting object.
func (g *ldGraph) job(p map[string]any) fieldSet {
	f := fieldSet{
		title:          str(p["title"]),
		body:           description(p["description"]),
		org:            g.named(p["hiringOrganization"]),
		location:       g.location(p),
		salary:         g.salary(p),
		employmentType: joinStrings(p["employmentType"], ", "),
		contact:        g.contact(p),
		lang:           g.lang(p["inLanguage"]),
		posted:         parseDate(str(p["datePosted"])),
		validThrough:   parseDate(str(p["validThrough"])),
	}
	if f.title == "" {
		f.title = str(p["name"])
	}
	return f
}

// description renders a description, HTML or plain text, as clean text
// with one line per block.
func description(v any) string {
	for _, x := range items(v, maxListItems) {
		s, fromJSON := scalar(x)
		if fromJSON {
			s = htmlToText(s)
		} else {
			s = cleanText(s)
		}
		if s != "" {
			return s
		}
	}
	return ""
}

var tagRE = regexp.MustCompile(`(?i)</?[a-z][a-z0-9]*(\s[^<>]*)?/?>`)

// htmlToText converts a description given as HTML, as HTML with its
// markup escaped, or as plain text, to clean text.
func htmlToText(s string) string {
	s = truncate(s, rawTextLimit)
	if !tagRE.MatchString(s) {
		s = html.UnescapeString(s)
		if !tagRE.MatchString(s) {
			return cleanText(s)
		}
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return cleanText(html.UnescapeString(s))
	}
	return cleanText(nodesText(nodes, rawTextLimit))
}

// named returns a string, or the name of an object such as an Organization or a Country.
func (g *ldGraph) named(v any) string {
	v = g.resolve(first(v))
	if m, ok := v.(map[string]any); ok {
		if _, ok := m["@value"]; !ok {
			if s := str(m["name"]); s != "" {
				return s
			}
			return str(m["legalName"])
		}
	}
	return str(v)
}

// joinStrings joins the distinct scalars of a list-valued property.
func joinStrings(v any, sep string) string {
	var out []string
	for _, x := range items(v, maxListItems) {
		if s := str(x); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return oneLine(strings.Join(out, sep))
}

// location renders jobLocation and jobLocationType.
func (g *ldGraph) location(p map[string]any) string {
	var locs []string
	add := func(s string) {
		if s != "" && !slices.Contains(locs, s) {
			locs = append(locs, s)
		}
	}
	for _, v := range items(p["jobLocation"], maxListItems) {
		add(g.place(v))
	}
	for _, v := range items(p["jobLocationType"], maxListItems) {
		if strings.EqualFold(stripSchema(str(v)), "TELECOMMUTE") {
			add("remote")
		}
	}
	return oneLine(strings.Join(locs, "; "))
}

// place renders a Place by its address, else its name; a PostalAddress
// or a string given in its stead is taken as it is.
func (g *ldGraph) place(v any) string {
	v = g.resolve(v)
	m, ok := v.(map[string]any)
	if !ok {
		return str(v)
	}
	if a, ok := m["address"]; ok {
		if s := g.address(a); s != "" {
			return s
		}
	}
	if s := g.address(m); s != "" {
		return s
	}
	return str(m["name"])
}

var addressParts = []string{"streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry"}

// address renders a PostalAddress (its distinct parts joined ", ") or a string.
func (g *ldGraph) address(v any) string {
	v = g.resolve(first(v))
	m, ok := v.(map[string]any)
	if !ok {
		return str(v)
	}
	var parts []string
	for _, k := range addressParts {
		var s string
		if k == "addressCountry" {
			s = g.named(m[k])
		} else {
			s = str(m[k])
		}
		if s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// salary renders baseSalary, else estimatedSalary.
func (g *ldGraph) salary(p map[string]any) string {
	cur := str(p["salaryCurrency"])
	for _, k := range []string{"baseSalary", "estimatedSalary"} {
		for _, v := range items(p[k], maxListItems) {
			if s := g.amount(v, cur); s != "" {
				return oneLine(s)
			}
		}
	}
	return ""
}

// amount renders a MonetaryAmount, a number or a string.
func (g *ldGraph) amount(v any, cur string) string {
	v = g.resolve(v)
	m, ok := v.(map[string]any)
	if _, isValue := m["@value"]; !ok || isValue {
		if n := number(v); isDecimal(n) {
			return joinNonEmpty(n, cur)
		}
		return str(v)
	}
	if s := str(m["currency"]); s != "" {
		cur = s
	}
	unit := unitOf(m)
	var lo, hi string
	switch val := g.resolve(first(m["value"])).(type) {
	case map[string]any:
		if _, isValue := val["@value"]; isValue {
			lo = number(val)
			break
		}
		if lo = number(val["value"]); lo == "" {
			lo, hi = number(val["minValue"]), number(val["maxValue"])
		}
		if u := unitOf(val); u != "" {
			unit = u
		}
	case nil:
		lo, hi = number(m["minValue"]), number(m["maxValue"])
	default:
		lo = number(val)
	}
	switch {
	case lo == "" && hi == "":
		return ""
	case lo == "" || lo == hi:
		lo, hi = hi, ""
	}
	amount := lo
	if hi != "" {
		amount = lo + "–" + hi
	}
	if cur != "" && strings.Contains(amount, cur) {
		cur = ""
	}
	return joinNonEmpty(amount, cur, unit)
}

// number renders a number without a fraction of zeros ("1500.00" is
// "1500"), or a string as it is.
func number(v any) string {
	s := str(v)
	if i := strings.IndexByte(s, '.'); isDecimal(s) && i > 0 && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	return s
}

// isDecimal reports whether s is a plain decimal number, such as 1500 or 12.50.
func isDecimal(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.") == "" && strings.Count(s, ".") <= 1 && s[0] != '.'
}

var unitNames = map[string]string{
	"HOUR": "per hour", "DAY": "per day", "WEEK": "per week", "MONTH": "per month", "YEAR": "per year",
	// UN/CEFACT codes, given as unitCode.
	"HUR": "per hour", "WEE": "per week", "MON": "per month", "ANN": "per year",
}

// unitOf renders the unitText (else unitCode) of a QuantitativeValue or
// MonetaryAmount: a known unit as "per month" and so on, another as it is.
func unitOf(m map[string]any) string {
	u := str(m["unitText"])
	if u == "" {
		if n, ok := unitNames[strings.ToUpper(str(m["unitCode"]))]; ok {
			return n
		}
		return ""
	}
	if n, ok := unitNames[strings.ToUpper(u)]; ok {
		return n
	}
	return u
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// contact gathers the telephone numbers and e-mail addresses of the
// application contact, the hiring organisation (and its contact points)
// and the posting itself.
func (g *ldGraph) contact(p map[string]any) string {
	var out []string
	add := func(v any) {
		for _, x := range items(v, maxListItems) {
			if s := contactValue(str(x)); s != "" && !slices.Contains(out, s) && len(out) < maxListItems {
				out = append(out, s)
			}
		}
	}
	points := func(v any) {
		for _, x := range items(v, maxListItems) {
			if m, ok := g.resolve(x).(map[string]any); ok {
				add(m["telephone"])
				add(m["email"])
			} else {
				add(x)
			}
		}
	}
	points(p["applicationContact"])
	for _, o := range items(p["hiringOrganization"], maxListItems) {
		if m, ok := g.resolve(o).(map[string]any); ok {
			add(m["telephone"])
			add(m["email"])
			points(m["contactPoint"])
		}
	}
	add(p["telephone"])
	add(p["email"])
	return oneLine(strings.Join(out, ", "))
}

// contactValue drops the tel: or mailto: scheme of a link.
func contactValue(s string) string {
	for _, p := range []string{"tel:", "callto:", "mailto:"} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			s = s[len(p):]
			if p == "mailto:" {
				s, _, _ = strings.Cut(s, "?")
			}
			return strings.TrimSpace(s)
		}
	}
	return s
}

// lang reads inLanguage: a language tag, or a Language object with one
// as alternateName or name.
func (g *ldGraph) lang(v any) string {
	for _, x := range items(v, maxListItems) {
		x = g.resolve(x)
		if m, ok := x.(map[string]any); ok {
			if _, isValue := m["@value"]; !isValue {
				if l := normLang(str(m["alternateName"])); l != "" {
					return l
				}
				x = m["name"]
			}
		}
		if l := normLang(str(x)); l != "" {
			return l
		}
	}
	return ""
}

// parseDate parses a date as parsePosted does, or in full ISO 8601 with
// a zone, and returns it in UTC; the zero time when it cannot.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, ok := parsePosted(s); ok {
		return t.UTC()
	}
	return parseW3CTime(s)
}

// microdataItem reads the properties of the microdata item n, within a
// budget of properties, into the form JSON-LD is decoded to: a map from
// property name to value, a nested item being a map and any other value
// the *html.Node it is read from (see microdataValue).
func microdataItem(n *html.Node, budget *int, depth int) map[string]any {
	m := map[string]any{}
	if ts := typesOf(attr(n, "itemtype")); len(ts) > 0 {
		m["@type"] = []any{strings.Join(ts, " ")}
	}
	var stack []*html.Node
	push := func(n *html.Node) {
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			if c.Type == html.ElementNode {
				stack = append(stack, c)
			}
		}
	}
	push(n)
	for len(stack) > 0 && *budget > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		scope := hasAttr(c, "itemscope")
		if props := strings.Fields(attr(c, "itemprop")); len(props) > 0 {
			var v any = c
			if scope {
				if depth+1 >= maxJSONDepth {
					continue
				}
				v = microdataItem(c, budget, depth+1)
			}
			for _, p := range props[:min(len(props), maxItempropKeys)] {
				*budget--
				p = stripSchema(p)
				switch old := m[p].(type) {
				case nil:
					m[p] = v
				case []any:
					m[p] = append(old, v)
				default:
					m[p] = []any{old, v}
				}
			}
		}
		if !scope {
			push(c)
		}
	}
	return m
}

// microdataValue is a microdata property's value, as the microdata
// specification takes it from the element.
func microdataValue(n *html.Node) string {
	var v string
	switch n.DataAtom {
	case atom.Meta:
		v = attr(n, "content")
	case atom.Audio, atom.Embed, atom.Iframe, atom.Img, atom.Source, atom.Track, atom.Video:
		v = attr(n, "src")
	case atom.A, atom.Area, atom.Link:
		v = attr(n, "href")
	case atom.Object:
		v = attr(n, "data")
	case atom.Data, atom.Meter:
		v = attr(n, "value")
	case atom.Time:
		if hasAttr(n, "datetime") {
			v = attr(n, "datetime")
		} else {
			return nodesText([]*html.Node{n}, rawTextLimit)
		}
	default:
		return nodesText([]*html.Node{n}, rawTextLimit)
	}
	return truncate(v, rawTextLimit)
}

// textTitle is the text of the first <h1>, else of <title>.
func textTitle(h1, title *html.Node) string {
	for _, n := range []*html.Node{h1, title} {
		if n != nil {
			if s := oneLine(nodesText([]*html.Node{n}, rawTextLimit)); s != "" {
				return s
			}
		}
	}
	return ""
}

// htmlLang is the page's <html lang>, normalised.
func htmlLang(root *html.Node) string {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Html {
			return normLang(attr(c, "lang"))
		}
	}
	return ""
}

// skippedAtoms and blockAtoms are skipped and blocks by atom, quicker to
// look up.
var skippedAtoms, blockAtoms = atomSet(skipped), atomSet(blocks)

func atomSet(names map[string]bool) map[atom.Atom]bool {
	m := map[atom.Atom]bool{}
	for n := range names {
		if a := atom.Lookup([]byte(n)); a != 0 {
			m[a] = true
		}
	}
	return m
}

// excludedTags never hold a page's main text.
var excludedTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Menu: true, atom.Dialog: true,
}

// excludedRoles are the ARIA landmark roles of the same parts of a page.
var excludedRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"search": true, "menu": true, "menubar": true, "dialog": true,
}

// excluded reports whether the element n and all it holds are left out
// of the main text; forms only when withForm is false.
func excluded(n *html.Node, withForm bool) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.Namespace != "" || skippedAtoms[n.DataAtom] || (excludedTags[n.DataAtom] && (n.DataAtom != atom.Form || !withForm)) {
		return true
	}
	return excludedRoles[strings.ToLower(strings.TrimSpace(attr(n, "role")))]
}

// mainText is the text of the page's main block: the <main> element,
// else the first <article>, else the block element with the longest
// direct paragraph text; with nav, header, footer, aside and form left out. When that
// finds no text, forms are searched too.
func mainText(root *html.Node) string {
	for _, withForm := range []bool{false, true} {
		for _, b := range mainBlocks(root, withForm) {
			if s := cleanText(nodesText(cover(b, withForm), rawTextLimit)); s != "" {
				return s
			}
		}
	}
	return ""
}

// mainBlocks returns the candidates for the main block, best first.
func mainBlocks(root *html.Node, withForm bool) []*html.Node {
	type frame struct {
		n         *html.Node
		container *html.Node
		inLink    bool
	}
	var main, article *html.Node
	scores := map[*html.Node]int{}
	var order []*html.Node
	stack := []frame{{n: root}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		switch n.Type {
		case html.TextNode:
			if f.container != nil && !f.inLink {
				if l := utf8.RuneCountInString(strings.TrimSpace(n.Data)); l > 0 {
					if _, ok := scores[f.container]; !ok {
						order = append(order, f.container)
					}
					scores[f.container] += l
				}
			}
			continue
		case html.ElementNode:
			if excluded(n, withForm) {
				continue
			}
			switch {
			case n.DataAtom == atom.Main && main == nil:
				main = n
			case n.DataAtom == atom.Article && article == nil:
				article = n
			}
			if isContainer(n) {
				f.container = n
			}
			f.inLink = f.inLink || n.DataAtom == atom.A
		case html.DocumentNode:
		default:
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c, container: f.container, inLink: f.inLink})
		}
	}
	var out []*html.Node
	for _, n := range []*html.Node{main, article} {
		if n != nil {
			out = append(out, n)
		}
	}
	var best *html.Node
	for _, n := range order {
		if best == nil || scores[n] > scores[best] {
			best = n
		}
	}
	if best != nil {
		out = append(out, best)
	}
	return out
}

// isContainer reports whether n gathers the paragraph text under it:
// a block element other than a paragraph, heading or line break.
func isContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Br, atom.Hr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return false
	case atom.Body:
		return true
	}
	return blockAtoms[n.DataAtom]
}

// cover returns the nodes that together hold root's content without its
// excluded descendants, in document order.
func cover(root *html.Node, withForm bool) []*html.Node {
	dirty := map[*html.Node]bool{}
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !excluded(c, withForm) {
				stack = append(stack, c)
				continue
			}
			for p := c.Parent; p != nil && !dirty[p]; p = p.Parent {
				dirty[p] = true
				if p == root {
					break
				}
			}
		}
	}
	if !dirty[root] {
		return []*html.Node{root}
	}
	var out []*html.Node
	stack = append(stack[:0], root)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !dirty[n] {
			out = append(out, n)
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			if !excluded(c, withForm) {
				stack = append(stack, c)
			}
		}
	}
	return out
}

// walkElements calls fn on every element under root in document order,
// iteratively; fn returning false skips the element's children.
func walkElements(root *html.Node, fn func(*html.Node) bool) {
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && !fn(n) {
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			if c.Type == html.ElementNode || c.Type == html.DocumentNode {
				stack = append(stack, c)
			}
		}
	}
}

// attr returns the value of n's attribute key (lower case), or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
