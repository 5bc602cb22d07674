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

//go:embed data/*.yaml
var dataFS embed.FS

// Expectations a demo ad can carry.
const (
	ExpectRisky  = "risky"
	ExpectBenign = "benign"
)

// Site is one demo site and its ads, newest first.
type Site struct {
	ID      string `yaml:"site"`
	Name    string `yaml:"name"`
	Tagline string `yaml:"tagline"`
	Lang    string `yaml:"lang"`
	Ads     []Ad   `yaml:"ads"`
}

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

// Ads returns every ad of every demo site.
func Ads() ([]Ad, error) {
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

var loadSites = sync.OnceValues(func() ([]Site, error) {
	names, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var sites []Site
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".yaml") {
			continue
		}
		b, err := dataFS.ReadFile(path.Join("data", n.Name()))
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
		}
		seen[a.Slug] = true
	}
	sort.SliceStable(s.Ads, func(i, j int) bool { return s.Ads[i].Posted.After(s.Ads[j].Posted) })
	return s, nil
}
