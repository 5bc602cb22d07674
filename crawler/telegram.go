package crawler

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lure/ad"
)

// The layout of Telegram's public channel preview, t.me/s/<channel>.
const (
	tgPost     = ".tgme_widget_message_wrap"
	tgMessage  = ".tgme_widget_message[data-post]"
	tgText     = ".tgme_widget_message_text"
	tgDate     = "a.tgme_widget_message_date"
	tgTime     = "time[datetime]"
	tgMore     = `link[rel="prev"], a.tme_messages_more`
	titleRunes = 140
	maxPosts   = 200
)

// Post is one channel post read as an ad, with the HTML of the post kept
// as its snapshot.
type Post struct {
	Ad   ad.Ad
	HTML []byte
}

// ExtractChannel reads the posts of a channel preview page at pageURL
// (type telegram): each post with text is an ad whose title is its first
// line and whose URL is the post's own link. It also returns the URL of
// the page of older posts, or "". Posts without text (photos only) are
// skipped.
func (p *Profile) ExtractChannel(pageURL string, page io.Reader, now time.Time) ([]Post, string, error) {
	b, err := io.ReadAll(page)
	if err != nil {
		return nil, "", fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	if b, err = decodeBody(b, "", p.Charset); err != nil {
		return nil, "", fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	doc, err := parseHTML(b)
	if err != nil {
		return nil, "", fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	return p.channelDoc(pageURL, doc, now)
}

func (p *Profile) channelDoc(pageURL string, doc *goquery.Document, now time.Time) ([]Post, string, error) {
	pu, err := url.Parse(pageURL)
	if err != nil {
		return nil, "", fmt.Errorf("crawler: %s: %w", pageURL, err)
	}
	var posts []Post
	doc.Find(tgPost).EachWithBreak(func(_ int, w *goquery.Selection) bool {
		if len(posts) >= maxPosts {
			return false
		}
		msg := w.Find(tgMessage).First()
		id, _ := msg.Attr("data-post")
		text := cleanText(nodesText(msg.Find(tgText).First().Nodes, rawTextLimit))
		if id == "" || text == "" {
			return true
		}
		link, _ := msg.Find(tgDate).First().Attr("href")
		if link == "" {
			link = "/" + strings.TrimPrefix(id, "/")
		}
		ref, err := url.Parse(link)
		if err != nil {
			return true
		}
		postURL := pu.ResolveReference(ref)
		postURL.RawQuery = "" // t.me/<channel>/<n>?single is the same post
		canon, err := ad.CanonicalURL(postURL.String())
		if err != nil {
			return true
		}
		adID, err := ad.MakeID(p.Site, canon)
		if err != nil {
			return true
		}
		a := ad.Ad{V: ad.Version, ID: adID, Site: p.Site, URL: canon, Kind: p.Kind, Lang: normLang(p.Lang),
			Title: firstLine(text, titleRunes), Body: text, Crawled: now}
		if dt, ok := msg.Find(tgTime).First().Attr("datetime"); ok {
			a.Posted, _ = parsePosted(dt)
		}
		a.ContentHash = a.Hash()
		if a.Validate() != nil {
			return true
		}
		h, _ := goquery.OuterHtml(w)
		posts = append(posts, Post{Ad: a, HTML: []byte(h)})
		return true
	})
	next := ""
	if href, ok := doc.Find(tgMore).First().Attr("href"); ok && href != "" {
		if ref, err := url.Parse(href); err == nil {
			next = pu.ResolveReference(ref).String()
		}
	}
	return posts, next, nil
}

// firstLine returns the first line of s, cut to n runes with an ellipsis.
func firstLine(s string, n int) string {
	line, _, _ := strings.Cut(s, "\n")
	if utf8.RuneCountInString(line) <= n {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// onChannel handles a page of a channel preview: every post is delivered
// as an ad, and the page of older posts is queued.
func (s *siteCrawl) onChannel(r *colly.Response, body []byte, depth int) {
	u := r.Request.URL.String()
	doc, err := parseHTML(body)
	if err != nil {
		s.fail(u, "list", ReasonUnparseable, err)
		return
	}
	now := time.Now().UTC()
	posts, next, err := s.p.channelDoc(u, doc, now)
	if err != nil {
		s.fail(u, "list", ReasonUnparseable, err)
		return
	}
	for _, p := range posts {
		if s.ctx.Err() != nil {
			return
		}
		s.deliver(p.Ad, "text/html; charset=utf-8", p.HTML, now, validators{})
	}
	s.next(next, depth)
}
