package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lurewatch/lure/crawler"
)

const sitesUsage = `lure sites add [-out DIR] [-kind job|marriage] [-lang L] [-site ID] URL
    look at the site at URL (robots.txt, sitemaps, feeds, schema.org data),
    read a few ads and write a profile for it to DIR (default: sites)
lure sites lint [DIR|FILE...]
    check site profiles (default: the embedded ones); exit 1 on any problem
lure sites try [-sites DIR] [-user-agent UA] [-timeout D] PROFILE URL
    fetch URL and print what each selector of PROFILE (a site ID or a
    profile file) extracts`

// cmdSites runs "lure sites lint|try".
func cmdSites(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w:\n%s", errUsage, sitesUsage)
	}
	switch args[0] {
	case "add":
		return sitesAdd(ctx, args[1:], stdout, stderr)
	case "lint":
		return sitesLint(args[1:], stdout)
	case "try":
		return sitesTry(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, sitesUsage)
		return nil
	}
	return fmt.Errorf("%w: unknown sites command %q\n%s", errUsage, args[0], sitesUsage)
}

// errLint says lint found problems; they are already printed.
var errLint = errors.New("profiles have problems")

// sitesLint checks every profile named by args (files, or directories of
// *.yaml), or the embedded ones, and prints one line per profile.
func sitesLint(args []string, stdout io.Writer) error {
	type item struct {
		name string
		open func() (io.ReadCloser, error)
	}
	var items []item
	if len(args) == 0 {
		sub, err := fs.Sub(crawler.SitesFS, "sites")
		if err != nil {
			return err
		}
		names, _ := fs.Glob(sub, "*.yaml")
		for _, n := range names {
			items = append(items, item{"embedded:" + n, func() (io.ReadCloser, error) { return sub.Open(n) }})
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return err
		}
		if !st.IsDir() {
			items = append(items, item{a, func() (io.ReadCloser, error) { return os.Open(a) }})
			continue
		}
		names, err := filepath.Glob(filepath.Join(a, "*.yaml"))
		if err != nil {
			return err
		}
		sort.Strings(names)
		if len(names) == 0 {
			return fmt.Errorf("%s: no *.yaml profiles", a)
		}
		for _, n := range names {
			items = append(items, item{n, func() (io.ReadCloser, error) { return os.Open(n) }})
		}
	}
	bad := 0
	sites := map[string]string{}
	for _, it := range items {
		f, err := it.open()
		if err != nil {
			return err
		}
		p, err := crawler.LoadProfile(f, it.name)
		f.Close()
		var le *crawler.LoadError
		switch {
		case errors.As(err, &le):
			bad++
			for _, m := range le.Msgs {
				fmt.Fprintln(stdout, m)
			}
		case err != nil:
			bad++
			fmt.Fprintln(stdout, strings.TrimPrefix(err.Error(), "crawler: profile "))
		default:
			if prev, ok := sites[p.Site]; ok {
				bad++
				fmt.Fprintf(stdout, "%s: site %q is already defined in %s\n", it.name, p.Site, prev)
				continue
			}
			sites[p.Site] = it.name
			typ := p.Type
			if typ == "" {
				typ = crawler.TypeHTML
			}
			recheck := "recheck_max off"
			switch {
			case p.RecheckMax == 0:
				recheck = fmt.Sprintf("recheck_max %d", crawler.DefaultRecheckMax)
			case p.RecheckMax > 0:
				recheck = fmt.Sprintf("recheck_max %d", p.RecheckMax)
			}
			from := fmt.Sprintf("%d start URLs", len(p.StartURLs))
			switch typ {
			case crawler.TypeSitemap:
				from = fmt.Sprintf("%d sitemaps", len(p.Sitemaps))
				if len(p.Sitemaps) == 0 {
					from = "sitemaps from robots.txt"
				}
			case crawler.TypeFeed:
				from = fmt.Sprintf("%d feeds", len(p.Feeds))
			}
			fmt.Fprintf(stdout, "ok  %s: %s (%s, %s, %s, %s)\n", it.name, p.Site, typ, p.Kind, from, recheck)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%w: %d of %d", errLint, bad, len(items))
	}
	return nil
}

// findProfile loads the profile named by ref: a file, or a site ID among
// the profiles of dir (or the embedded ones).
func findProfile(ref, dir string) (crawler.Profile, error) {
	if strings.HasSuffix(ref, ".yaml") || strings.ContainsRune(ref, os.PathSeparator) {
		f, err := os.Open(ref)
		if err != nil {
			return crawler.Profile{}, err
		}
		defer f.Close()
		return crawler.LoadProfile(f, ref)
	}
	var ps []crawler.Profile
	var err error
	if dir != "" {
		ps, err = crawler.LoadProfiles(os.DirFS(dir))
	} else {
		ps, err = crawler.DefaultProfiles()
	}
	if err != nil {
		return crawler.Profile{}, err
	}
	var ids []string
	for _, p := range ps {
		if p.Site == ref {
			return p, nil
		}
		ids = append(ids, p.Site)
	}
	return crawler.Profile{}, fmt.Errorf("no profile for site %q (have %s)", ref, strings.Join(ids, ", "))
}

func sitesTry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("lure sites try", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := fset.String("sites", "", "directory of site profiles (default: the embedded ones)")
	ua := fset.String("user-agent", crawler.DefaultUserAgent, "User-Agent, with a contact URL")
	timeout := fset.Duration("timeout", 20*time.Second, "request timeout")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 2 {
		return fmt.Errorf("%w: lure sites try [flags] PROFILE URL", errUsage)
	}
	p, err := findProfile(fset.Arg(0), *dir)
	if err != nil {
		return err
	}
	res, err := crawler.Try(ctx, p, fset.Arg(1), crawler.Options{UserAgent: *ua, Timeout: *timeout})
	if res != nil {
		fmt.Fprintf(stdout, "GET %s\n  status %d, %s, %d bytes\n", res.URL, res.Status, res.ContentType, res.Bytes)
	}
	if err != nil {
		return err
	}
	printTry(stdout, p, res)
	return nil
}

func printTry(w io.Writer, p crawler.Profile, res *crawler.TryResult) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	defer tw.Flush()
	if p.IsTelegram() {
		fmt.Fprintf(tw, "\nposts\t%d\n", len(res.Posts))
		for _, x := range res.Posts {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", x.Ad.URL, x.Ad.Posted.Format(time.RFC3339), quote(x.Ad.Title, 80))
		}
		fmt.Fprintf(tw, "older posts\t%s\n", orNone(res.Next))
		return
	}
	if p.Type == crawler.TypeSitemap || p.Type == crawler.TypeFeed {
		printTryStructured(tw, p, res)
		return
	}
	fmt.Fprintf(tw, "\nlist selectors\n")
	fmt.Fprintf(tw, "  list.item\t%s\t%d matched\n", p.List.Item, res.Items)
	fmt.Fprintf(tw, "  list.link\t%s\t%d links\n", p.List.Link, len(res.Links))
	for i, l := range res.Links {
		if i == 5 {
			fmt.Fprintf(tw, "    …\t%d more\n", len(res.Links)-5)
			break
		}
		fmt.Fprintf(tw, "    %s\n", l)
	}
	fmt.Fprintf(tw, "  list.next\t%s\t%s\n", orNone(p.List.Next), orNone(res.Next))
	fmt.Fprintf(tw, "\nad field selectors\n")
	for _, f := range []struct {
		name string
		sel  crawler.Selector
	}{
		{"title", p.Fields.Title}, {"body", p.Fields.Body}, {"salary", p.Fields.Salary}, {"location", p.Fields.Location},
		{"contact", p.Fields.Contact}, {"posted", p.Fields.Posted}, {"lang", p.Fields.Lang},
	} {
		sel := f.sel.CSS
		if f.sel.Attr != "" {
			sel += " @" + f.sel.Attr
		}
		v := res.Fields[f.name]
		fmt.Fprintf(tw, "  fields.%s\t%s\t%s\n", f.name, orNone(sel), quote(v, 100))
	}
	switch {
	case res.Ad != nil:
		fmt.Fprintf(tw, "\nad\tok: id %s, lang %s, posted %s\n", res.Ad.ID, orNone(res.Ad.Lang), res.Ad.Posted.Format(time.RFC3339))
	case res.AdErr != nil:
		fmt.Fprintf(tw, "\nad\tnot an ad page: %v\n", res.AdErr)
	}
}

