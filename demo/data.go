package demo

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed ads/*.yaml
var dataFS embed.FS

// Expectations a demo ad can carry.
const (
	ExpectRisky  = "risky"
	ExpectBenign = "benign"
)

// Site layouts: how a demo site's pages look.
const (
	LayoutBoard       = "board"       // a job board: paginated list, ad pages
	LayoutClassifieds = "classifieds" // categories, each paginated, ad pages
	LayoutCatalogue   = "catalogue"   // a marriage agency's profile catalogue
	LayoutChannel     = "channel"     // a Telegram-style channel preview
)

// Site is one demo site and its ads, newest first.
type Site struct {
	ID      string `yaml:"site"`
	Name    string `yaml:"name"`
	Tagline string `yaml:"tagline"`
	Lang    string `yaml:"lang"`
	// Layout is one of the Layout* constants; default LayoutBoard.
	Layout string `yaml:"layout"`
	// Kind is the kind of ads: job or marriage.
	Kind string `yaml:"kind"`
	// Charset is the charset pages are served in; default utf-8.
	Charset string `yaml:"charset"`
	// Channel is the channel name of a LayoutChannel site.
	Channel string `yaml:"channel"`
	// Categories of a LayoutClassifieds site; every ad's Category is one
	// of their IDs.
	Categories []Category `yaml:"categories"`
	// Trap is a category ID whose list pages link a next page forever.
	Trap string `yaml:"trap"`
	Ads  []Ad   `yaml:"ads"`
}

// Home returns the path of the site's first page.
func (s Site) Home() string {
	if s.Layout == LayoutChannel {
		return ChannelPath(s.ID, s.Channel, 0)
	}
	return "/" + s.ID + "/"
}

// Category is one section of a classifieds site.
type Category struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

// Ways a demo ad page is broken on purpose.
const (
	BrokenMissingTitle = "missing-title" // the page has no title: missing_field
	BrokenMalformed    = "malformed"     // bad HTML that a parser still reads: stored
	BrokenSlow         = "slow"          // answers after SlowDelay: timeout
	BrokenError        = "error-500"     // always 500 with Retry-After: bad_status
	BrokenRedirectLoop = "redirect-loop" // redirects in a circle: redirect_loop
	BrokenHuge         = "huge"          // streams HugeBytes of HTML: too_large
	BrokenBinary       = "binary"        // serves an image: unparseable
)

var brokenKinds = map[string]bool{"": true, BrokenMissingTitle: true, BrokenMalformed: true, BrokenSlow: true,
	BrokenError: true, BrokenRedirectLoop: true, BrokenHuge: true, BrokenBinary: true}

// Ad is one demo advertisement. Expect is the label tests compare the
// classifier against; it is never served.
type Ad struct {
	Site     string    `yaml:"-"`
	Slug     string    `yaml:"slug"`
	Expect   string    `yaml:"expect"`
	Lang     string    `yaml:"lang"`
	Category string    `yaml:"category"`
	Title    string    `yaml:"title"`
	Salary   string    `yaml:"salary"`
	Location string    `yaml:"location"`
	Contact  string    `yaml:"contact"`
	Posted   time.Time `yaml:"posted"`
	Body     string    `yaml:"body"`
	// Broken says how the ad's page is broken on purpose (Broken*
	// constants), "" for a sound page. It is never served.
	Broken string `yaml:"broken"`
}

// Stored reports whether a crawl should deliver the ad: its page is
// sound, or broken in a way a crawler reads past (BrokenMalformed).
func (a Ad) Stored() bool { return a.Broken == "" || a.Broken == BrokenMalformed }

// Paragraphs splits the body at blank lines.
func (a Ad) Paragraphs() []string {
	var out []string
	for p := range strings.SplitSeq(strings.TrimSpace(a.Body), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// AdPath returns the path of an ad's detail page, e.g.
// "/rabota-md/ad/hostess-turkey".
func AdPath(site, slug string) string {
	return "/" + site + "/ad/" + slug
}

// ListPath returns the path of page n (from 1) of a site's ad list.
func ListPath(site string, n int) string {
	if n <= 1 {
		return "/" + site + "/"
	}
	return fmt.Sprintf("/%s/?page=%d", site, n)
}

// Sites returns the demo sites, sorted by ID. The result is a copy.
func Sites() ([]Site, error) {
	sites, err := loadSites()
	if err != nil {
		return nil, err
	}
	out := make([]Site, len(sites))
	for i, s := range sites {
		out[i] = s
		out[i].Ads = append([]Ad(nil), s.Ads...)
	}
	return out, nil
}

// Ads returns every ad that one crawl of the demo sites should deliver:
// every ad of every site except those whose page is broken so that it
// cannot be read (see Ad.Stored).
func Ads() ([]Ad, error) {
	all, err := AllAds()
	if err != nil {
		return nil, err
	}
	var out []Ad
	for _, a := range all {
		if a.Stored() {
			out = append(out, a)
		}
	}
	return out, nil
}

// AllAds returns every ad of every demo site, broken pages included.
func AllAds() ([]Ad, error) {
	sites, err := loadSites()
	if err != nil {
		return nil, err
	}
	var out []Ad
	for _, s := range sites {
		out = append(out, s.Ads...)
	}
	return out, nil
}

// SiteAds returns the ads of one site that a crawl should deliver.
func SiteAds(site string) ([]Ad, error) {
	ads, err := Ads()
	if err != nil {
		return nil, err
	}
	var out []Ad
	for _, a := range ads {
		if a.Site == site {
			out = append(out, a)
		}
	}
	return out, nil
}

var loadSites = sync.OnceValues(func() ([]Site, error) {
	names, err := dataFS.ReadDir("ads")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var sites []Site
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".yaml") {
			continue
		}
		b, err := dataFS.ReadFile(path.Join("ads", n.Name()))
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		s, err := parseSite(b, n.Name())
		if err != nil {
			return nil, err
		}
		sites = append(sites, s)
	}
	sort.Slice(sites, func(i, j int) bool { return sites[i].ID < sites[j].ID })
	return sites, nil
})

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// parseSite decodes and checks one site file strictly.
func parseSite(b []byte, name string) (Site, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var s Site
	if err := dec.Decode(&s); err != nil {
		return Site{}, fmt.Errorf("demo: %s: %w", name, err)
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return Site{}, fmt.Errorf("demo: %s: more than one document", name)
	}
	if !slugRE.MatchString(s.ID) {
		return Site{}, fmt.Errorf("demo: %s: bad site id %q", name, s.ID)
	}
	if s.Layout == "" {
		s.Layout = LayoutBoard
	}
	cats := map[string]bool{}
	for _, c := range s.Categories {
		if !slugRE.MatchString(c.ID) || c.Name == "" {
			return Site{}, fmt.Errorf("demo: %s: bad category %q", name, c.ID)
		}
		cats[c.ID] = true
	}
	switch s.Layout {
	case LayoutBoard, LayoutCatalogue:
	case LayoutClassifieds:
		if len(cats) == 0 {
			return Site{}, fmt.Errorf("demo: %s: classifieds without categories", name)
		}
		if s.Trap != "" && !cats[s.Trap] {
			return Site{}, fmt.Errorf("demo: %s: trap %q is not a category", name, s.Trap)
		}
	case LayoutChannel:
		if !slugRE.MatchString(strings.ReplaceAll(s.Channel, "_", "-")) {
			return Site{}, fmt.Errorf("demo: %s: bad channel %q", name, s.Channel)
		}
	default:
		return Site{}, fmt.Errorf("demo: %s: unknown layout %q", name, s.Layout)
	}
	seen := map[string]bool{}
	for i := range s.Ads {
		a := &s.Ads[i]
		a.Site = s.ID
		switch {
		case !slugRE.MatchString(a.Slug):
			return Site{}, fmt.Errorf("demo: %s: ad %d: bad slug %q", name, i, a.Slug)
		case seen[a.Slug]:
			return Site{}, fmt.Errorf("demo: %s: duplicate slug %q", name, a.Slug)
		case a.Expect != ExpectRisky && a.Expect != ExpectBenign:
			return Site{}, fmt.Errorf("demo: %s: ad %s: expect %q, want risky or benign", name, a.Slug, a.Expect)
		case strings.TrimSpace(a.Title) == "" || strings.TrimSpace(a.Body) == "":
			return Site{}, fmt.Errorf("demo: %s: ad %s: title and body are required", name, a.Slug)
		case a.Posted.IsZero():
			return Site{}, fmt.Errorf("demo: %s: ad %s: posted is required", name, a.Slug)
		case !brokenKinds[a.Broken]:
			return Site{}, fmt.Errorf("demo: %s: ad %s: unknown broken kind %q", name, a.Slug, a.Broken)
		case s.Layout == LayoutClassifieds && !cats[a.Category]:
			return Site{}, fmt.Errorf("demo: %s: ad %s: category %q is not a category of the site", name, a.Slug, a.Category)
		}
		seen[a.Slug] = true
	}
	sort.SliceStable(s.Ads, func(i, j int) bool { return s.Ads[i].Posted.After(s.Ads[j].Posted) })
	return s, nil
}
