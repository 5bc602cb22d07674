package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/demo"
)

// Crawler crawls every demo site once with the embedded site profiles,
// politeness delays removed so that the crawler itself is measured, and
// reports pages/s and ads/s.
func Crawler(ctx context.Context) ([]Row, error) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	ps, err := crawler.DefaultProfiles()
	if err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].BaseURL = srv.URL()
		ps[i].Delay = 0
	}
	var ads atomic.Int64
	progress := new(crawler.Progress)
	start := time.Now()
	err = crawler.Run(ctx, crawler.Options{Profiles: ps, Progress: progress, MaxRetries: -1,
		Sink: crawler.SinkFunc(func(context.Context, ad.Ad) error { ads.Add(1); return nil })})
	if err != nil {
		return nil, err
	}
	took := time.Since(start)
	st := progress.Stats()
	if st.Pages == 0 || ads.Load() == 0 {
		return nil, fmt.Errorf("bench: the crawl found nothing: %s", st)
	}
	return []Row{{Name: fmt.Sprintf("crawler, %d demo sites (no politeness delay)", len(ps)), Result: Rate(int(st.Pages), took, "pages/s"),
		Note: fmt.Sprintf("%d pages, %d ads (%s), %d failed pages (the demo's broken pages) in %v", st.Pages, ads.Load(), Rate(int(ads.Load()), took, "ads/s"), st.Errors, took.Round(time.Millisecond))}}, nil
}
