package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/index"
)

// cmdReindex rebuilds the search index of a data dir from its store,
// while no lure process serves the dir.
func cmdReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: lure reindex [--data-dir DIR]\n"+
			"Rebuilds the search index from the store, offline: stop lure run / lure serve on DIR first.\n")
		fs.PrintDefaults()
	}
	dataDir := dataDirFlag(fs, "data directory holding lure.db and the index")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	f, ok := stderr.(*os.File)
	p := newReindexProgress(stderr, ok && term.IsTerminal(int(f.Fd())))
	fmt.Fprintf(stderr, "reindex: %s\n", app.Paths(*dataDir).Index)
	res, err := app.Reindex(ctx, app.ReindexOptions{DataDir: *dataDir, Progress: p.update})
	p.finish()
	if errors.Is(err, app.ErrDataDirInUse) {
		return fmt.Errorf("reindex: %w; stop it first (the serve role rebuilds a damaged index by itself when it starts)", err)
	}
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	before := "sound"
	switch {
	case errors.Is(res.Before, index.ErrMissing):
		before = "missing"
	case res.Before != nil:
		before = "damaged: " + res.Before.Error()
	}
	fmt.Fprintf(stdout, "reindexed %d flagged ads in %s (the old index was %s)\n",
		res.Indexed, res.Duration.Round(time.Millisecond), before)
	return nil
}

// reindexProgress draws a progress bar on a terminal, and otherwise
// writes a plain line at every tenth of the way.
type reindexProgress struct {
	w      io.Writer
	tty    bool
	drawn  bool
	tenths int
}

func newReindexProgress(w io.Writer, tty bool) *reindexProgress {
	return &reindexProgress{w: w, tty: tty, tenths: -1}
}

const barWidth = 30

func (p *reindexProgress) update(done, total int) {
	pct := 100
	if total > 0 {
		pct = done * 100 / total
	}
	if p.tty {
		fill := pct * barWidth / 100
		fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d", strings.Repeat("#", fill), strings.Repeat(".", barWidth-fill), pct, done, total)
		p.drawn = true
		return
	}
	if t := pct / 10; t > p.tenths {
		p.tenths = t
		fmt.Fprintf(p.w, "reindex: %d/%d (%d%%)\n", done, total, pct)
	}
}

func (p *reindexProgress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