// printTryStructured shows what a sitemap or feed profile reads from an
// ad page: each field, and whether a selector or the structured data
// gave it.
func printTryStructured(tw io.Writer, p crawler.Profile, res *crawler.TryResult) {
	if res.Structured != nil {
		fmt.Fprintf(tw, "\nstructured data\t%s; types %s\n", orNone(strings.Join(res.Structured.Sources, ", ")), orNone(strings.Join(res.Structured.Types, ", ")))
	}
	if res.Ad == nil {
		fmt.Fprintf(tw, "\nad\tnot an ad page: %v\n", res.AdErr)
		return
	}
	a := res.Ad
	fmt.Fprintf(tw, "\nad fields\n")
	for _, f := range []struct {
		name, v string
		sel     crawler.Selector
	}{
		{"title", a.Title, p.Fields.Title}, {"body", a.Body, p.Fields.Body}, {"salary", a.Salary, p.Fields.Salary},
		{"location", a.Location, p.Fields.Location}, {"contact", a.Contact, p.Fields.Contact}, {"lang", a.Lang, p.Fields.Lang},
	} {
		from := "structured"
		if f.sel.CSS != "" {
			from = f.sel.CSS
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.name, from, quote(f.v, 100))
	}
	fmt.Fprintf(tw, "\nad\tok: id %s, lang %s, posted %s\n", a.ID, orNone(a.Lang), a.Posted.Format(time.RFC3339))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// quote shows a value on one line, cut to n runes.
func quote(s string, n int) string {
	if s == "" {
		return "(no match)"
	}
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
