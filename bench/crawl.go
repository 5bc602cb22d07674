package bench

import (
	"context"
	"fmt"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/demo"
)

// Crawler crawls every demo site with the embedded site profiles,
// politeness delays removed so that the crawler itself is measured, and
// reports pages/s and ads/s: once without the demo's deliberately slow
// pages (which only wait for the profile timeout) and once with them.
func Crawler(ctx context.Context) ([]Row, error) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	// The demo's deliberately slow pages wait for the profile timeout; the
	// main row leaves them out (an exclude pattern per slow ad), and a
	// second row crawls everything.
	all, err := demo.AllAds()
	if err != nil {
		return nil, err
	}
	slow := map[string][]string{}
	for _, a := range all {
		if a.Broken == demo.BrokenSlow {
			slow[a.Site] = append(slow[a.Site], "re:/"+regexp.QuoteMeta(a.Slug)+"$")
		}
	}
	without, err := crawlOnce(ctx, srv.URL(), slow)
	if err != nil {
		return nil, err
	}
	with, err := crawlOnce(ctx, srv.URL(), nil)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, pats := range slow {
		n += len(pats)
	}
	plural := "s"
	if n == 1 {
		plural = ""
	}
	without.Name = fmt.Sprintf("crawler, %d demo sites (no politeness delay, without the %d deliberately slow page%s)", without.sites, n, plural)
	with.Name = fmt.Sprintf("crawler, %d demo sites (no politeness delay, slow pages included: they wait for the timeout)", with.sites)
	without.Baseline = "with the slow pages: " + with.Result
	return []Row{without.Row, with.Row}, nil
}

type crawlRow struct {
	Row
	sites int
}

// crawlOnce crawls the demo sites at base once with the embedded
// profiles, excluding the given patterns per site.
func crawlOnce(ctx context.Context, base string, exclude map[string][]string) (crawlRow, error) {
	ps, err := crawler.DefaultProfiles()
	if err != nil {
		return crawlRow{}, err
	}
	for i := range ps {
		ps[i].BaseURL = base
		ps[i].Delay = 0
		ps[i].Exclude = append(ps[i].Exclude, exclude[ps[i].Site]...)
	}
	var ads atomic.Int64
	progress := new(crawler.Progress)
	start := time.Now()
	err = crawler.Run(ctx, crawler.Options{Profiles: ps, Progress: progress, MaxRetries: -1,
		Sink: crawler.SinkFunc(func(context.Context, ad.Ad) error { ads.Add(1); return nil })})
	if err != nil {
		return crawlRow{}, err
	}
	took := time.Since(start)
	st := progress.Stats()
	if st.Pages == 0 || ads.Load() == 0 {
		return crawlRow{}, fmt.Errorf("bench: the crawl found nothing: %s", st)
	}
	return crawlRow{Row: Row{Result: Rate(int(st.Pages), took, "pages/s"),
		Note: fmt.Sprintf("%d pages, %d ads (%s), %d failed pages (the demo's broken pages) in %v", st.Pages, ads.Load(), Rate(int(ads.Load()), took, "ads/s"), st.Errors, took.Round(time.Millisecond))},
		sites: len(ps)}, nil
}
