package app

import (
	"os"

	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/notice"
)

func (a *App) startCampaign(sc serveContext) error { return nil }

// siteCountries maps each site of the crawler profiles (--sites, else
// the embedded ones) to its country, for the origin region of campaign
// statistics (classifier.Options.SiteCountry). Profiles that fail to load
// give no countries: regions then come from location texts alone.
func siteCountries(sitesDir string) map[string]string {
	return siteField(sitesDir, func(p crawler.Profile) string { return p.Country })
}

// siteGenres maps each news or NGO site of the crawler profiles to its
// genre (classifier.Options.SiteGenre, feature reporting_site).
func siteGenres(sitesDir string) map[string]string {
	return siteField(sitesDir, func(p crawler.Profile) string { return p.Genre })
}

// sitePlatforms maps each site of the crawler profiles that names its
// platform or notice contact to the addressee of its takedown notices
// (notice.Options.Platforms).
func sitePlatforms(sitesDir string) map[string]notice.Platform {
	names := siteField(sitesDir, func(p crawler.Profile) string { return p.PlatformName })
	contacts := siteField(sitesDir, func(p crawler.Profile) string { return p.NoticeContact })
	out := map[string]notice.Platform{}
	for _, m := range []map[string]string{names, contacts} {
		for site := range m {
			out[site] = notice.Platform{Name: names[site], Contact: contacts[site]}
		}
	}
	return out
}

// siteField maps each site of the crawler profiles to a non-empty field.
func siteField(sitesDir string, field func(crawler.Profile) string) map[string]string {
	ps, err := loadProfiles(sitesDir)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range ps {
		if v := field(p); v != "" {
			out[p.Site] = v
		}
	}
	return out
}

// loadProfiles loads the crawler profiles of sitesDir, or the embedded
// ones when it is "".
func loadProfiles(sitesDir string) ([]crawler.Profile, error) {
	if sitesDir != "" {
		return crawler.LoadProfiles(os.DirFS(sitesDir))
	}
	return crawler.DefaultProfiles()
}
