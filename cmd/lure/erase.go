package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/store"
)

// maxContactBytes bounds the contact given to lure erase.
const maxContactBytes = 320

// contactKeys returns the forms under which the store keys a contact
// written as value (a phone, e-mail, @handle or t.me link), and the
// written forms to look for in ad texts. Phones without a country code
// are read in region (ISO alpha-2), as the classifier reads them.
func contactKeys(value, region string) (keys, written []string, err error) {
	v := strings.TrimSpace(value)
	if v == "" || len(v) > maxContactBytes {
		return nil, nil, fmt.Errorf("%w: --contact must be 1 to %d bytes", errUsage, maxContactBytes)
	}
	low := strings.ToLower(v)
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	for _, p := range []string{"https://", "http://", "www."} {
		low = strings.TrimPrefix(low, p)
	}
	for _, p := range []string{"telegram.me/", "telegram.dog/"} {
		if rest, ok := strings.CutPrefix(low, p); ok {
			low = "t.me/" + rest
		}
	}
	switch {
	case strings.HasPrefix(low, "@"):
		return []string{low, "t.me/" + low[1:]}, []string{v}, nil
	case strings.HasPrefix(low, "t.me/"):
		return []string{low, "@" + strings.TrimPrefix(low, "t.me/")}, []string{v}, nil
	case strings.Contains(low, "@") || strings.Contains(low, "/"):
		return []string{low}, []string{v}, nil
	case digits >= 7:
		e, _ := classifier.E164(v, strings.ToUpper(region))
		return []string{e}, []string{v}, nil
	}
	return []string{low}, []string{v}, nil
}

// cmdErase erases one contact from a data dir offline.
func cmdErase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure erase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: lure erase [--data-dir DIR] --contact VALUE [--region CC] [--dry-run]\n"+
			"Erases a phone, e-mail or messenger handle from every record of DIR (ads, contacts, networks, notices,\n"+
			"webhook events, search index, snapshots), offline: stop lure run / lure serve on DIR first.\n"+
			"The audit log records a hash of the contact, never the contact.\n")
		fs.PrintDefaults()
	}
	dataDir := dataDirFlag(fs, "data directory holding lure.db, the index and the snapshots")
	contact := fs.String("contact", "", "the phone, e-mail, @handle or t.me link to erase")
	region := fs.String("region", "", "country (ISO alpha-2) in which a phone without country code is read, e.g. MD")
	dry := fs.Bool("dry-run", false, "report what would be erased and change nothing")
	actor := fs.String("actor", envOr("USER", "lure"), "who asks, for the audit log")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	keys, written, err := contactKeys(*contact, *region)
	if err != nil {
		return err
	}
	res, err := app.Erase(ctx, app.EraseOptions{DataDir: *dataDir, DryRun: *dry,
		Erasure: store.Erasure{Keys: keys, Written: written, Actor: "cli:" + *actor}})
	if errors.Is(err, app.ErrDataDirInUse) {
		return fmt.Errorf("erase: %w; stop it first", err)
	}
	if err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	verb := "erased from"
	if *dry {
		verb = "would erase from"
	}
	fmt.Fprintf(stdout, "contact sha256:%s: %s %d ads, %d snapshot files, %d notice items, %d webhook events, %d partner indicators\n",
		res.Hash, verb, len(res.Ads), res.SnapshotFiles, res.NoticeItems, res.Deliveries, res.PartnerIndicators)
	if *dry {
		fmt.Fprintln(stdout, "dry run: nothing changed")
	}
	return nil
}
