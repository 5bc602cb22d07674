package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// gunzip returns the ungzipped body, failing the test on a bad stream.
func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, 1<<20))
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(b)
}

// sitemapDoc reads both a <urlset> and a <sitemapindex>.
type sitemapDoc struct {
	XMLName xml.Name
	Entries []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:",any"`
}

func readSitemap(t *testing.T, base, path string, zipped bool) sitemapDoc {
	t.Helper()
	resp, body := fetch(t, http.DefaultClient, base+path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	if zipped {
		if ct != "application/gzip" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		body = gunzip(t, body)
	} else if !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	var doc sitemapDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if doc.XMLName.Space != sitemapNS {
		t.Errorf("%s: namespace %q", path, doc.XMLName.Space)
	}
	return doc
}

func siteByID(t *testing.T, id string) Site {
	t.Helper()
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no site %s", id)
	return Site{}
}

func TestSitemapIndex(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	doc := readSitemap(t, srv.URL, SitemapIndexPath("vakansii-kz"), true)
	if doc.XMLName.Local != "sitemapindex" {
		t.Fatalf("root %q, want sitemapindex", doc.XMLName.Local)
	}
	var locs []string
	for _, e := range doc.Entries {
		locs = append(locs, e.Loc)
		if e.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, e.LastMod); err != nil {
				t.Errorf("lastmod %q: %v", e.LastMod, err)
			}
		}
	}
	var want []string
	for _, p := range SitemapPaths("vakansii-kz") {
		want = append(want, srv.URL+p)
	}
	if !slices.Equal(locs, want) {
		t.Errorf("index names %v, want %v", locs, want)
	}
	if doc.Entries[0].LastMod == "" || doc.Entries[1].LastMod == "" {
		t.Error("an ad sitemap has no lastmod")
	}
}

// ldNode finds the JobPosting in decoded JSON-LD (an object, an array or
// a "@graph") and returns it with the nodes that carry an "@id".
func ldNode(v any, ids map[string]map[string]any) map[string]any {
	switch v := v.(type) {
	case []any:
		var found map[string]any
		for _, x := range v {
			if n := ldNode(x, ids); n != nil {
				found = n
			}
		}
		return found
	case map[string]any:
		if id, ok := v["@id"].(string); ok && v["@type"] != nil {
			ids[id] = v
		}
		if g, ok := v["@graph"]; ok {
			return ldNode(g, ids)
		}
		switch ty := v["@type"].(type) {
		case string:
			if ty == "JobPosting" {
				return v
			}
		case []any:
			if slices.Contains(ty, any("JobPosting")) {
				return v
			}
		}
	}
	return nil
}

func ldGet(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestSitemapsAndJSONLD(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	count := map[string]int{}
	for _, p := range SitemapPaths("vakansii-kz")[:2] {
		doc := readSitemap(t, srv.URL, p, true)
		if doc.XMLName.Local != "urlset" || len(doc.Entries) == 0 {
			t.Fatalf("%s: root %q with %d URLs", p, doc.XMLName.Local, len(doc.Entries))
		}
		for _, e := range doc.Entries {
			count[e.Loc]++
		}
	}
	s := siteByID(t, "vakansii-kz")
	shapes := map[string]int{}
	for _, a := range s.Ads {
		u := srv.URL + VacancyPath(s.ID, a.Slug)
		if count[u] != 1 {
			t.Errorf("%s is in the sitemaps %d times, want once", a.Slug, count[u])
		}
		delete(count, u)
		code, doc := get(t, srv.URL, VacancyPath(s.ID, a.Slug))
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", a.Slug, code)
		}
		if doc.Find("a[href*='/vacancy/']").Length() != 0 {
			t.Errorf("%s links other vacancies", a.Slug)
		}
		scripts := doc.Find(`script[type="application/ld+json"]`)
		if scripts.Length() != 1 {
			t.Fatalf("%s: %d JSON-LD scripts", a.Slug, scripts.Length())
		}
		raw := scripts.Text()
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatalf("%s: %v", a.Slug, err)
		}
		ids := map[string]map[string]any{}
		jp := ldNode(v, ids)
		if jp == nil {
			t.Fatalf("%s: no JobPosting in %s", a.Slug, raw)
		}
		switch {
		case strings.HasPrefix(strings.TrimSpace(raw), "["):
			shapes["array"]++
		case strings.Contains(raw, `"@graph"`):
			shapes["graph"]++
		}
		if _, ok := jp["@type"].([]any); ok {
			shapes["type array"]++
		}
		org := jp["hiringOrganization"]
		switch o := org.(type) {
		case string:
			shapes["org string"]++
		case map[string]any:
			if id, ok := o["@id"].(string); ok && o["name"] == nil {
				org = ids[id]
			}
			org = ldGet(org, "name")
		}
		if org != a.Employer {
			t.Errorf("%s: hiring organization %v, want %q", a.Slug, org, a.Employer)
		}
		if jp["title"] != a.Title {
			t.Errorf("%s: title %v", a.Slug, jp["title"])
		}
		desc, _ := jp["description"].(string)
		if !strings.HasPrefix(desc, "<p>") || !strings.Contains(desc, firstParagraph(a)) {
			t.Errorf("%s: description %.80q", a.Slug, desc)
		}
		if dp, _ := jp["datePosted"].(string); dp != a.Posted.Format(time.RFC3339) {
			t.Errorf("%s: datePosted %q", a.Slug, dp)
		}
		if loc := ldGet(jp, "jobLocation", "address", "addressLocality"); loc != a.Location {
			t.Errorf("%s: addressLocality %v, want %q", a.Slug, loc, a.Location)
		}
		if c := ldGet(jp, "jobLocation", "address", "addressCountry"); c != a.Country {
			t.Errorf("%s: addressCountry %v", a.Slug, c)
		}
		if cur := ldGet(jp, "baseSalary", "currency"); cur != a.Pay.Currency {
			t.Errorf("%s: currency %v", a.Slug, cur)
		}
		lo, hi := ldGet(jp, "baseSalary", "value", "minValue"), ldGet(jp, "baseSalary", "value", "maxValue")
		if a.Pay.Min == a.Pay.Max {
			lo, hi = ldGet(jp, "baseSalary", "value", "value"), ldGet(jp, "baseSalary", "value", "value")
		}
		if lo != a.Pay.Min || hi != a.Pay.Max || ldGet(jp, "baseSalary", "value", "unitText") != a.Pay.Unit {
			t.Errorf("%s: salary %v-%v, want %+v", a.Slug, lo, hi, a.Pay)
		}
		contact := ldGet(jp, "applicationContact", "telephone")
		if isEmail(a.Contact) {
			contact = ldGet(jp, "applicationContact", "email")
		}
		if contact != a.Contact {
			t.Errorf("%s: contact %v", a.Slug, contact)
		}
		if vt, ok := jp["validThrough"].(string); ok {
			tm, err := time.Parse(time.RFC3339, vt)
			if err != nil || !tm.Equal(a.ValidThrough) {
				t.Errorf("%s: validThrough %q", a.Slug, vt)
			}
		} else if !a.ValidThrough.IsZero() {
			t.Errorf("%s: no validThrough", a.Slug)
		}
		// The visible page shows the same text.
		if got := doc.Find("h1").Text(); got != a.Title {
			t.Errorf("%s: h1 %q", a.Slug, got)
		}
		if !strings.Contains(doc.Text(), a.Salary) || !strings.Contains(doc.Text(), a.Contact) {
			t.Errorf("%s: the page does not show the salary and contact", a.Slug)
		}
	}
	if len(count) != 0 {
		t.Errorf("the sitemaps list unknown URLs %v", count)
	}
	for _, k := range []string{"array", "graph", "type array", "org string"} {
		if shapes[k] == 0 {
			t.Errorf("no page has the %s shape (%v)", k, shapes)
		}
	}
}

func TestPagesSitemap(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	doc := readSitemap(t, srv.URL, SitemapPaths("vakansii-kz")[2], false)
	if len(doc.Entries) != 3 {
		t.Fatalf("%d pages, want 3", len(doc.Entries))
	}
	for i, e := range doc.Entries {
		if e.Loc != srv.URL+InfoPaths("vakansii-kz")[i] {
			t.Errorf("loc %q", e.Loc)
		}
		resp, body := fetch(t, http.DefaultClient, e.Loc)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "</html>") {
			t.Errorf("%s: status %d", e.Loc, resp.StatusCode)
		}
	}
	// The home page has a search form and links no vacancy.
	_, home := get(t, srv.URL, "/vakansii-kz/")
	if home.Find(`form[action="/vakansii-kz/search"] input[name=q]`).Length() != 1 {
		t.Error("home page lacks its search form")
	}
	if n := home.Find("a[href*='/vacancy/']").Length(); n != 0 {
		t.Errorf("home page links %d vacancies, want none", n)
	}
}

type rssFeed struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Link  string `xml:"link"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
			PubDate     string `xml:"pubDate"`
			GUID        struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				Value       string `xml:",chardata"`
			} `xml:"guid"`
		} `xml:"item"`
	} `xml:"channel"`
}

