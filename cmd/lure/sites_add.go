package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/redact"
)

// sitesAdd runs "lure sites add": Discover, print what was found, write
// the profile.
func sitesAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("lure sites add", flag.ContinueOnError)
	fset.SetOutput(stderr)
	out := fset.String("out", "sites", "directory the profile is written to (created if needed)")
	kind := fset.String("kind", "", "kind of ads: job or marriage (default: job when the pages carry schema.org JobPosting)")
	lang := fset.String("lang", "", "language of the ads, e.g. ru or kk (default: what the pages declare)")
	site := fset.String("site", "", "site ID (default: derived from the URL)")
	force := fset.Bool("force", false, "overwrite an existing profile file")
	ua := fset.String("user-agent", crawler.DefaultUserAgent, "User-Agent, with a contact URL")
	timeout := fset.Duration("timeout", 20*time.Second, "request timeout")
	delay := fset.Duration("delay", crawler.DefaultDiscoverDelay, "pause between two requests to the site")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return fmt.Errorf("%w: lure sites add [flags] URL", errUsage)
	}
	if *kind != "" && !ad.Kind(*kind).Valid() {
		return fmt.Errorf("%w: -kind %q must be job, marriage or other", errUsage, *kind)
	}
	d, err := crawler.Discover(ctx, fset.Arg(0), crawler.DiscoverOptions{
		Kind: ad.Kind(*kind), Lang: *lang, Site: *site, UserAgent: *ua, Timeout: *timeout, Delay: *delay,
	})
	if d != nil {
		printDiscovery(stdout, d)
	}
	if err != nil {
		return err
	}
	p := d.Profile
	header := fmt.Sprintf("%s — written by `lure sites add %s` on %s.\nCheck it with `lure sites lint %s`; crawl it with `lure run --sites %s`.",
		p.Name, d.Root, time.Now().UTC().Format("2006-01-02"), *out, *out)
	b, err := crawler.FormatProfile(p, header)
	if err != nil {
		return err
	}
	// What is written must load as it is.
	if _, err := crawler.LoadProfile(strings.NewReader(string(b)), p.Site+".yaml"); err != nil {
		return fmt.Errorf("suggested profile does not load: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	file := filepath.Join(*out, p.Site+".yaml")
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(file, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists; pass -force to overwrite it, or -site to name the profile otherwise", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nprofile  wrote %s (site %s, type %s, kind %s, lang %s)\n", file, p.Site, p.Type, p.Kind, orNone(p.Lang))
	fmt.Fprintf(stdout, "next     lure sites lint %s && lure run --sites %s\n", *out, *out)
	return nil
}

func printDiscovery(w io.Writer, d *crawler.Discovery) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintf(tw, "site\t%s\n", d.Root)
	rob := "none"
	if d.Robots {
		rob = fmt.Sprintf("found, names %d sitemaps", len(d.RobotsSitemaps))
	}
	fmt.Fprintf(tw, "robots.txt\t%s\n", rob)
	docs := func(label string, list []crawler.FoundDoc) {
		if len(list) == 0 {
			fmt.Fprintf(tw, "%s\t(none found)\n", label)
		}
		for i, doc := range list {
			if i > 0 {
				label = ""
			}
			what := fmt.Sprintf("%s, %d entries", doc.Format, doc.Entries)
			if doc.Err != "" {
				what = "unusable: " + doc.Err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", label, doc.URL, what)
		}
	}
	docs("sitemaps", d.Sitemaps)
	docs("feeds", d.Feeds)
	if d.URLs > 0 {
		pattern := "(none read as ads)"
		if len(d.Profile.Include) > 0 && d.Samples != nil {
			pattern = d.Profile.Include[0]
		}
		fmt.Fprintf(tw, "ad pages\t%d of %d URLs match %s\n", d.AdURLs, d.URLs, pattern)
	}
	for i, s := range d.Samples {
		fmt.Fprintf(tw, "sample %d\t%s\n", i+1, s.URL)
		if len(s.Structured.Sources) > 0 {
			fmt.Fprintf(tw, "\tdata\t%s; types %s\n", strings.Join(s.Structured.Sources, ", "), orNone(strings.Join(s.Structured.Types, ", ")))
			fmt.Fprintf(tw, "\tfields\t%s\n", orNone(strings.Join(s.Structured.Fields, ", ")))
		}
		if s.Ad == nil {
			fmt.Fprintf(tw, "\tad\tnone: %s\n", s.Err)
			continue
		}
		a := s.Ad
		fmt.Fprintf(tw, "\ttitle\t%s\n", quote(a.Title, 80))
		fmt.Fprintf(tw, "\tbody\t%s\n", quote(a.Body, 80))
		fmt.Fprintf(tw, "\tsalary\t%s\n", quote(a.Salary, 60))
		fmt.Fprintf(tw, "\tlocation\t%s\n", quote(a.Location, 60))
		// Contact details are personal data: shown masked.
		fmt.Fprintf(tw, "\tcontact\t%s\n", orNone(redact.String(a.Contact)))
		posted := "(none)"
		if !a.Posted.IsZero() {
			posted = a.Posted.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "\tlang, posted\t%s, %s\n", orNone(a.Lang), posted)
	}
}
