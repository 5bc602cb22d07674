package demo

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"html"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The two structured layouts read by crawlers without CSS selectors:
// LayoutJSONLD (sitemaps and schema.org JSON-LD, no list pages) and
// LayoutFeed (an RSS feed, OpenGraph tags and schema.org microdata). Their
// ad pages send an ETag and a Last-Modified and answer conditional GETs.

// VacancyPath returns the path of an ad page of a LayoutJSONLD site, e.g.
// "/vakansii-kz/vacancy/povar-almaty".
func VacancyPath(site, slug string) string { return "/" + site + "/vacancy/" + slug }

// ItemPath returns the path of an ad page of a LayoutFeed site, e.g.
// "/bazar-kg/item/satuuchu-bishkek".
func ItemPath(site, slug string) string { return "/" + site + "/item/" + slug }

// SitemapIndexPath returns the path of a LayoutJSONLD site's gzipped
// sitemap index, which robots.txt names.
func SitemapIndexPath(site string) string { return "/" + site + "/sitemap.xml.gz" }

// SitemapPaths returns the paths of the sitemaps a LayoutJSONLD site's
// index names: two gzipped sitemaps of ad pages, then a plain one of its
// other pages.
func SitemapPaths(site string) []string {
	return []string{"/" + site + "/sitemaps/vacancies-1.xml.gz", "/" + site + "/sitemaps/vacancies-2.xml.gz",
		"/" + site + "/sitemaps/pages.xml"}
}

// InfoPaths returns the paths of a LayoutJSONLD site's pages that are not
// ads: its home page, "about" and "employers".
func InfoPaths(site string) []string {
	return []string{"/" + site + "/", "/" + site + "/about", "/" + site + "/employers"}
}

// FeedPath returns the path of a LayoutFeed site's RSS feed.
func FeedPath(site string) string { return "/" + site + "/rss.xml" }

// FeedHomeSize is the number of ads a LayoutFeed home page shows.
const FeedHomeSize = 30

// maxHost bounds the Host header copied into absolute URLs.
const maxHost = 255

// baseURL returns "http://" and the request's host, or "http://localhost"
// when the host is empty, too long or holds a character no host has: the
// host is copied into sitemaps, feeds and robots.txt.
func baseURL(r *http.Request) string {
	h := r.Host
	ok := h != "" && len(h) <= maxHost
	for i := 0; ok && i < len(h); i++ {
		c := h[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-:[]", c) >= 0
	}
	if !ok {
		h = "localhost"
	}
	return "http://" + h
}

// serveConditional sends body with a strong ETag (a hash of body) and,
// unless modified is zero, a Last-Modified, answering 304 to a matching
// If-None-Match or a not-older If-Modified-Since, and HEAD without a body.
func serveConditional(w http.ResponseWriter, r *http.Request, body []byte, contentType string, modified time.Time) {
	sum := sha256.Sum256(body)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	w.Header().Set("Content-Type", contentType)
	http.ServeContent(w, r, "", modified.UTC(), bytes.NewReader(body))
}

// Block is one paragraph of an ad's body, or a list: the "- " lines that
// end a paragraph make a list, and the lines before them (a heading such
// as "Requirements:") a paragraph of their own.
type Block struct {
	Text  string
	Items []string
}

// Blocks splits the body into paragraphs and lists.
func (a Ad) Blocks() []Block {
	var out []Block
	for _, p := range a.Paragraphs() {
		lines := strings.Split(p, "\n")
		first := len(lines) // the first line of the list
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "- ") {
				first = i
				break
			}
		}
		var items []string
		for _, l := range lines[first:] {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "- ") {
				items, first = nil, len(lines) // not a list after all
				break
			}
			items = append(items, strings.TrimSpace(l[2:]))
		}
		if text := strings.Join(strings.Fields(strings.Join(lines[:first], " ")), " "); text != "" {
			out = append(out, Block{Text: text})
		}
		if items != nil {
			out = append(out, Block{Items: items})
		}
	}
	return out
}

// descriptionHTML returns the body as HTML: <p> paragraphs and <ul> lists.
func descriptionHTML(a Ad) string {
	var b strings.Builder
	for _, bl := range a.Blocks() {
		if bl.Items == nil {
			b.WriteString("<p>" + html.EscapeString(bl.Text) + "</p>")
			continue
		}
		b.WriteString("<ul>")
		for _, it := range bl.Items {
			b.WriteString("<li>" + html.EscapeString(it) + "</li>")
		}
		b.WriteString("</ul>")
	}
	return b.String()
}

// firstParagraph returns the first block of the body as plain text.
func firstParagraph(a Ad) string {
	bl := a.Blocks()
	if len(bl) == 0 {
		return ""
	}
	if bl[0].Items != nil {
		return strings.Join(bl[0].Items, "; ")
	}
	return bl[0].Text
}

