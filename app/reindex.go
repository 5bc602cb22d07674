package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// ErrDataDirInUse is returned when another process holds the serve lock of
// the data directory (a running lure run or lure serve, or lure reindex).
var ErrDataDirInUse = errors.New("data dir is in use by another lure process (run, serve or reindex)")

// searchIndex is what the indexer writes to: *index.Live, or an
// *index.Index in tests.
type searchIndex interface {
	Put(ctx context.Context, v ad.Verdict) error
	PutAll(ctx context.Context, vs []ad.Verdict) error
}

// storeSource is the store as the source of an index rebuild.
type storeSource struct{ st *store.Store }

func (s storeSource) CountFlagged(ctx context.Context) (int, error) {
	stats, err := s.st.Stats(ctx)
	if err != nil {
		return 0, err
	}
	return stats.Flagged, nil
}

func (s storeSource) EachFlagged(ctx context.Context, batch int, fn func([]ad.Verdict) error) error {
	return s.st.EachFlagged(ctx, batch, fn)
}

// progressLogEvery is how often a running rebuild logs its progress.
const progressLogEvery = 5 * time.Second

// logProgress returns a rebuild progress function that logs at most once
// per progressLogEvery.
func logProgress(log *slog.Logger) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if now := time.Now(); now.Sub(last) >= progressLogEvery {
			last = now
			log.Info("index: rebuilding", "done", done, "total", total)
		}
	}
}

// openIndex opens the serve role's index. A sound index is used as it is.
// A missing or damaged one (index.Verify, or far fewer ads than the store
// has flagged: checkCount) is replaced by an empty index,
// moved aside first, and filled from the store's flagged verdicts: in the
// background when there are any (searches answer "search is rebuilding"
// meanwhile), before returning when there are none.
//
// Ordering: the new index is open and receives every write before the
// rebuild reads the first verdict from the store, and the indexer has not
// started yet, so a verdict is either read by the rebuild or written by the
// indexer afterwards; where both happen, index.Live keeps the indexer's
// write, which is the newer one.
func (a *App) openIndex(ctx context.Context, st *store.Store) (*index.Live, error) {
	ix, err := index.OpenLive(Paths(a.opts.DataDir).Index)
	if err != nil {
		return nil, err
	}
	src := storeSource{st}
	n, err := src.CountFlagged(ctx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	cause := ix.Cause()
	if ix.State() == index.StateOK {
		if cause = checkCount(ix, n); cause == nil {
			return ix, nil
		}
	}
	return a.rebuildIndex(ctx, ix, cause, src, n)
}

// countSlack is how many of the store's flagged ads a sound index may lack
// at start: verdicts stored but not yet indexed when the last run
// stopped, which the indexer writes again on replay.
func countSlack(flagged int) int { return max(100, flagged/100) }

// checkCount compares the index's count with the store's flagged count.
// An index holding far fewer ads has lost some (Bleve falls back to an
// older snapshot, without an error, when a segment file is gone): that is
// reported as damage.
func checkCount(ix *index.Live, flagged int) error {
	got, err := ix.Count()
	if err != nil {
		return &index.DamagedError{Dir: ix.Dir(), Err: err}
	}
	if int(got)+countSlack(flagged) < flagged {
		return &index.DamagedError{Dir: ix.Dir(), Err: fmt.Errorf("holds %d of the store's %d flagged ads", got, flagged)}
	}
	return nil
}

func (a *App) rebuildIndex(ctx context.Context, ix *index.Live, cause error, src storeSource, n int) (*index.Live, error) {
	log := a.opts.Logger
	dir := ix.Dir()
	if errors.Is(cause, index.ErrMissing) {
		log.Info("index: missing; building it from the store", "dir", dir, "flagged", n)
	} else {
		log.Warn("index: damaged; rebuilding it from the store", "dir", dir, "flagged", n, "err", cause)
	}
	rb, err := ix.StartRebuild()
	if err != nil {
		ix.Close()
		return nil, err
	}
	log.Info("index: rebuilding", "dir", dir, "old", rb.Aside(), "total", n)
	run := func(ctx context.Context) error {
		st, err := rb.Run(ctx, src, logProgress(log))
		if err != nil && ctx.Err() != nil {
			log.Info("index: rebuild stopped by the shutdown; the next start rebuilds again", "done", st.Indexed)
			return err
		}
		if err != nil {
			log.Error("index: rebuild failed; search stays unavailable until the next start or lure reindex", "err", err)
			return err
		}
		log.Info("index: rebuilt", "count", st.Indexed, "skipped_newer", st.Skipped, "duration", st.Duration.Round(time.Millisecond))
		return nil
	}
	if n == 0 {
		if err := run(ctx); err != nil {
			ix.Close()
			return nil, err
		}
		return ix, nil
	}
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	a.stopRebuild = func() {
		stop()
		<-done
	}
	go func() {
		defer close(done)
		_ = run(rctx)
	}()
	return ix, nil
}

// ReindexOptions configure Reindex.
type ReindexOptions struct {
	// DataDir is the data directory (Options.DataDir).
	DataDir string
	// Progress, if set, is told how many of the flagged verdicts are
	// indexed after each batch.
	Progress func(done, total int)
}

// ReindexResult is what Reindex did.
type ReindexResult struct {
	// Before is what index.Verify said of the old index: nil when it was
	// sound, else an error wrapping index.ErrMissing or index.ErrDamaged.
	Before error
	index.RebuildStats
}

// Reindex rebuilds the search index of a data directory from its store,
// offline: it fails with ErrDataDirInUse while another process serves the
// directory, and holds the directory against them until it returns.
func Reindex(ctx context.Context, o ReindexOptions) (ReindexResult, error) {
	var res ReindexResult
	p := Paths(o.DataDir)
	if _, err := os.Stat(p.Store); err != nil {
		return res, fmt.Errorf("app: reindex: no store in %s: %w", o.DataDir, err)
	}
	unlock, err := lockServe(p)
	if err != nil {
		return res, err
	}
	defer unlock()
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		return res, err
	}
	defer st.Close()
	ix, err := index.OpenLive(p.Index)
	if err != nil {
		return res, err
	}
	res.Before = ix.Cause()
	rb, err := ix.StartRebuild()
	if err != nil {
		ix.Close()
		return res, err
	}
	res.RebuildStats, err = rb.Run(ctx, storeSource{st}, o.Progress)
	return res, errors.Join(err, ix.Close())
}
