package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/store"
)

// maxRetention bounds a retention period: a century.
const maxRetention = 100 * 366 * store.Day

// retentionValue is a retention period flag: a Go duration ("4320h") or
// a number of days ("180d"); 0 keeps forever.
type retentionValue struct{ d *time.Duration }

func (v retentionValue) String() string {
	if v.d == nil {
		return ""
	}
	return retentionText(*v.d)
}

func (v retentionValue) Set(s string) error {
	d, err := parseRetention(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// parseRetention reads "180d", "36h", "0".
func parseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days != days {
			return 0, fmt.Errorf("bad number of days %q", s)
		}
		if days < 0 || days*float64(store.Day) > float64(maxRetention) {
			return 0, fmt.Errorf("retention %q: want 0 to %d days", s, int(maxRetention/store.Day))
		}
		d = time.Duration(days * float64(store.Day))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("bad duration %q: want e.g. 180d or 4320h, 0 to keep forever", s)
		}
	}
	if d < 0 || d > maxRetention {
		return 0, fmt.Errorf("retention %q: want 0 to %d days", s, int(maxRetention/store.Day))
	}
	return d, nil
}

// retentionText shows whole days as "180d", 0 as "0" (forever).
func retentionText(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	if d%store.Day == 0 {
		return strconv.FormatInt(int64(d/store.Day), 10) + "d"
	}
	return durationText(d)
}

// retentionFlags defines --retain-unflagged, --retain-snapshots and
// --retain-contacts on fs, writing into r, which starts as
// store.DefaultRetention.
func retentionFlags(fs *flag.FlagSet, r *store.Retention) {
	*r = store.DefaultRetention
	fs.Var(retentionValue{&r.Unflagged}, "retain-unflagged", "how long ads that are not flagged are kept, as 180d or a Go duration; 0 keeps them forever")
	fs.Var(retentionValue{&r.Snapshots}, "retain-snapshots", "how long the archived page of an ad is kept; 0 keeps them forever")
	fs.Var(retentionValue{&r.Contacts}, "retain-contacts", "how long the contacts of kept (flagged) ads are kept before they are redacted; 0 keeps them forever")
}

// cmdPurge applies retention to a data dir offline.
func cmdPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure purge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: lure purge [--data-dir DIR] [--dry-run|--apply] [-v] [retention flags]\n"+
			"Removes what the retention periods no longer allow to keep (ads, snapshots, contacts), offline:\n"+
			"stop lure run / lure serve on DIR first (they apply the same retention daily by themselves).\n"+
			"Ads of open takedown notices and of confirmed networks are kept. Without --apply it only reports.\n")
		fs.PrintDefaults()
	}
	dataDir := dataDirFlag(fs, "data directory holding lure.db, the index and the snapshots")
	dry := fs.Bool("dry-run", false, "report what would be removed and change nothing (the default without --apply)")
	apply := fs.Bool("apply", false, "remove it")
	verbose := fs.Bool("v", false, "also list the IDs of the ads removed or redacted")
	var r store.Retention
	retentionFlags(fs, &r)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	if *dry && *apply {
		return fmt.Errorf("%w: --dry-run and --apply exclude each other", errUsage)
	}
	res, err := app.Purge(ctx, app.PurgeOptions{DataDir: *dataDir, Retention: r, DryRun: !*apply})
	if errors.Is(err, app.ErrDataDirInUse) {
		return fmt.Errorf("purge: %w; stop it first (the serve role applies retention daily by itself)", err)
	}
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	verb := "would remove"
	if *apply {
		verb = "removed"
	}
	fmt.Fprintf(stdout, "retention: unflagged ads %s, snapshots %s, contacts %s\n",
		retentionText(r.Unflagged), retentionText(r.Snapshots), retentionText(r.Contacts))
	fmt.Fprintf(stdout, "%s %d ads, the snapshots of %d kept ads, %d snapshot files, the contacts of %d ads; kept %d ads of open cases\n",
		verb, len(res.Ads), len(res.Snapshots), res.SnapshotFiles, len(res.Contacts), res.Kept)
	if *verbose {
		for _, l := range []struct {
			what string
			ids  []string
		}{{"ad", res.Ads}, {"snapshot", res.Snapshots}, {"contacts", res.Contacts}} {
			for _, id := range l.ids {
				fmt.Fprintf(stdout, "%s\t%s\n", l.what, id)
			}
		}
	}
	if !*apply {
		fmt.Fprintln(stdout, "dry run: nothing changed; run with --apply to remove")
	}
	return nil
}