// isEmail reports whether an ad's contact is a bare e-mail address.
func isEmail(c string) bool { return strings.Contains(c, "@") && !strings.ContainsAny(c, " \t") }

// locale returns the OpenGraph locale of a language.
func locale(lang string) string {
	switch lang {
	case "ky":
		return "ky_KG"
	case "kk":
		return "kk_KZ"
	case "ru":
		return "ru_RU"
	}
	return "en_US"
}

// --- JSON-LD layout ---

var (
	jsonLDTmpl = parse("jsonld.html")
	feedTmpl   = parse("feed.html")
)

func (h *siteHandler) jsonLDRoutes(mux *http.ServeMux) {
	id := h.site.ID
	info := InfoPaths(id)
	mux.HandleFunc("GET "+info[0]+"{$}", h.infoPage("home"))
	mux.HandleFunc("GET "+info[1], h.infoPage("about"))
	mux.HandleFunc("GET "+info[2], h.infoPage("employers"))
	mux.HandleFunc("GET /"+id+"/vacancy/{slug}", h.vacancy)
	mux.HandleFunc("GET "+SitemapIndexPath(id), h.sitemapIndex)
	maps := SitemapPaths(id)
	mux.HandleFunc("GET "+maps[0], h.vacancySitemap(0))
	mux.HandleFunc("GET "+maps[1], h.vacancySitemap(1))
	mux.HandleFunc("GET "+maps[2], h.pagesSitemap)
}

type infoPage struct {
	Site  Site
	Title string
	Page  string
	Ad    Ad // none: the page is no ad
}

func (h *siteHandler) infoPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		render(w, jsonLDTmpl, "info", infoPage{Site: h.site, Title: h.site.Name, Page: name}, "", nil)
	}
}

// JSON-LD shapes of a schema.org JobPosting, as real sites vary them.
type (
	ldAddress struct {
		Type     string `json:"@type"`
		Locality string `json:"addressLocality"`
		Country  string `json:"addressCountry"`
	}
	ldPlace struct {
		Type    string    `json:"@type"`
		Address ldAddress `json:"address"`
	}
	ldQuantity struct {
		Type  string  `json:"@type"`
		Value float64 `json:"value,omitempty"`
		Min   float64 `json:"minValue,omitempty"`
		Max   float64 `json:"maxValue,omitempty"`
		Unit  string  `json:"unitText"`
	}
	ldMoney struct {
		Type     string     `json:"@type"`
		Currency string     `json:"currency"`
		Value    ldQuantity `json:"value"`
	}
	ldContact struct {
		Type      string `json:"@type"`
		Telephone string `json:"telephone,omitempty"`
		Email     string `json:"email,omitempty"`
	}
	ldOrg struct {
		Type string `json:"@type,omitempty"`
		ID   string `json:"@id,omitempty"`
		Name string `json:"name,omitempty"`
	}
	ldJobPosting struct {
		Context            string     `json:"@context,omitempty"`
		Type               any        `json:"@type"`
		Title              string     `json:"title"`
		Description        string     `json:"description"`
		URL                string     `json:"url"`
		DatePosted         string     `json:"datePosted"`
		DateModified       string     `json:"dateModified,omitempty"`
		ValidThrough       string     `json:"validThrough,omitempty"`
		EmploymentType     string     `json:"employmentType"`
		HiringOrganization any        `json:"hiringOrganization"`
		JobLocation        ldPlace    `json:"jobLocation"`
		BaseSalary         ldMoney    `json:"baseSalary"`
		ApplicationContact *ldContact `json:"applicationContact,omitempty"`
		InLanguage         string     `json:"inLanguage,omitempty"`
	}
	ldGraph struct {
		Context string `json:"@context"`
		Graph   []any  `json:"@graph"`
	}
)

// JSON-LD shapes, chosen by an ad's position on its site.
const (
	shapeObject    = iota // one JobPosting object
	shapeGraph            // "@graph" with an Organization referenced by "@id"
	shapeArray            // a one-element array
	shapeTypeArray        // "@type": ["JobPosting"]
	shapeOrgString        // hiringOrganization as a plain string
	shapes
)

const schemaOrg = "https://schema.org"

func salary(p Pay) ldMoney {
	q := ldQuantity{Type: "QuantitativeValue", Unit: p.Unit}
	if p.Min == p.Max {
		q.Value = p.Min
	} else {
		q.Min, q.Max = p.Min, p.Max
	}
	return ldMoney{Type: "MonetaryAmount", Currency: p.Currency, Value: q}
}

func employment(a Ad) string {
	if a.Employment != "" {
		return a.Employment
	}
	return "FULL_TIME"
}