func readFeed(t *testing.T, base string) rssFeed {
	t.Helper()
	resp, body := fetch(t, http.DefaultClient, base+FeedPath("bazar-kg"))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/rss+xml") {
		t.Fatalf("feed: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var f rssFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFeed(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	f := readFeed(t, srv.URL)
	s := siteByID(t, "bazar-kg")
	if f.Version != "2.0" || f.Channel.Link != srv.URL+"/bazar-kg/" {
		t.Errorf("version %q, link %q", f.Version, f.Channel.Link)
	}
	if len(f.Channel.Items) != len(s.Ads) {
		t.Fatalf("%d items, want %d", len(f.Channel.Items), len(s.Ads))
	}
	inFeed := map[string]bool{}
	var prev time.Time
	for i, it := range f.Channel.Items {
		a := s.Ads[i]
		if it.Link != srv.URL+ItemPath(s.ID, a.Slug) || it.Title != a.Title || it.Description != firstParagraph(a) {
			t.Errorf("item %d: %q %q %.40q", i, it.Link, it.Title, it.Description)
		}
		if it.GUID.Value != a.Slug || it.GUID.IsPermaLink != "false" {
			t.Errorf("item %d: guid %+v", i, it.GUID)
		}
		pub, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil || !pub.Equal(a.Posted) || (i > 0 && pub.After(prev)) {
			t.Errorf("item %d: pubDate %q (%v) not newest first", i, it.PubDate, err)
		}
		prev = pub
		inFeed[strings.TrimPrefix(it.Link, srv.URL)] = true
	}
	_, home := get(t, srv.URL, "/bazar-kg/")
	if href, _ := home.Find(`head link[rel="alternate"][type="application/rss+xml"]`).Attr("href"); href != FeedPath("bazar-kg") {
		t.Errorf("home page feed link %q", href)
	}
	cards := home.Find(".card a")
	if cards.Length() != len(s.Ads) {
		t.Errorf("home page shows %d ads, want %d", cards.Length(), len(s.Ads))
	}
	cards.Each(func(_ int, c *goquery.Selection) {
		if href, _ := c.Attr("href"); !inFeed[href] {
			t.Errorf("visible ad %s is not in the feed", href)
		}
	})
}

func TestMicrodataAndOpenGraph(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	s := siteByID(t, "bazar-kg")
	var inOrg, inContact int
	for _, a := range s.Ads {
		code, doc := get(t, srv.URL, ItemPath(s.ID, a.Slug))
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", a.Slug, code)
		}
		og := func(p string) string {
			v, _ := doc.Find(`meta[property="og:` + p + `"]`).Attr("content")
			return v
		}
		if og("title") != a.Title || og("description") != firstParagraph(a) || og("type") != "article" ||
			og("url") != srv.URL+ItemPath(s.ID, a.Slug) || og("locale") != locale(a.Lang) {
			t.Errorf("%s: OpenGraph %q %q %q %q", a.Slug, og("title"), og("type"), og("url"), og("locale"))
		}
		if doc.Find(`script[type="application/ld+json"]`).Length() != 0 {
			t.Errorf("%s: has JSON-LD", a.Slug)
		}
		jp := doc.Find(`[itemscope][itemtype="https://schema.org/JobPosting"]`)
		if jp.Length() != 1 {
			t.Fatalf("%s: %d JobPosting items", a.Slug, jp.Length())
		}
		prop := func(sel string) *goquery.Selection { return jp.Find(sel) }
		if got := prop(`[itemprop="title"]`).Text(); got != a.Title {
			t.Errorf("%s: title %q", a.Slug, got)
		}
		if got := prop(`[itemprop="description"] p`).First().Text(); got != a.Blocks()[0].Text {
			t.Errorf("%s: description %q", a.Slug, got)
		}
		if dt, _ := prop(`time[itemprop="datePosted"]`).Attr("datetime"); dt != a.Posted.Format(time.RFC3339) {
			t.Errorf("%s: datePosted %q", a.Slug, dt)
		}
		loc := prop(`[itemprop="jobLocation"][itemtype="https://schema.org/Place"] [itemprop="address"][itemtype="https://schema.org/PostalAddress"] [itemprop="addressLocality"]`)
		if loc.Text() != a.Location {
			t.Errorf("%s: addressLocality %q", a.Slug, loc.Text())
		}
		pay := prop(`[itemprop="baseSalary"][itemtype="https://schema.org/MonetaryAmount"]`)
		if cur, _ := pay.Find(`meta[itemprop="currency"]`).Attr("content"); cur != a.Pay.Currency {
			t.Errorf("%s: currency %q", a.Slug, cur)
		}
		lo, _ := pay.Find(`meta[itemprop="value"]`).Attr("content")
		hi := lo
		if a.Pay.Min != a.Pay.Max {
			lo, _ = pay.Find(`[itemprop="value"] meta[itemprop="minValue"]`).Attr("content")
			hi, _ = pay.Find(`[itemprop="value"] meta[itemprop="maxValue"]`).Attr("content")
		}
		if lo != num(a.Pay.Min) || hi != num(a.Pay.Max) || !strings.Contains(pay.Text(), a.Salary) {
			t.Errorf("%s: salary %q-%q, want %+v", a.Slug, lo, hi, a.Pay)
		}
		tel := `[itemprop="telephone"]`
		if isEmail(a.Contact) {
			tel = `[itemprop="email"]`
		}
		if c := prop(`[itemprop="hiringOrganization"] ` + tel); c.Length() == 1 {
			inOrg++
			if c.Text() != a.Contact {
				t.Errorf("%s: contact %q", a.Slug, c.Text())
			}
		} else if c := prop(`[itemprop="applicationContact"] ` + tel); c.Length() == 1 {
			inContact++
			if c.Text() != a.Contact {
				t.Errorf("%s: contact %q", a.Slug, c.Text())
			}
		} else {
			t.Errorf("%s: no telephone", a.Slug)
		}
		if got := prop(`[itemprop="hiringOrganization"] [itemprop="name"]`).Text(); got != a.Employer {
			t.Errorf("%s: employer %q", a.Slug, got)
		}
	}
	if inOrg == 0 || inContact == 0 {
		t.Errorf("contacts: %d in the organization, %d in applicationContact; want both", inOrg, inContact)
	}
}

