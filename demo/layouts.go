package demo

import (
	"fmt"
	"net/http"
	"strconv"
)

// CategoryPath returns the path of page n (from 1) of a classifieds
// category.
func CategoryPath(site, cat string, n int) string {
	if n <= 1 {
		return "/" + site + "/c/" + cat + "/"
	}
	return fmt.Sprintf("/%s/c/%s/?page=%d", site, cat, n)
}

// ProfilePath returns the path of a catalogue profile.
func ProfilePath(site, slug string) string { return "/" + site + "/profile/" + slug }

type classifiedsPage struct {
	Site               Site
	Title              string
	Category           Category
	Ads                []Ad
	Page               int
	PrevPath, NextPath string
}

func (h *siteHandler) category(id string) (Category, bool) {
	for _, c := range h.site.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

func (h *siteHandler) classifiedsHome(w http.ResponseWriter, r *http.Request) {
	render(w, classifiedTmpl, "home", classifiedsPage{Site: h.site, Title: h.site.Name}, h.site.Charset, nil)
}

func (h *siteHandler) classifiedsList(w http.ResponseWriter, r *http.Request) {
	c, ok := h.category(r.PathValue("cat"))
	n := pageNum(r)
	if !ok || n == 0 {
		http.NotFound(w, r)
		return
	}
	data := classifiedsPage{Site: h.site, Category: c, Page: n,
		Title: fmt.Sprintf("%s — сторінка %d — %s", c.Name, n, h.site.Name)}
	if n > 1 {
		data.PrevPath = CategoryPath(h.site.ID, c.ID, n-1)
	}
	if c.ID == h.site.Trap {
		// The trap: every page has a next page, and none has an ad.
		data.NextPath = CategoryPath(h.site.ID, c.ID, n+1)
	} else {
		var ads []Ad
		for _, a := range h.site.Ads {
			if a.Category == c.ID && !h.mod.isRemoved(a.Site, a.Slug) {
				ads = append(ads, a)
			}
		}
		pageAds, pages, ok := page(ads, n)
		if !ok {
			http.NotFound(w, r)
			return
		}
		data.Ads = pageAds
		if n < pages {
			data.NextPath = CategoryPath(h.site.ID, c.ID, n+1)
		}
	}
	render(w, classifiedTmpl, "list", data, h.site.Charset, nil)
}

func (h *siteHandler) classifiedsAd(w http.ResponseWriter, r *http.Request) {
	a, ok := h.findAd(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if h.goneIfRemoved(w, a) || h.serveBroken(w, r, a) {
		return
	}
	data := h.adPage(a)
	data.Category, _ = h.category(a.Category)
	render(w, classifiedTmpl, "ad", data, h.site.Charset, mutator(a))
}

func (h *siteHandler) catalogueList(w http.ResponseWriter, r *http.Request) {
	n := pageNum(r)
	ads, pages, ok := page(h.visible(h.site.Ads), n)
	if !ok {
		http.NotFound(w, r)
		return
	}
	data := listPage{Site: h.site, Title: fmt.Sprintf("%s — catalogue, page %d", h.site.Name, n), Ads: ads, Page: n, Pages: pages}
	if n > 1 {
		data.PrevPath = ListPath(h.site.ID, n-1)
	}
	if n < pages {
		data.NextPath = ListPath(h.site.ID, n+1)
	}
	for i := 1; i <= pages; i++ {
		data.PageLinks = append(data.PageLinks, pageLink{N: i, Path: ListPath(h.site.ID, i), Current: i == n})
	}
	render(w, catalogueTmpl, "list", data, h.site.Charset, nil)
}

func (h *siteHandler) catalogueProfile(w http.ResponseWriter, r *http.Request) {
	a, ok := h.findAd(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if h.goneIfRemoved(w, a) || h.serveBroken(w, r, a) {
		return
	}
	render(w, catalogueTmpl, "profile", h.adPage(a), h.site.Charset, mutator(a))
}

// ChannelPageSize is the number of posts on one channel preview page.
const ChannelPageSize = 20

type channelPost struct {
	N  int
	Ad Ad
}

type channelPage struct {
	Site           Site
	Title, Channel string
	Total          int
	Posts          []channelPost
	Before         int
	PrevPath       string
}

// ChannelPath returns the path of a channel preview page showing the posts
// before post number before (0 for the newest).
func ChannelPath(site, channel string, before int) string {
	if before <= 0 {
		return "/" + site + "/s/" + channel
	}
	return fmt.Sprintf("/%s/s/%s?before=%d", site, channel, before)
}

// posts returns the channel's posts, oldest first, numbered from 1.
func (h *siteHandler) posts() []channelPost {
	n := len(h.site.Ads)
	out := make([]channelPost, n)
	for i, a := range h.site.Ads { // newest first
		out[n-1-i] = channelPost{N: n - i, Ad: a}
	}
	return out
}

func (h *siteHandler) channel(w http.ResponseWriter, r *http.Request) {
	posts := h.posts()
	before := len(posts) + 1
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		before, err = strconv.Atoi(b)
		if err != nil || before < 2 || before > len(posts)+1 {
			http.NotFound(w, r)
			return
		}
	}
	hi := before - 1
	lo := max(0, hi-ChannelPageSize)
	data := channelPage{Site: h.site, Title: h.site.Name, Channel: h.site.Channel, Total: len(posts)}
	for _, p := range posts[lo:hi] {
		if !h.mod.isRemoved(p.Ad.Site, p.Ad.Slug) {
			data.Posts = append(data.Posts, p)
		}
	}
	if lo > 0 {
		data.Before = lo + 1
		data.PrevPath = ChannelPath(h.site.ID, h.site.Channel, lo+1)
	}
	render(w, channelTmpl, "channel", data, h.site.Charset, nil)
}

func (h *siteHandler) channelPost(w http.ResponseWriter, r *http.Request) {
	posts := h.posts()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(posts) {
		http.NotFound(w, r)
		return
	}
	if h.goneIfRemoved(w, posts[n-1].Ad) {
		return
	}
	data := channelPage{Site: h.site, Title: h.site.Name, Channel: h.site.Channel, Total: len(posts), Posts: posts[n-1 : n]}
	render(w, channelTmpl, "channel", data, h.site.Charset, nil)
}