// jobPostingJSON returns the JSON-LD of an ad in the given shape, encoded
// with encoding/json (which escapes <, > and &, so that it cannot end the
// script element it is put in).
func jobPostingJSON(a Ad, base string, shape int) ([]byte, error) {
	page := base + VacancyPath(a.Site, a.Slug)
	jp := ldJobPosting{
		Context:            schemaOrg,
		Type:               "JobPosting",
		Title:              a.Title,
		Description:        descriptionHTML(a),
		URL:                page,
		DatePosted:         a.Posted.Format(time.RFC3339),
		EmploymentType:     employment(a),
		HiringOrganization: ldOrg{Type: "Organization", Name: a.Employer},
		JobLocation:        ldPlace{Type: "Place", Address: ldAddress{Type: "PostalAddress", Locality: a.Location, Country: a.Country}},
		BaseSalary:         salary(a.Pay),
		InLanguage:         a.Lang,
	}
	if !a.Updated.Equal(a.Posted) {
		jp.DateModified = a.Updated.Format(time.RFC3339)
	}
	if !a.ValidThrough.IsZero() {
		jp.ValidThrough = a.ValidThrough.Format(time.RFC3339)
	}
	if a.Contact != "" {
		c := &ldContact{Type: "ContactPoint", Telephone: a.Contact}
		if isEmail(a.Contact) {
			c.Telephone, c.Email = "", a.Contact
		}
		jp.ApplicationContact = c
	}
	var v any = jp
	switch shape % shapes {
	case shapeGraph:
		org := ldOrg{Type: "Organization", ID: page + "#organization", Name: a.Employer}
		jp.Context = ""
		jp.HiringOrganization = ldOrg{ID: org.ID}
		v = ldGraph{Context: schemaOrg, Graph: []any{org, jp}}
	case shapeArray:
		v = []any{jp}
	case shapeTypeArray:
		jp.Type = []string{"JobPosting"}
		v = jp
	case shapeOrgString:
		jp.HiringOrganization = a.Employer
		v = jp
	}
	return json.MarshalIndent(v, "", "  ")
}

type vacancyPage struct {
	Site        Site
	Title       string
	Ad          Ad
	Canonical   string
	JSONLD      template.JS
	Description string
	Expired     bool
}