func TestConditionalGET(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	do := func(method, path string, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	vk, bz := siteByID(t, "vakansii-kz"), siteByID(t, "bazar-kg")
	for _, x := range []struct {
		p string
		a Ad
	}{
		{VacancyPath(vk.ID, vk.Ads[0].Slug), vk.Ads[0]}, {VacancyPath(vk.ID, vk.Ads[3].Slug), vk.Ads[3]},
		{ItemPath(bz.ID, bz.Ads[0].Slug), bz.Ads[0]}, {ItemPath(bz.ID, bz.Ads[5].Slug), bz.Ads[5]},
	} {
		p, a := x.p, x.a
		t.Run(p, func(t *testing.T) {
			resp, body := do("GET", p, nil)
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
				t.Fatalf("status %d, ETag %q", resp.StatusCode, etag)
			}
			if lm != a.Updated.UTC().Format(http.TimeFormat) {
				t.Errorf("Last-Modified %q, want %s", lm, a.Updated)
			}
			if _, again := do("GET", p, nil); again != body {
				t.Error("the page changes between requests")
			}
			cases := []struct {
				name string
				hdr  map[string]string
				want int
			}{
				{"matching ETag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
				{"one of the ETags", map[string]string{"If-None-Match": `"other", ` + etag}, http.StatusNotModified},
				{"other ETag", map[string]string{"If-None-Match": `"other"`}, http.StatusOK},
				{"same time", map[string]string{"If-Modified-Since": lm}, http.StatusNotModified},
				{"later", map[string]string{"If-Modified-Since": a.Updated.Add(time.Hour).UTC().Format(http.TimeFormat)}, http.StatusNotModified},
				{"earlier", map[string]string{"If-Modified-Since": a.Updated.Add(-time.Second).UTC().Format(http.TimeFormat)}, http.StatusOK},
			}
			for _, c := range cases {
				resp, b := do("GET", p, c.hdr)
				if resp.StatusCode != c.want {
					t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
				}
				if c.want == http.StatusNotModified && b != "" {
					t.Errorf("%s: 304 with a body", c.name)
				}
			}
			resp, b := do("HEAD", p, nil)
			if resp.StatusCode != 200 || b != "" || resp.Header.Get("ETag") != etag {
				t.Errorf("HEAD: status %d, %d bytes, ETag %q", resp.StatusCode, len(b), resp.Header.Get("ETag"))
			}
			if resp, _ := do("HEAD", p, map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
				t.Errorf("conditional HEAD: status %d", resp.StatusCode)
			}
		})
	}
	// The feed and the sitemaps revalidate by ETag.
	for _, p := range []string{FeedPath("bazar-kg"), SitemapIndexPath("vakansii-kz")} {
		resp, _ := do("GET", p, nil)
		if resp, _ := do("GET", p, map[string]string{"If-None-Match": resp.Header.Get("ETag")}); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s: status %d, want 304", p, resp.StatusCode)
		}
	}
}

