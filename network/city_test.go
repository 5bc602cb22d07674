package network

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/rules"
)

// regionOf scores an ad at location loc with the default rule pack and
// returns its region, as the pipeline sets it before the engine sees
// the verdict.
func regionOf(t *testing.T, c *classifier.Classifier, loc string) string {
	t.Helper()
	v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "x", Site: "s", Kind: ad.KindJob,
		Title: "Работа", Body: "Работа за границей", Location: loc})
	return v.Entities.Region
}

func defaultClassifier(t *testing.T) *classifier.Classifier {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(p, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCityKeyScripts(t *testing.T) {
	c := defaultClassifier(t)
	for _, tc := range []struct {
		want string
		locs []string
	}{
		{"UA/Kyiv", []string{"Kyiv", "Київ", "Киев", "г. Киев, Украина", "Kiev"}},
		{"MD/Chișinău", []string{"Chișinău", "Кишинёв", "Кишинев", "Kishinev", "mun. Chișinău"}},
		{"UA/Odesa", []string{"Odesa", "Одеса", "Одесса"}},
	} {
		t.Run(tc.want, func(t *testing.T) {
			for _, loc := range tc.locs {
				if got := CityKey(regionOf(t, c, loc), loc); got != tc.want {
					t.Errorf("CityKey(%q) = %q, want %q", loc, got, tc.want)
				}
			}
		})
	}
}

func TestCityKeyFallback(t *testing.T) {
	for _, tc := range []struct{ name, region, loc, want string }{
		{"city region", "MD/Chișinău", "Кишинёв", "MD/Chișinău"},
		{"country code is not a city", "UA", "г. Бровары, Киевская обл.", "бровары"},
		{"no region", "", "Київ (центр)", "київ"},
		{"nothing", "", "", ""},
		{"oversized region", "MD/" + strings.Repeat("x", 300), "Tokyo", "tokyo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CityKey(tc.region, tc.loc); got != tc.want {
				t.Errorf("CityKey(%q, %q) = %q, want %q", tc.region, tc.loc, got, tc.want)
			}
		})
	}
}

// TestContactCitiesAcrossScripts: one phone in three ads of one city
// written in three scripts is one city, in three cities three.
func TestContactCitiesAcrossScripts(t *testing.T) {
	c := defaultClassifier(t)
	for _, tc := range []struct {
		name   string
		locs   []string
		cities int
		fires  bool
	}{
		{"one city in three scripts", []string{"Київ", "Киев", "Kyiv"}, 1, false},
		{"three cities", []string{"Київ", "Одесса", "Chișinău"}, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			e, err := New(ctx, Options{Store: st})
			if err != nil {
				t.Fatal(err)
			}
			for i, loc := range tc.locs {
				v := verdict("c"+string(rune('0'+i)), "s", loc, fill("3000", []string{"Ольгу", "Марину", "Наташу"}[i]), "+380441234567")
				v.Ad.Posted = time.Date(2026, 3, 1+3*i, 0, 0, 0, 0, time.UTC) // no burst
				v.Entities.Region = regionOf(t, c, loc)
				feed(t, st, e, v)
			}
			cv, err := NewViews(st, Weights{}).Cluster(ctx, "c0")
			if err != nil {
				t.Fatal(err)
			}
			if len(cv.ContactList) != 1 || len(cv.ContactList[0].Cities) != tc.cities || cv.Cities != tc.cities {
				t.Fatalf("cluster of %d cities, contacts %+v; want %d cities", cv.Cities, cv.ContactList, tc.cities)
			}
			for _, f := range cv.Network.Features {
				if f.Name == "contact_cities" && f.Fired != tc.fires {
					t.Errorf("contact_cities fired = %v, want %v (%s)", f.Fired, tc.fires, f.Detail)
				}
			}
		})
	}
}