func (h *siteHandler) vacancy(w http.ResponseWriter, r *http.Request) {
	i, ok := h.bySlug[r.PathValue("slug")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a := h.site.Ads[i]
	if h.goneIfRemoved(w, a) || h.serveBroken(w, r, a) {
		return
	}
	base := baseURL(r)
	js, err := jobPostingJSON(a, base, i)
	if err != nil {
		slog.Error("demo: json-ld", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	data := vacancyPage{Site: h.site, Title: a.Title + " — " + h.site.Name, Ad: a, Canonical: base + VacancyPath(a.Site, a.Slug),
		JSONLD: template.JS(js), Description: snippet(a), Expired: a.Expired(time.Now())}
	body, ct, ok := execute(w, jsonLDTmpl, "vacancy", data, "", mutator(a))
	if ok {
		serveConditional(w, r, body, ct, a.Updated)
	}
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type (
	sitemapEntry struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	sitemapURLSet struct {
		XMLName xml.Name       `xml:"urlset"`
		NS      string         `xml:"xmlns,attr"`
		URLs    []sitemapEntry `xml:"url"`
	}
	sitemapIndexDoc struct {
		XMLName  xml.Name       `xml:"sitemapindex"`
		NS       string         `xml:"xmlns,attr"`
		Sitemaps []sitemapEntry `xml:"sitemap"`
	}
)

// vacancyPart returns the visible ads of part n (0 or 1) of the ad
// sitemaps: the first half of the site's ads, newest first, or the rest.
// The split is by position among all ads, so a removal moves no other ad.
func (h *siteHandler) vacancyPart(n int) []Ad {
	half := (len(h.site.Ads) + 1) / 2
	part := h.site.Ads[:half]
	if n == 1 {
		part = h.site.Ads[half:]
	}
	return h.visible(part)
}

func xmlBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b) // writes to a bytes.Buffer do not fail
	zw.Close()
	return out.Bytes()
}

// serveXML encodes v, gzipped when zip is set, and serves it with an
// ETag.
func serveXML(w http.ResponseWriter, r *http.Request, v any, zip bool, contentType string) {
	b, err := xmlBytes(v)
	if err != nil {
		slog.Error("demo: xml", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if zip {
		b, contentType = gzipBytes(b), "application/gzip"
	}
	serveConditional(w, r, b, contentType, time.Time{})
}

func lastmod(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (h *siteHandler) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	doc := sitemapIndexDoc{NS: sitemapNS}
	maps := SitemapPaths(h.site.ID)
	for n := range 2 {
		e := sitemapEntry{Loc: base + maps[n]}
		var newest time.Time
		for _, a := range h.vacancyPart(n) {
			if a.Updated.After(newest) {
				newest = a.Updated
			}
		}
		if !newest.IsZero() {
			e.LastMod = lastmod(newest)
		}
		doc.Sitemaps = append(doc.Sitemaps, e)
	}
	doc.Sitemaps = append(doc.Sitemaps, sitemapEntry{Loc: base + maps[2]})
	serveXML(w, r, doc, true, "")
}

func (h *siteHandler) vacancySitemap(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		base := baseURL(r)
		doc := sitemapURLSet{NS: sitemapNS}
		for _, a := range h.vacancyPart(n) {
			doc.URLs = append(doc.URLs, sitemapEntry{Loc: base + VacancyPath(a.Site, a.Slug), LastMod: lastmod(a.Updated)})
		}
		serveXML(w, r, doc, true, "")
	}
}

func (h *siteHandler) pagesSitemap(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	doc := sitemapURLSet{NS: sitemapNS}
	for _, p := range InfoPaths(h.site.ID) {
		doc.URLs = append(doc.URLs, sitemapEntry{Loc: base + p})
	}
	serveXML(w, r, doc, false, "application/xml; charset=utf-8")
}

// --- feed layout ---

func (h *siteHandler) feedRoutes(mux *http.ServeMux) {
	id := h.site.ID
	mux.HandleFunc("GET /"+id+"/{$}", h.feedHome)
	mux.HandleFunc("GET "+FeedPath(id), h.feed)
	mux.HandleFunc("GET /"+id+"/item/{slug}", h.feedItem)
}

type feedPage struct {
	Site      Site
	Title     string
	Ads       []Ad
	Ad        Ad
	Canonical string
	Summary   string
	Locale    string
	// OrgContact puts the telephone in the hiring organization rather
	// than in an applicationContact.
	OrgContact bool
}

func (h *siteHandler) feedHome(w http.ResponseWriter, r *http.Request) {
	ads := h.visible(h.site.Ads)
	if len(ads) > FeedHomeSize {
		ads = ads[:FeedHomeSize]
	}
	render(w, feedTmpl, "home", feedPage{Site: h.site, Title: h.site.Name, Ads: ads}, "", nil)
}

type (
	rssGUID struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	}
	rssItem struct {
		Title       string  `xml:"title"`
		Link        string  `xml:"link"`
		Description string  `xml:"description"`
		PubDate     string  `xml:"pubDate"`
		GUID        rssGUID `xml:"guid"`
		Category    string  `xml:"category,omitempty"`
	}
	rssChannel struct {
		Title         string    `xml:"title"`
		Link          string    `xml:"link"`
		Description   string    `xml:"description"`
		Language      string    `xml:"language"`
		LastBuildDate string    `xml:"lastBuildDate,omitempty"`
		Items         []rssItem `xml:"item"`
	}
	rssDoc struct {
		XMLName xml.Name   `xml:"rss"`
		Version string     `xml:"version,attr"`
		Channel rssChannel `xml:"channel"`
	}
)

func (h *siteHandler) feed(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	doc := rssDoc{Version: "2.0", Channel: rssChannel{Title: h.site.Name, Link: base + h.site.Home(),
		Description: h.site.Tagline, Language: h.site.Lang}}
	ads := h.visible(h.site.Ads) // newest first
	if len(ads) > 0 {
		doc.Channel.LastBuildDate = ads[0].Posted.Format(time.RFC1123Z)
	}
	for _, a := range ads {
		doc.Channel.Items = append(doc.Channel.Items, rssItem{Title: a.Title, Link: base + ItemPath(a.Site, a.Slug),
			Description: firstParagraph(a), PubDate: a.Posted.Format(time.RFC1123Z),
			GUID: rssGUID{IsPermaLink: "false", Value: a.Slug}, Category: a.Category})
	}
	serveXML(w, r, doc, false, "application/rss+xml; charset=utf-8")
}

func (h *siteHandler) feedItem(w http.ResponseWriter, r *http.Request) {
	i, ok := h.bySlug[r.PathValue("slug")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a := h.site.Ads[i]
	if h.goneIfRemoved(w, a) || h.serveBroken(w, r, a) {
		return
	}
	data := feedPage{Site: h.site, Title: a.Title + " — " + h.site.Name, Ad: a,
		Canonical: baseURL(r) + ItemPath(a.Site, a.Slug), Summary: firstParagraph(a), Locale: locale(a.Lang),
		OrgContact: i%2 == 0}
	body, ct, ok := execute(w, feedTmpl, "item", data, "", mutator(a))
	if ok {
		serveConditional(w, r, body, ct, a.Updated)
	}
}

// num formats a pay amount for a content attribute.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