func TestStructuredModeration(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	vk, bz := siteByID(t, "vakansii-kz"), siteByID(t, "bazar-kg")
	// An ad of the second ad sitemap, and an older ad of the feed.
	va, ba := vk.Ads[len(vk.Ads)-2], bz.Ads[3]
	vURL, bURL := srv.URL+VacancyPath(vk.ID, va.Slug), srv.URL+ItemPath(bz.ID, ba.Slug)
	inSitemap := func() bool {
		doc := readSitemap(t, srv.URL, SitemapPaths(vk.ID)[1], true)
		return slices.ContainsFunc(doc.Entries, func(e struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		}) bool {
			return e.Loc == vURL
		})
	}
	inFeed := func() bool {
		for _, it := range readFeed(t, srv.URL).Channel.Items {
			if it.Link == bURL {
				return true
			}
		}
		return false
	}
	onHome := func() bool {
		_, body := getBody(t, srv.URL, "/bazar-kg/")
		return strings.Contains(body, `href="`+ItemPath(bz.ID, ba.Slug)+`"`)
	}
	if !inSitemap() || !inFeed() || !onHome() {
		t.Fatal("before removal: the ads are not listed")
	}
	_, etag := fetch(t, http.DefaultClient, srv.URL+SitemapPaths(vk.ID)[1])
	for _, x := range [][2]string{{vk.ID, va.Slug}, {bz.ID, ba.Slug}} {
		if code := moderate(t, srv.URL, "remove", x[0], x[1], sameOrigin); code != http.StatusSeeOther {
			t.Fatalf("remove %s: %d", x[1], code)
		}
	}
	if inSitemap() || inFeed() || onHome() {
		t.Errorf("removed ads still listed: sitemap %v, feed %v, home %v", inSitemap(), inFeed(), onHome())
	}
	for _, u := range []string{vURL, bURL} {
		if resp, _ := fetch(t, http.DefaultClient, u); resp.StatusCode != http.StatusGone {
			t.Errorf("%s: status %d, want 410", u, resp.StatusCode)
		}
	}
	if _, now := fetch(t, http.DefaultClient, srv.URL+SitemapPaths(vk.ID)[1]); now == etag {
		t.Error("the sitemap did not change")
	}
	for _, x := range [][2]string{{vk.ID, va.Slug}, {bz.ID, ba.Slug}} {
		moderate(t, srv.URL, "restore", x[0], x[1], sameOrigin)
	}
	if !inSitemap() || !inFeed() || !onHome() {
		t.Error("restored ads are not listed")
	}
}

