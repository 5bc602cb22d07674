package crawler_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/demo"
)

// Crawl the bundled demo job board once and count the ads sent.
func ExampleRun() {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	profiles, err := crawler.DefaultProfiles()
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range profiles {
		profiles[i].BaseURL = srv.URL() // the demo runs on a free port
		profiles[i].Delay = 0
	}
	dir, _ := os.MkdirTemp("", "lure-example")
	defer os.RemoveAll(dir)
	state, err := crawler.OpenState(filepath.Join(dir, "crawl.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer state.Close()

	var hostess ad.Ad
	n := 0
	sink := crawler.SinkFunc(func(ctx context.Context, a ad.Ad) error {
		n++
		if strings.HasSuffix(a.URL, "/hostess-turkey") {
			hostess = a
		}
		return nil
	})
	if err := crawler.Run(context.Background(), crawler.Options{Profiles: profiles, Sink: sink, State: state}); err != nil {
		fmt.Println(err)
		return
	}
	ads, _ := demo.Ads()
	id, _ := ad.MakeID("rabota-md", srv.URL()+demo.AdPath("rabota-md", "hostess-turkey"))
	fmt.Println(n == len(ads), hostess.ID == id, hostess.Lang)
	// Output: true true ru
}

func ExampleLoadProfile() {
	yml := `site: example-md
kind: job
base_url: https://example.md
start_urls: [/jobs/]
list: {item: li.job, link: a}
fields:
  title: {css: h1}
  body: {css: div.text}
  salry: {css: .salary}
`
	_, err := crawler.LoadProfile(strings.NewReader(yml), "example.yaml")
	fmt.Println(err)
	// Output: crawler: profile example.yaml:9: field salry not found in type crawler.FieldSpecs
}

// Try a profile on one page while setting up a site.
func ExampleTry() {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	profiles, _ := crawler.DefaultProfiles()
	for _, p := range profiles {
		if p.Site != "doska-ua" {
			continue
		}
		p.BaseURL = srv.URL()
		res, err := crawler.Try(context.Background(), p, srv.URL()+demo.CategoryPath("doska-ua", "posluhy", 1), crawler.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Status, res.Items, len(res.Links), res.AdErr != nil)
	}
	// Output: 200 7 7 true
}

// Keep the pages of sent ads as evidence.
func ExampleSnapshots() {
	dir, _ := os.MkdirTemp("", "lure-snapshots")
	defer os.RemoveAll(dir)
	snaps, err := crawler.OpenSnapshots(dir, crawler.SnapshotOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, _ := snaps.Put([]byte("<html>an ad</html>"), time.Now())
	page, _, err := snaps.Get(ref.String())
	fmt.Println(strings.HasPrefix(ref.String(), "sha256:"), string(page), err)
	// Output: true <html>an ad</html> <nil>
}
