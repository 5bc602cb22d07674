package network_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/network"
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
				if got := network.CityKey(regionOf(t, c, loc), loc); got != tc.want {
					t.Errorf("network.CityKey(%q) = %q, want %q", loc, got, tc.want)
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
			if got := network.CityKey(tc.region, tc.loc); got != tc.want {
				t.Errorf("network.CityKey(%q, %q) = %q, want %q", tc.region, tc.loc, got, tc.want)
			}
		})
	}
}