func TestExpiredAd(t *testing.T) {
	all, err := AllAds()
	if err != nil {
		t.Fatal(err)
	}
	var expired []Ad
	for _, a := range all {
		if a.Expired(time.Now()) {
			expired = append(expired, a)
			if a.Stored() {
				t.Errorf("%s/%s is expired but Stored", a.Site, a.Slug)
			}
		}
	}
	if len(expired) != 1 || expired[0].Site != "vakansii-kz" || expired[0].Slug != "turtsiya-otel-sezon" {
		t.Fatalf("expired ads %v, want vakansii-kz/turtsiya-otel-sezon", expired)
	}
	stored, _ := SiteAds("vakansii-kz")
	for _, a := range stored {
		if a.Slug == "turtsiya-otel-sezon" {
			t.Error("SiteAds delivers the expired ad")
		}
	}
	// It is still served, and says so.
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	code, doc := get(t, srv.URL, VacancyPath("vakansii-kz", "turtsiya-otel-sezon"))
	if code != http.StatusOK || doc.Find(".vac-closed").Length() != 1 {
		t.Errorf("expired page: status %d", code)
	}
	a := Ad{ValidThrough: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if !a.Expired(a.ValidThrough.Add(time.Second)) || a.Expired(a.ValidThrough.Add(-time.Second)) || (Ad{}).Expired(time.Now()) {
		t.Error("Expired is wrong")
	}
}

func TestParseSiteRejectsStructured(t *testing.T) {
	good := "site: s\nname: S\nlayout: jsonld\nads:\n  - slug: a\n    expect: risky\n    title: T\n    body: B\n" +
		"    posted: 2025-01-01T00:00:00Z\n    salary: 100 $\n    pay: {currency: USD, min: 100, max: 100, unit: MONTH}\n" +
		"    location: L\n    country: KZ\n    employer: E\n    contact: \"+7 700 000 00 00\"\n"
	s, err := parseSite([]byte(good), "good.yaml")
	if err != nil {
		t.Fatalf("good site: %v", err)
	}
	if !s.Ads[0].Updated.Equal(s.Ads[0].Posted) {
		t.Errorf("updated %v, want posted", s.Ads[0].Updated)
	}
	cases := map[string]string{
		"valid_through before posted": good + "    valid_through: 2024-12-31T00:00:00Z\n",
		"updated before posted":       good + "    updated: 2024-12-31T00:00:00Z\n",
		"unknown field":               good + "    valid_until: 2026-01-01T00:00:00Z\n",
		"no pay":                      strings.Replace(good, "    pay: {currency: USD, min: 100, max: 100, unit: MONTH}\n", "", 1),
		"bad currency":                strings.Replace(good, "currency: USD", "currency: dollars", 1),
		"max below min":               strings.Replace(good, "max: 100", "max: 50", 1),
		"bad unit":                    strings.Replace(good, "unit: MONTH", "unit: moon", 1),
		"bad country":                 strings.Replace(good, "country: KZ", "country: Kazakhstan", 1),
		"no employer":                 strings.Replace(good, "employer: E", "employer: ''", 1),
		"no location":                 strings.Replace(good, "location: L", "location: ''", 1),
		"unknown layout":              strings.Replace(good, "layout: jsonld", "layout: json-ld", 1),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := parseSite([]byte(in), "bad.yaml"); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
				t.Fatalf("got %v, want an error naming bad.yaml", err)
			}
		})
	}
}

