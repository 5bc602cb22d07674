package app

import (
	"os"

	"github.com/lurewatch/lure/crawler"
)

func (a *App) startCampaign(sc serveContext) error { return nil }

// siteCountries maps each site of the crawler profiles (--sites, else
// the embedded ones) to its country, for the origin region of campaign
// statistics (classifier.Options.SiteCountry). Profiles that fail to load
// give no countries: regions then come from location texts alone.
func siteCountries(sitesDir string) map[string]string {
	var ps []crawler.Profile
	var err error
	if sitesDir != "" {
		ps, err = crawler.LoadProfiles(os.DirFS(sitesDir))
	} else {
		ps, err = crawler.DefaultProfiles()
	}
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range ps {
		if p.Country != "" {
			out[p.Site] = p.Country
		}
	}
	return out
}
