package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/exchange"
	"github.com/lurewatch/lure/store"
)

const indicatorsUsage = `Usage:
  lure indicators export --format stix|misp --org NAME --out FILE [--share-key-file F | --plain]
                         [--since DATE] [--min-confirmed N] [--tlp clear|green|amber|amber+strict|red] [--data-dir D]
  lure indicators import [--share-key-file F] [--partner NAME] [--data-dir D] FILE
  lure indicators match  --share-key-file F [--data-dir D]
  lure indicators list   [--partner NAME] [--data-dir D]

export writes the contacts and ad-template signatures of the ads analysts
confirmed; contacts are HMAC-SHA256 under the shared key unless --plain.
import reads a partner's STIX 2.1 bundle or MISP event (detected), checks
all of it, then stores it in one transaction and marks the local ads it
matches. match marks ads that arrived since, for hashed contacts and
templates. list counts the indicators of each partner.
`

func cmdIndicators(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, indicatorsUsage)
		return fmt.Errorf("%w: lure indicators export|import|match|list", errUsage)
	}
	switch args[0] {
	case "export":
		return indicatorsExport(ctx, args[1:], stdout, stderr)
	case "import":
		return indicatorsImport(ctx, args[1:], stdout, stderr)
	case "match":
		return indicatorsMatch(ctx, args[1:], stdout, stderr)
	case "list":
		return indicatorsList(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, indicatorsUsage)
		return nil
	}
	fmt.Fprint(stderr, indicatorsUsage)
	return fmt.Errorf("%w: unknown indicators command %q", errUsage, args[0])
}

func indicatorsFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lure indicators "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, indicatorsUsage)
		fs.PrintDefaults()
	}
	return fs
}

func openStore(ctx context.Context, dataDir string) (*store.Store, error) {
	p := app.Paths(dataDir).Store
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("no store at %s: %w", p, err)
	}
	return store.Open(ctx, p)
}

// parseDate reads --since: a date (2026-01-31) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --since %q: want YYYY-MM-DD or an RFC 3339 time", errUsage, s)
	}
	return t, nil
}

func indicatorsExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := indicatorsFlags("export", stderr)
	dataDir := dataDirFlag(fs, "data directory holding lure.db")
	format := fs.String("format", "stix", "stix (STIX 2.1 bundle) or misp (MISP event)")
	since := fs.String("since", "", "only indicators last seen on or after this date (YYYY-MM-DD)")
	minConfirmed := fs.Int("min-confirmed", 1, "only indicators of at least this many confirmed ads")
	keyFile := fs.String("share-key-file", "", "file holding the key shared with the partners (at least 32 bytes)")
	plain := fs.Bool("plain", false, "export contact values in the clear instead of hashed")
	org := fs.String("org", "", "the name of the sending organisation")
	tlp := fs.String("tlp", "amber", "TLP 2.0 level of the export: clear, green, amber, amber+strict or red")
	out := fs.String("out", "", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	case *out == "":
		return fmt.Errorf("%w: --out FILE is required", errUsage)
	case *org == "":
		return fmt.Errorf("%w: --org NAME is required", errUsage)
	case *plain && *keyFile != "":
		return fmt.Errorf("%w: --plain and --share-key-file exclude each other", errUsage)
	case !*plain && *keyFile == "":
		return fmt.Errorf("%w: --share-key-file F is required (or --plain to export contact values in the clear)", errUsage)
	case *format != exchange.FormatSTIX && *format != exchange.FormatMISP:
		return fmt.Errorf("%w: --format %q: want stix or misp", errUsage, *format)
	case !store.ValidTLP(*tlp):
		return fmt.Errorf("%w: --tlp %q: want clear, green, amber, amber+strict or red", errUsage, *tlp)
	}
	t, err := parseDate(*since)
	if err != nil {
		return err
	}
	opts := exchange.ExportOptions{Since: t, MinConfirmed: *minConfirmed, Plain: *plain, Org: *org, TLP: *tlp}
	if !*plain {
		if opts.Key, err = exchange.LoadKey(*keyFile); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return fmt.Errorf("indicators export: %w", err)
	}
	defer st.Close()
	// Write next to the target and rename, so a failed export leaves no
	// half-written file.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".lure-indicators-*")
	if err != nil {
		return fmt.Errorf("indicators export: %w", err)
	}
	defer os.Remove(tmp.Name())
	set, err := exchange.Export(ctx, st, "cli", *format, opts, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("indicators export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("indicators export: %w", err)
	}
	how := "hashed"
	if *plain {
		how = "PLAIN"
	}
	fmt.Fprintf(stdout, "exported %d indicators (%s contacts, TLP:%s, %s) to %s\n", len(set.Indicators), how, *tlp, *format, *out)
	return nil
}

func indicatorsImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := indicatorsFlags("import", stderr)
	dataDir := dataDirFlag(fs, "data directory holding lure.db")
	keyFile := fs.String("share-key-file", "", "file holding the key shared with the partners, to match hashed contacts")
	partner := fs.String("partner", "", "the partner's name (default: the organisation the file names)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: lure indicators import [flags] FILE", errUsage)
	}
	var key []byte
	var err error
	if *keyFile != "" {
		if key, err = exchange.LoadKey(*keyFile); err != nil {
			return err
		}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("indicators import: %w", err)
	}
	data, err := exchange.ReadFile(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("indicators import: %w", err)
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return fmt.Errorf("indicators import: %w", err)
	}
	defer st.Close()
	rep, err := exchange.Import(ctx, st, data, exchange.ImportOptions{Actor: "cli", Partner: *partner, Key: key, Source: filepath.Base(fs.Arg(0))})
	if err != nil {
		return fmt.Errorf("indicators import: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d indicators from %s (%s, TLP:%s): %d new, %d updated, %d objects skipped; %d ads newly matched\n",
		rep.Indicators, rep.Partner, rep.Format, rep.TLP, rep.Added, rep.Updated, rep.Skipped, rep.Match.New)
	if key == nil {
		fmt.Fprintln(stderr, "indicators import: no --share-key-file: hashed contacts are stored but match no ad until lure indicators match runs with the key")
	}
	return nil
}

func indicatorsMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := indicatorsFlags("match", stderr)
	dataDir := dataDirFlag(fs, "data directory holding lure.db")
	keyFile := fs.String("share-key-file", "", "file holding the key shared with the partners")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	var key []byte
	var err error
	if *keyFile != "" {
		if key, err = exchange.LoadKey(*keyFile); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return fmt.Errorf("indicators match: %w", err)
	}
	defer st.Close()
	res, err := exchange.Match(ctx, st, key)
	if err != nil {
		return fmt.Errorf("indicators match: %w", err)
	}
	fmt.Fprintf(stdout, "matched %d hashed contacts and %d templates; %d ads newly linked\n", res.Hashes, res.Templates, res.New)
	return nil
}

func indicatorsList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := indicatorsFlags("list", stderr)
	dataDir := dataDirFlag(fs, "data directory holding lure.db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return fmt.Errorf("indicators list: %w", err)
	}
	defer st.Close()
	ps, err := st.Partners(ctx)
	if err != nil {
		return fmt.Errorf("indicators list: %w", err)
	}
	if len(ps) == 0 {
		fmt.Fprintln(stdout, "no partner indicators")
		return nil
	}
	for _, p := range ps {
		fmt.Fprintf(stdout, "%s\t%d indicators (phone %d, email %d, handle %d, template %d)\t%d local ads known\n", p.Partner, p.Indicators,
			p.ByKind[store.IndicatorPhone], p.ByKind[store.IndicatorEmail], p.ByKind[store.IndicatorHandle], p.ByKind[store.IndicatorTemplate], p.KnownAds)
	}
	return nil
}