func TestRobotsNamesSitemap(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	_, body := getBody(t, srv.URL, "/robots.txt")
	for _, want := range []string{"User-agent: *\n", "Disallow: /*/search\n", "Disallow: /*/private/\n", "Allow: /\n",
		"Sitemap: " + srv.URL + SitemapIndexPath("vakansii-kz") + "\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
	paths := append(SitemapPaths("vakansii-kz"), SitemapIndexPath("vakansii-kz"), FeedPath("bazar-kg"),
		VacancyPath("vakansii-kz", "x"), ItemPath("bazar-kg", "x"), "/bazar-kg/", "/vakansii-kz/about")
	for _, p := range paths {
		if strings.Contains(p, "/search") || strings.Contains(p, "/private/") {
			t.Errorf("robots.txt disallows %s", p)
		}
	}
}

func TestBaseURL(t *testing.T) {
	for host, want := range map[string]string{
		"127.0.0.1:8090":         "http://127.0.0.1:8090",
		"[::1]:8090":             "http://[::1]:8090",
		"demo.local":             "http://demo.local",
		"":                       "http://localhost",
		"a b":                    "http://localhost",
		"x<y>":                   "http://localhost",
		strings.Repeat("a", 300): "http://localhost",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		if got := baseURL(r); got != want {
			t.Errorf("baseURL(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestBlocks(t *testing.T) {
	a := Ad{Body: "Intro line\nwraps here.\n\nRequirements:\n- one\n- two\n\n- a\n- b\n\nNot\n- a list\nafter all"}
	got := a.Blocks()
	want := []Block{{Text: "Intro line wraps here."}, {Text: "Requirements:"}, {Items: []string{"one", "two"}},
		{Items: []string{"a", "b"}}, {Text: "Not - a list after all"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Text != want[i].Text || !slices.Equal(got[i].Items, want[i].Items) {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if h := descriptionHTML(Ad{Body: "a < b\n\n- x & y"}); h != "<p>a &lt; b</p><ul><li>x &amp; y</li></ul>" {
		t.Errorf("descriptionHTML = %q", h)
	}
	js, err := jobPostingJSON(Ad{Site: "s", Slug: "x", Title: "</script><b>", Body: "b"}, "http://h", 0)
	if err != nil || bytes.Contains(js, []byte("</script>")) {
		t.Errorf("JSON-LD %s can end its script element (%v)", js, err)
	}
}

// FuzzJobPostingJSON checks that any ad text gives valid JSON-LD that
// cannot end its script element, and a description of balanced blocks.
func FuzzJobPostingJSON(f *testing.F) {
	f.Add("Повар, Алматы", "Требования:\n- опыт\n- книжка\n\nГрафик 2/2.", "hr@esep.example")
	f.Add("</script><script>alert(1)</script>", "- \n-\n\n\n- x", "+7 700 000 00 00")
	f.Fuzz(func(t *testing.T, title, body, contact string) {
		a := Ad{Site: "vakansii-kz", Slug: "x", Title: title, Body: body, Contact: contact, Employer: "E",
			Pay: Pay{Currency: "KZT", Min: 1, Max: 2, Unit: "MONTH"}}
		for shape := range shapes {
			js, err := jobPostingJSON(a, "http://h", shape)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(js, []byte("</")) || bytes.Contains(js, []byte("<!--")) {
				t.Fatalf("JSON-LD can end its script element: %s", js)
			}
			if !json.Valid(js) {
				t.Fatalf("invalid JSON: %s", js)
			}
		}
		d := descriptionHTML(a)
		if strings.Count(d, "<p>") != strings.Count(d, "</p>") || strings.Count(d, "<ul>") != strings.Count(d, "</ul>") {
			t.Fatalf("unbalanced description %q", d)
		}
	})
}
