package classifier_test

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/demo"
	"github.com/lurewatch/lure/rules"
)

// TestDimsDemoCoverage measures how many demo ads get an origin region
// and a job category, with the site countries of crawler/sites. The
// bounds are below what the default pack reaches, so that a regression
// in regions.yaml or categories.yaml fails here.
func TestDimsDemoCoverage(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	// The countries of crawler/sites/*.yaml.
	home := map[string]string{"rabota-md": "MD", "doska-ua": "UA", "svaha-intl": "UA", "vakansii-kz": "KZ", "bazar-kg": "KG"}
	sites, err := demo.Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, withHome := range []bool{false, true} {
		opts := classifier.Options{}
		if withHome {
			opts.SiteCountry = home
		}
		c, err := classifier.New(p, opts)
		if err != nil {
			t.Fatal(err)
		}
		var n, city, country, cat int
		byCat := map[string]int{}
		for _, s := range sites {
			for _, a := range s.Ads {
				kind := ad.Kind(s.Kind)
				if !kind.Valid() {
					kind = ad.KindJob
				}
				v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: a.Slug, Site: s.ID, Kind: kind, Lang: a.Lang,
					Title: a.Title, Body: a.Body, Salary: a.Salary, Location: a.Location, Contact: a.Contact})
				n++
				switch r := v.Entities.Region; {
				case len(r) > 2:
					city++
				case r != "":
					country++
				}
				byCat[v.Entities.Category]++
				if testing.Verbose() && withHome && v.Entities.Category == rules.OtherCategory {
					t.Logf("other: %s", a.Title)
				}
				if v.Entities.Category != rules.OtherCategory {
					cat++
				}
			}
		}
		t.Logf("site countries known=%v: %d ads; region (city/region) %d, country only %d, none %d; category %d (other %d); by category %v",
			withHome, n, city, country, n-city-country, cat, n-cat, byCat)
		if city < n/4 || cat < n*3/4 {
			t.Errorf("coverage fell: %d of %d with a region, %d with a category", city, n, cat)
		}
	}
}
