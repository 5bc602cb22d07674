package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lure/ad"
)

// TryResult is what one page gave with a profile's selectors: the list
// selectors, the ad field selectors (both are tried on every page, since
// a page is one or the other), or, for a telegram profile, the posts.
type TryResult struct {
	URL         string // the page's final URL, after redirects
	Status      int
	ContentType string
	Bytes       int

	Items int      // elements list.item matched
	Links []string // ad links found with list.link, absolute
	Next  string   // the next list page, absolute, or ""

	Fields map[string]string // field name -> text each field selector read
	Ad     *ad.Ad            // the ad read from the page, if it is one
	AdErr  error             // why the page is not an ad

	Posts []Post // telegram profiles: the posts on the page

	// Structured is what the page's structured data gave (sitemap and
	// feed profiles).
	Structured *Structured
}

// maxTryLinks bounds TryResult.Links.
const maxTryLinks = 50

// Try fetches one page with the crawler's fetching rules (robots.txt,
// User-Agent, timeouts, size and redirect limits from opts and the
// profile) and applies the profile's selectors to it, for setting up and
// debugging a profile. pageURL must be on a host the profile allows.
func Try(ctx context.Context, p Profile, pageURL string, opts Options) (*TryResult, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("crawler: profile %s: %w", p.Site, err)
	}
	opts.setDefaults()
	p = p.withDefaults()
	base, _ := p.baseURL()
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("crawler: try: %q is not an http or https URL", pageURL)
	}
	if !p.allowsHost(base, u.Hostname()) {
		return nil, fmt.Errorf("crawler: try: %s is not on the profile's hosts (%v); set base_url or allowed_domains", pageURL, p.hosts(base))
	}
	c, err := newCollector(ctx, &p, &opts)
	if err != nil {
		return nil, err
	}
	var (
		res     TryResult
		raw     []byte
		ct      string
		tooBig  bool
		fetchEr error
	)
	c.OnResponseHeaders(func(r *colly.Response) {
		ct = r.Headers.Get("Content-Type")
		if r.StatusCode >= 200 && r.StatusCode < 300 {
			if mt := stripParams(ct); mt != "" {
				r.Headers.Set("Content-Type", mt)
			}
		}
	})
	c.OnResponse(func(r *colly.Response) {
		res.URL, res.Status, raw = r.Request.URL.String(), r.StatusCode, r.Body
	})
	c.OnError(func(r *colly.Response, err error) {
		res.URL, res.Status = r.Request.URL.String(), r.StatusCode
		fetchEr = err
	})
	if err := c.Visit(pageURL); err != nil && fetchEr == nil {
		return nil, fmt.Errorf("crawler: try %s: %w", pageURL, err) // robots.txt, a bad URL
	}
	c.Wait()
	res.ContentType, res.Bytes = ct, len(raw)
	if len(raw) > opts.MaxBodyBytes {
		tooBig = true
	}
	switch {
	case fetchEr != nil && res.Status != 0:
		return &res, fmt.Errorf("crawler: try %s: status %d", pageURL, res.Status)
	case fetchEr != nil:
		return &res, fmt.Errorf("crawler: try %s: %w", pageURL, fetchEr)
	case tooBig:
		return &res, fmt.Errorf("crawler: try %s: larger than %d bytes", pageURL, opts.MaxBodyBytes)
	case !isHTML(ct, raw):
		return &res, fmt.Errorf("crawler: try %s: not an HTML page (Content-Type %q)", pageURL, ct)
	}
	body, err := decodeBody(raw, ct, p.Charset)
	if err != nil {
		return &res, fmt.Errorf("crawler: try %s: %w", pageURL, err)
	}
	doc, err := parseHTML(body)
	if err != nil {
		return &res, fmt.Errorf("crawler: try %s: %w", pageURL, err)
	}
	final, _ := url.Parse(res.URL)
	abs := func(href string) string {
		r, err := url.Parse(href)
		if err != nil || final == nil {
			return ""
		}
		return final.ResolveReference(r).String()
	}
	now := time.Now().UTC()
	if p.IsTelegram() {
		posts, next, err := p.channelDoc(res.URL, doc, now)
		if err != nil {
			return &res, err
		}
		res.Posts, res.Next = posts, next
		return &res, nil
	}
	items := doc.Find(p.List.Item)
	res.Items = items.Length()
	for i := 0; i < items.Length() && len(res.Links) < maxTryLinks; i++ {
		if href, ok := items.Eq(i).Find(p.List.Link).Attr("href"); ok && href != "" {
			res.Links = append(res.Links, abs(href))
		}
	}
	if p.List.Next != "" {
		if href, ok := doc.Find(p.List.Next).First().Attr("href"); ok && href != "" {
			res.Next = abs(href)
		}
	}
	res.Fields = map[string]string{}
	for _, f := range p.Fields.named() {
		res.Fields[f.name] = selectText(doc, f.sel)
	}
	if p.structured() {
		st := ExtractStructured(doc)
		res.Structured = &st
	}
	a, err := p.extractDoc(res.URL, doc, now)
	if err != nil {
		res.AdErr = err
		if !errors.Is(err, ErrMissingField) {
			res.AdErr = fmt.Errorf("crawler: %w", err)
		}
	} else {
		res.Ad = &a
	}
	return &res, nil
}

func stripParams(ct string) string {
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			return ct[:i]
		}
	}
	return ct
}
