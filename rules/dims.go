package rules

import (
	"fmt"
	"regexp"
	"slices"
)

// File names of the campaign-statistics dimensions.
const (
	RegionsFile    = "regions.yaml"
	CategoriesFile = "categories.yaml"
)

// OtherCategory is the category of a job ad that names none of
// categories.yaml.
const OtherCategory = "other"

// Regions is the gazetteer of origin regions in regions.yaml: where an ad
// recruits from, read from its location text. Patterns use the syntax of
// rule patterns (normalised like ad text; a trailing * is a stem, which
// covers inflections: "кишинев*" matches "Кишинёве").
type Regions struct {
	// Countries maps an ISO 3166 alpha-2 code to its regions, main
	// cities first.
	Countries map[string][]Region `yaml:"countries"`
	// Examples are location texts and the region they must give, run by
	// `lure rules test`.
	Examples []DimExample `yaml:"examples"`
}

// Region is one origin region (a city with its surroundings, or an
// administrative region).
type Region struct {
	// Name is how the region is shown, in Latin letters ("Chișinău").
	Name     string   `yaml:"name"`
	Patterns []string `yaml:"patterns"`
}

// Key returns the value an ad's Entities.Region takes for region r of
// country cc: "MD/Chișinău".
func (r Region) Key(cc string) string { return cc + "/" + r.Name }

// Categories are the job categories of categories.yaml.
type Categories struct {
	// Categories in order of precedence: on a tie in the number of
	// matches, the earlier one wins.
	Categories []Category `yaml:"categories"`
	// Examples are ad texts and the category they must get.
	Examples []DimExample `yaml:"examples"`
}

// Category is one job category and the words that name it.
type Category struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Patterns    []string `yaml:"patterns"`
}

// DimExample is an example of regions.yaml or categories.yaml: a text
// (and optionally the ad's language and site country) and the value it
// must give ("" for none).
type DimExample struct {
	Text    string `yaml:"text"`
	Lang    string `yaml:"lang"`
	Country string `yaml:"country"`
	Kind    string `yaml:"kind"`
	Want    string `yaml:"want"`
}

var catIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func validateRegions(file string, g *Regions) error {
	seen := map[string]bool{}
	for cc, rs := range g.Countries {
		if !countryRe.MatchString(cc) {
			return errAt(file, 0, "country %q is not an ISO alpha-2 code", cc)
		}
		for _, r := range rs {
			if r.Name == "" || len(r.Patterns) == 0 {
				return errAt(file, 0, "country %s: every region needs a name and patterns", cc)
			}
			if seen[r.Key(cc)] {
				return errAt(file, 0, "country %s: duplicate region %q", cc, r.Name)
			}
			seen[r.Key(cc)] = true
			for _, pat := range r.Patterns {
				if err := checkPattern(pat); err != "" {
					return errAt(file, 0, "region %s: pattern %q: %s", r.Key(cc), pat, err)
				}
			}
		}
	}
	for _, ex := range g.Examples {
		if err := checkDimExample(ex); err != "" {
			return errAt(file, 0, "example %q: %s", ex.Text, err)
		}
		if ex.Want != "" && !seen[ex.Want] && !countryRe.MatchString(ex.Want) {
			return errAt(file, 0, "example %q: want %q is no region of the file", ex.Text, ex.Want)
		}
	}
	return nil
}

func validateCategories(file string, c *Categories) error {
	var ids []string
	for _, cat := range c.Categories {
		switch {
		case !catIDRe.MatchString(cat.ID):
			return errAt(file, 0, "category id %q: need lower-case letters, digits and _", cat.ID)
		case cat.ID == OtherCategory:
			return errAt(file, 0, "category %q is implied: it is what matches nothing", OtherCategory)
		case slices.Contains(ids, cat.ID):
			return errAt(file, 0, "duplicate category %q", cat.ID)
		case len(cat.Patterns) == 0:
			return errAt(file, 0, "category %s has no patterns", cat.ID)
		}
		ids = append(ids, cat.ID)
		for _, pat := range cat.Patterns {
			if err := checkPattern(pat); err != "" {
				return errAt(file, 0, "category %s: pattern %q: %s", cat.ID, pat, err)
			}
		}
	}
	for _, ex := range c.Examples {
		if err := checkDimExample(ex); err != "" {
			return errAt(file, 0, "example %q: %s", ex.Text, err)
		}
		if ex.Want != OtherCategory && !slices.Contains(ids, ex.Want) {
			return errAt(file, 0, "example %q: unknown category %q", ex.Text, ex.Want)
		}
	}
	return nil
}

func checkDimExample(ex DimExample) string {
	switch {
	case ex.Text == "":
		return "empty text"
	case ex.Lang != "" && !langRe.MatchString(ex.Lang):
		return fmt.Sprintf("language %q is not a two-letter code", ex.Lang)
	case ex.Country != "" && !countryRe.MatchString(ex.Country):
		return fmt.Sprintf("country %q is not an ISO alpha-2 code", ex.Country)
	case ex.Kind != "" && ex.Kind != KindJob && ex.Kind != KindMarriage && ex.Kind != "other":
		return fmt.Sprintf("kind %q is not job, marriage or other", ex.Kind)
	}
	return ""
}
