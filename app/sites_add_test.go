package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/demo"
)

// TestRunDiscoveredSites is `lure sites add` on the two demo sites that
// publish only machine-readable data (a JSON-LD job board with a gzipped
// sitemap index and no list pages; a classifieds site with an RSS feed
// and microdata), then `lure run --sites DIR` with only those profiles:
// every ad of both sites is stored with its title, body, salary and
// location, and the expired posting is not.
func TestRunDiscoveredSites(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sites := t.TempDir()
	for _, s := range []struct{ site, kind string }{{"vakansii-kz", ""}, {"bazar-kg", "job"}} {
		d, err := crawler.Discover(context.Background(), srv.URL()+"/"+s.site+"/",
			crawler.DiscoverOptions{Kind: ad.Kind(s.kind), Delay: time.Millisecond})
		if err != nil {
			t.Fatalf("discover %s: %v", s.site, err)
		}
		if d.Profile.Site != s.site {
			t.Errorf("discover %s: site ID %q", s.site, d.Profile.Site)
		}
		b, err := crawler.FormatProfile(d.Profile, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sites, s.site+".yaml"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	profiles, err := crawler.LoadProfiles(os.DirFS(sites))
	if err != nil {
		t.Fatalf("the written profiles do not load: %v", err)
	}
	types := map[string]string{}
	for _, p := range profiles {
		types[p.Site] = p.Type
	}
	if types["vakansii-kz"] != crawler.TypeSitemap || types["bazar-kg"] != crawler.TypeFeed {
		t.Errorf("profile types %v, want vakansii-kz sitemap and bazar-kg feed", types)
	}

	dir := t.TempDir()
	apiToken = makeToken(t, dir)
	a, stop := startApp(t, Options{
		DataDir: dir, HTTPAddr: "127.0.0.1:0", BrokerAddr: "127.0.0.1:0", SitesDir: sites,
		DrainTimeout: 20 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	defer func() {
		stop()
		if err := a.Wait(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()
	want := map[string]demo.Ad{}
	for _, site := range []string{"vakansii-kz", "bazar-kg"} {
		ads, err := demo.SiteAds(site)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ads {
			want[x.Slug] = x
		}
	}
	base := a.HTTPURL()
	var list apiList
	waitFor(t, 90*time.Second, "every ad of both sites stored", func() bool {
		list = listAll(t, base, "")
		return list.Total >= len(want)
	})
	if list.Total != len(want) {
		t.Errorf("stored %d ads, want %d", list.Total, len(want))
	}
	for _, s := range list.Ads {
		slug := s.URL[strings.LastIndexByte(s.URL, '/')+1:]
		w, ok := want[slug]
		if !ok {
			t.Errorf("stored an ad the sites do not deliver: %s", s.URL)
			continue
		}
		var v ad.Verdict
		getJSON(t, base+"/api/v1/ads/"+s.ID, &v)
		x := v.Ad
		if x.Title == "" || x.Body == "" || x.Salary == "" || x.Location == "" {
			t.Errorf("%s: title %q, body %d bytes, salary %q, location %q", s.URL, x.Title, len(x.Body), x.Salary, x.Location)
		}
		if !strings.Contains(x.Title, strings.TrimSpace(w.Title)) && !strings.Contains(w.Title, x.Title) {
			t.Errorf("%s: title %q, the site says %q", s.URL, x.Title, w.Title)
		}
	}
}
