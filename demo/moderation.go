package demo

import (
	"net/http"
	"strconv"
	"sync"
)

// ModerationPath is the path of the demo platforms' moderation page.
const ModerationPath = "/-/moderation"

// moderation is the in-memory set of ads the demo platforms' moderators
// removed, keyed by site and slug. A restart restores every ad.
type moderation struct {
	mu      sync.RWMutex
	removed map[string]bool
}

func modKey(site, slug string) string { return site + "/" + slug }

func (m *moderation) isRemoved(site, slug string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.removed[modKey(site, slug)]
}

func (m *moderation) set(site, slug string, removed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if removed {
		m.removed[modKey(site, slug)] = true
	} else {
		delete(m.removed, modKey(site, slug))
	}
}

// visible returns the ads of the site that are not removed.
func (h *siteHandler) visible(ads []Ad) []Ad {
	out := make([]Ad, 0, len(ads))
	for _, a := range ads {
		if !h.mod.isRemoved(a.Site, a.Slug) {
			out = append(out, a)
		}
	}
	return out
}

// goneIfRemoved answers 410 Gone for a removed ad and reports whether it
// did.
func (h *siteHandler) goneIfRemoved(w http.ResponseWriter, a Ad) bool {
	if !h.mod.isRemoved(a.Site, a.Slug) {
		return false
	}
	http.Error(w, "410 gone: this ad was removed by the platform's moderators", http.StatusGone)
	return true
}

// link returns the path of an ad's own page on its site.
func (s Site) link(i int) string {
	a := s.Ads[i]
	switch s.Layout {
	case LayoutCatalogue:
		return ProfilePath(s.ID, a.Slug)
	case LayoutChannel:
		return "/" + s.ID + "/" + s.Channel + "/" + strconv.Itoa(len(s.Ads)-i)
	case LayoutJSONLD:
		return VacancyPath(s.ID, a.Slug)
	case LayoutFeed:
		return ItemPath(s.ID, a.Slug)
	}
	return AdPath(s.ID, a.Slug)
}

type modRow struct {
	Site, SiteName, Slug, Title, Link string
	Removed                           bool
}

type modPage struct {
	Rows    []modRow
	Removed int
}

var moderationTmpl = parse("moderation.html")

// moderationHandler serves the moderation page and its two POST actions.
// POSTs pass a same-origin check: a page on another site cannot remove or
// restore ads through a visitor's browser.
type moderationHandler struct {
	sites []Site
	mod   *moderation
}

func (m *moderationHandler) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+ModerationPath, m.page)
	cop := http.NewCrossOriginProtection()
	mux.Handle("POST "+ModerationPath+"/remove", cop.Handler(m.action(true)))
	mux.Handle("POST "+ModerationPath+"/restore", cop.Handler(m.action(false)))
}

func (m *moderationHandler) page(w http.ResponseWriter, r *http.Request) {
	var data modPage
	for _, s := range m.sites {
		for i, a := range s.Ads {
			row := modRow{Site: s.ID, SiteName: s.Name, Slug: a.Slug, Title: a.Title, Link: s.link(i),
				Removed: m.mod.isRemoved(s.ID, a.Slug)}
			if row.Removed {
				data.Removed++
			}
			data.Rows = append(data.Rows, row)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	render(w, moderationTmpl, "moderation", data, "", nil)
}

// action removes (remove true) or restores the ad named by the form
// fields site and slug, then sends the browser back to the page.
func (m *moderationHandler) action(remove bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		site, slug := r.PostForm.Get("site"), r.PostForm.Get("slug")
		if !m.exists(site, slug) {
			http.Error(w, "no such ad", http.StatusNotFound)
			return
		}
		m.mod.set(site, slug, remove)
		http.Redirect(w, r, ModerationPath+"#"+site+"-"+slug, http.StatusSeeOther)
	})
}

func (m *moderationHandler) exists(site, slug string) bool {
	for _, s := range m.sites {
		if s.ID != site {
			continue
		}
		for _, a := range s.Ads {
			if a.Slug == slug {
				return true
			}
		}
	}
	return false
}
