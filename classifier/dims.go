package classifier

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// Campaign-statistics dimensions: the origin region of an ad (from its
// location text and the site's country, with rules/regions.yaml) and its
// job category (from title, salary and body, with rules/categories.yaml).
// Their patterns ride in the same automaton as the rules.

// regionRef is one region of the pack's gazetteer.
type regionRef struct {
	country, key string
}

// CategoryMarriage is the category of every marriage ad when the pack
// defines it.
const CategoryMarriage = "marriage_dating"

// titleWeight is how much more a category word counts in the title.
const titleWeight = 2

// addDims registers the region and category patterns of the pack.
func (c *Classifier) addDims(add func(string, owner) error) error {
	g := c.pack.Regions
	codes := make([]string, 0, len(g.Countries))
	for cc := range g.Countries {
		codes = append(codes, cc)
	}
	sort.Strings(codes)
	for _, cc := range codes {
		for _, r := range g.Countries[cc] {
			c.regions = append(c.regions, regionRef{country: cc, key: r.Key(cc)})
			for _, pat := range r.Patterns {
				if err := add(pat, owner{rule: -1, trigger: -1, region: len(c.regions)}); err != nil {
					return fmt.Errorf("region %s: %w", r.Key(cc), err)
				}
			}
		}
	}
	for i, cat := range c.pack.Categories.Categories {
		for _, pat := range cat.Patterns {
			if err := add(pat, owner{rule: -1, trigger: -1, category: i + 1}); err != nil {
				return fmt.Errorf("category %s: %w", cat.ID, err)
			}
		}
	}
	return nil
}

// dimHits collects, during one Score, the regions named in the location
// (in order of appearance) and the weighted count of each category.
type dimHits struct {
	home    []string // the site's countries, when known
	regions []int
	cats    []int
}

func (d *dimHits) reset() {
	d.home = nil
	d.regions = d.regions[:0]
	clear(d.cats)
}

func (d *dimHits) add(field string, o owner) {
	switch {
	case o.region > 0 && field == ad.FieldLocation:
		d.regions = append(d.regions, o.region-1)
	case o.category > 0 && field != ad.FieldLocation && field != ad.FieldContact:
		for len(d.cats) < o.category {
			d.cats = append(d.cats, 0)
		}
		w := 1
		if field == ad.FieldTitle {
			w = titleWeight
		}
		d.cats[o.category-1] += w
	}
}

// setDims fills Entities.Region and Entities.Category.
func (s *scoring) setDims() {
	c := s.c
	if len(c.pack.Regions.Countries) > 0 {
		s.ents.Region = c.region(s.dims.regions, s.dims.home, c.pack.Model.Home[s.a.Lang])
	}
	if len(c.pack.Categories.Categories) > 0 {
		s.ents.Category = c.category(s.dims.cats, s.a.Kind)
	}
}

// region picks the origin region. When the site's countries are known,
// it is the first region named in them, else the site's first country (a
// place abroad is a destination, not an origin). Otherwise it is the
// first region named in the countries of the ad's language, else the
// first named at all.
func (c *Classifier) region(hits []int, siteHome, langHome []string) string {
	home := langHome
	if len(siteHome) > 0 {
		home = siteHome
	}
	for _, h := range hits {
		if slices.Contains(home, c.regions[h].country) {
			return c.regions[h].key
		}
	}
	switch {
	case len(siteHome) > 0:
		return siteHome[0]
	case len(hits) > 0:
		return c.regions[hits[0]].key
	}
	return ""
}

// category picks the category with the most (title-weighted) matches,
// the earlier on a tie; marriage ads are CategoryMarriage when the pack
// has it.
func (c *Classifier) category(counts []int, k ad.Kind) string {
	cats := c.pack.Categories.Categories
	if k == ad.KindMarriage {
		if slices.ContainsFunc(cats, func(x rules.Category) bool { return x.ID == CategoryMarriage }) {
			return CategoryMarriage
		}
	}
	best, n := -1, 0
	for i, x := range counts {
		if x > n {
			best, n = i, x
		}
	}
	if best < 0 {
		return rules.OtherCategory
	}
	return cats[best].ID
}

// checkDimExamples runs the examples of regions.yaml and categories.yaml.
func (c *Classifier) checkDimExamples(ctx context.Context) []ExampleFailure {
	var out []ExampleFailure
	run := func(file string, exs []rules.DimExample, location bool) {
		for _, ex := range exs {
			a := ad.Ad{V: ad.Version, ID: "example", Site: "example", Kind: ad.KindJob, Lang: ex.Lang}
			if ex.Kind != "" {
				a.Kind = ad.Kind(ex.Kind)
			}
			if a.Lang == "" {
				a.Lang = "en"
			}
			if location {
				a.Title, a.Location = "example", ex.Text
			} else {
				a.Body = ex.Text
			}
			var home []string
			if ex.Country != "" {
				home = []string{ex.Country}
			}
			v := c.score(ctx, a, home)
			got := v.Entities.Category
			if location {
				got = v.Entities.Region
			}
			if got != ex.Want {
				out = append(out, ExampleFailure{Rule: file, Text: ex.Text, WantFire: true,
					Hits: []string{fmt.Sprintf("got %q, want %q", got, ex.Want)}})
			}
		}
	}
	run(rules.RegionsFile, c.pack.Regions.Examples, true)
	run(rules.CategoriesFile, c.pack.Categories.Examples, false)
	return out
}
