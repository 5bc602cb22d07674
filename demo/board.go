package demo

import (
	"fmt"
	"net/http"
)

type pageLink struct {
	N       int
	Path    string
	Current bool
}

type listPage struct {
	Site                          Site
	Title, Description, Canonical string
	Ads                           []Ad
	Page, Pages                   int
	PrevPath, NextPath            string
	PageLinks                     []pageLink
}

func (h *siteHandler) list(w http.ResponseWriter, r *http.Request) {
	n := pageNum(r)
	ads, pages, ok := page(h.visible(h.site.Ads), n)
	if !ok {
		http.NotFound(w, r)
		return
	}
	data := listPage{
		Site:        h.site,
		Title:       fmt.Sprintf("Вакансии — страница %d — %s", n, h.site.Name),
		Description: h.site.Tagline,
		Canonical:   ListPath(h.site.ID, n),
		Ads:         ads,
		Page:        n,
		Pages:       pages,
		PrevPath:    ListPath(h.site.ID, n-1),
		NextPath:    ListPath(h.site.ID, n+1),
	}
	for i := 1; i <= data.Pages; i++ {
		data.PageLinks = append(data.PageLinks, pageLink{N: i, Path: ListPath(h.site.ID, i), Current: i == n})
	}
	render(w, listTmpl, "layout", data, h.site.Charset, nil)
}

type adPage struct {
	Site                          Site
	Title, Description, Canonical string
	Ad                            Ad
	NoTitle                       bool
	Similar                       []Ad
	Category                      Category
}

func (h *siteHandler) adPage(a Ad) adPage {
	data := adPage{
		Site:        h.site,
		Title:       a.Title + " — " + h.site.Name,
		Description: snippet(a),
		Canonical:   AdPath(a.Site, a.Slug),
		Ad:          a,
		NoTitle:     a.Broken == BrokenMissingTitle,
	}
	if data.NoTitle {
		data.Title = h.site.Name
	}
	for _, o := range h.site.Ads {
		if o.Slug != a.Slug && o.Category == a.Category && len(data.Similar) < 4 && !h.mod.isRemoved(o.Site, o.Slug) {
			data.Similar = append(data.Similar, o)
		}
	}
	return data
}

func mutator(a Ad) func([]byte) []byte {
	if a.Broken == BrokenMalformed {
		return malform
	}
	return nil
}

func (h *siteHandler) ad(w http.ResponseWriter, r *http.Request) {
	a, ok := h.findAd(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if h.goneIfRemoved(w, a) || h.serveBroken(w, r, a) {
		return
	}
	render(w, adTmpl, "layout", h.adPage(a), h.site.Charset, mutator(a))
}
