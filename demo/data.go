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
	// LayoutJSONLD is a job board with no list pages: ads are found
	// through its sitemaps and read from schema.org JSON-LD.
	LayoutJSONLD = "jsonld"
	// LayoutFeed is a classifieds section with an RSS feed of every ad
	// and ad pages carrying OpenGraph tags and schema.org microdata.
	LayoutFeed = "feed"
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
	// Updated is when the ad was last edited; it defaults to Posted. Pages
	// of the structured layouts send it as Last-Modified and sitemaps as
	// lastmod.
	Updated time.Time `yaml:"updated"`
	// ValidThrough is when the ad expires, zero for never. An expired ad
	// is still served and still in its site's sitemap, as on real sites,
	// but a crawl must count it removed (see Stored).
	ValidThrough time.Time `yaml:"valid_through"`
	// Country is the ISO 3166-1 alpha-2 code of the country of the job,
	// served as addressCountry by the structured layouts.
	Country string `yaml:"country"`
	// Employer is the name served as the hiring organization by the
	// structured layouts.
	Employer string `yaml:"employer"`
	// Pay is Salary as numbers, served as baseSalary by the structured
	// layouts.
	Pay Pay `yaml:"pay"`
	// Employment is a schema.org employmentType (FULL_TIME, PART_TIME,
	// TEMPORARY, CONTRACTOR, ...); default FULL_TIME.
	Employment string `yaml:"employment"`
	Body       string `yaml:"body"`
	// Broken says how the ad's page is broken on purpose (Broken*
	// constants), "" for a sound page. It is never served.
	Broken string `yaml:"broken"`
}

// Pay is a salary as numbers: Min to Max (equal for one amount) of
// Currency (ISO 4217) per Unit (a schema.org unitText: HOUR, DAY, WEEK,
// MONTH or YEAR).
type Pay struct {
	Currency string  `yaml:"currency"`
	Min      float64 `yaml:"min"`
	Max      float64 `yaml:"max"`
	Unit     string  `yaml:"unit"`
}

// IsZero reports whether no pay is given.
func (p Pay) IsZero() bool { return p == Pay{} }

// Stored reports whether a crawl should deliver the ad: its page is
// sound, or broken in a way a crawler reads past (BrokenMalformed), and
// the ad has not expired. An expired ad (ValidThrough in the past) is
// still served, but a crawl must count it removed, not deliver it.
func (a Ad) Stored() bool {
	return (a.Broken == "" || a.Broken == BrokenMalformed) && !a.Expired(time.Now())
}

// Expired reports whether the ad's ValidThrough is before now.
func (a Ad) Expired(now time.Time) bool {
	return !a.ValidThrough.IsZero() && a.ValidThrough.Before(now)
}

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

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	payUnits   = map[string]bool{"HOUR": true, "DAY": true, "WEEK": true, "MONTH": true, "YEAR": true}
)

func validPay(p Pay) bool {
	return currencyRE.MatchString(p.Currency) && p.Min > 0 && p.Max >= p.Min && payUnits[p.Unit]
}

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
	case LayoutBoard, LayoutCatalogue, LayoutJSONLD, LayoutFeed:
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
		case !a.Updated.IsZero() && a.Updated.Before(a.Posted):
			return Site{}, fmt.Errorf("demo: %s: ad %s: updated before posted", name, a.Slug)
		case !a.ValidThrough.IsZero() && a.ValidThrough.Before(a.Posted):
			return Site{}, fmt.Errorf("demo: %s: ad %s: valid_through before posted", name, a.Slug)
		case a.Country != "" && !countryRE.MatchString(a.Country):
			return Site{}, fmt.Errorf("demo: %s: ad %s: bad country %q", name, a.Slug, a.Country)
		case !a.Pay.IsZero() && !validPay(a.Pay):
			return Site{}, fmt.Errorf("demo: %s: ad %s: bad pay %+v", name, a.Slug, a.Pay)
		}
		if s.Layout == LayoutJSONLD || s.Layout == LayoutFeed {
			// Structured data carries every field: none may be missing.
			if a.Salary == "" || a.Pay.IsZero() || a.Location == "" || a.Country == "" || a.Employer == "" || a.Contact == "" {
				return Site{}, fmt.Errorf("demo: %s: ad %s: salary, pay, location, country, employer and contact are required", name, a.Slug)
			}
		}
		if a.Updated.IsZero() {
			a.Updated = a.Posted
		}
		seen[a.Slug] = true
	}
	sort.SliceStable(s.Ads, func(i, j int) bool { return s.Ads[i].Posted.After(s.Ads[j].Posted) })
	return s, nil
}
