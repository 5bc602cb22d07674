package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// Retention: the serve role applies Options.Retention at start and then
// every RetentionEvery (see startRetention); lure purge applies it
// offline (Purge), and lure erase erases one contact (Erase).
//
// What a purge removes, besides the store rows (store.Privacy.Purge): the search
// index documents of the removed ads (the redacted ones are indexed
// again), and the snapshot files no remaining ad refers to. The crawler's
// state (DataPaths.Crawl) is the crawler's alone and is left as it is:
// it keeps each page's URL and content hash, so that an unchanged ad is
// not sent again as new after its removal, and the reference of a
// snapshot that may be gone, which nothing reads back. An ad whose page
// changes is sent again, and is then a new ad.

// RetentionEvery is how often the serve role applies retention.
const RetentionEvery = 24 * time.Hour

// indexBatch bounds the documents of one index batch.
const indexBatch = 500

// retentionIndex is what retention needs of the search index.
type retentionIndex interface {
	PutAll(ctx context.Context, vs []ad.Verdict) error
}

// PurgeResult is what a purge removed (or, in a dry run, would remove).
type PurgeResult struct {
	store.PurgeReport
	// SnapshotFiles counts the snapshot files deleted (in a dry run, the
	// files that would be deleted and exist).
	SnapshotFiles int `json:"snapshot_files"`
}

// retention applies a retention to one data directory's store, index and
// snapshots.
type retention struct {
	store     *store.Store
	index     retentionIndex // nil: no index to keep up to date
	snapshots string         // the snapshots directory
	policy    store.Retention
	log       *slog.Logger
}

// purge applies the retention at now.
func (r *retention) purge(ctx context.Context, now time.Time, dryRun bool) (PurgeResult, error) {
	rep, err := r.store.Privacy().Purge(ctx, now, r.policy, dryRun)
	res := PurgeResult{PurgeReport: rep}
	if err != nil {
		return res, fmt.Errorf("app: purge: %w", err)
	}
	if dryRun {
		res.SnapshotFiles = countSnapshots(r.snapshots, rep.SnapshotRefs)
		return res, nil
	}
	if err := r.unindex(ctx, rep.Ads); err != nil {
		return res, err
	}
	if err := r.reindex(ctx, rep.Contacts); err != nil {
		return res, err
	}
	res.SnapshotFiles, err = removeSnapshots(r.snapshots, rep.SnapshotRefs)
	return res, err
}

// unindex removes ads from the index, in batches (PutAll deletes an ad
// that is not flagged).
func (r *retention) unindex(ctx context.Context, ids []string) error {
	if r.index == nil {
		return nil
	}
	for chunk := range slices.Chunk(ids, indexBatch) {
		vs := make([]ad.Verdict, len(chunk))
		for i, id := range chunk {
			vs[i] = ad.Verdict{Ad: ad.Ad{ID: id}}
		}
		if err := r.index.PutAll(ctx, vs); err != nil {
			return fmt.Errorf("app: purge: index: %w", err)
		}
	}
	return nil
}

// reindex writes the stored verdicts of ads to the index again.
func (r *retention) reindex(ctx context.Context, ids []string) error {
	if r.index == nil {
		return nil
	}
	for chunk := range slices.Chunk(ids, indexBatch) {
		vs := make([]ad.Verdict, 0, len(chunk))
		for _, id := range chunk {
			v, err := r.store.Get(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				vs = append(vs, ad.Verdict{Ad: ad.Ad{ID: id}})
				continue
			}
			if err != nil {
				return fmt.Errorf("app: reindex: %w", err)
			}
			vs = append(vs, v)
		}
		if err := r.index.PutAll(ctx, vs); err != nil {
			return fmt.Errorf("app: reindex: index: %w", err)
		}
	}
	return nil
}

// snapshotPath is where the snapshot store keeps ref (crawler.Snapshots:
// <dir>/<h[0:2]>/<h>.html.gz).
func snapshotPath(dir, ref string) (string, bool) {
	r, err := crawler.ParseSnapshotRef(ref)
	if err != nil || dir == "" {
		return "", false
	}
	return filepath.Join(dir, r.Hash[:2], r.Hash+".html.gz"), true
}

// removeSnapshots deletes the files of refs, and returns how many it
// deleted; a file already gone is not an error.
func removeSnapshots(dir string, refs []string) (int, error) {
	n := 0
	var errs []error
	for _, ref := range refs {
		p, ok := snapshotPath(dir, ref)
		if !ok {
			continue
		}
		switch err := os.Remove(p); {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("app: remove snapshots: %w", err)
	}
	return n, nil
}

// runRetention applies r at start and then each time after(every) fires,
// until ctx is done. now is the clock; done, if set, gets each run's
// result. A failed run is logged and retried at the next one.
func runRetention(ctx context.Context, r *retention, every time.Duration, now func() time.Time,
	after func(time.Duration) <-chan time.Time, done func(PurgeResult, error)) {
	for {
		res, err := r.purge(ctx, now(), false)
		switch {
		case err != nil && ctx.Err() == nil:
			r.log.Error("retention: purge failed; retried at the next run", "err", err)
		case err == nil && len(res.Ads)+len(res.Snapshots)+len(res.Contacts) > 0:
			r.log.Info("retention: purged", "ads", len(res.Ads), "snapshots", len(res.Snapshots),
				"contacts_redacted", len(res.Contacts), "snapshot_files", res.SnapshotFiles, "kept_open_cases", res.Kept)
		}
		if done != nil {
			done(res, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-after(every):
		}
	}
}

// startRetention starts the retention job of the serve role on
// consumeCtx: at start, then every RetentionEvery. A zero
// Options.Retention keeps everything and starts nothing.
func (a *App) startRetention(sc serveContext) error {
	if a.opts.Retention == (store.Retention{}) {
		return nil
	}
	if err := a.opts.Retention.Validate(); err != nil {
		return err
	}
	r := &retention{store: sc.store, index: a.index, snapshots: Paths(a.opts.DataDir).Snapshots,
		policy: a.opts.Retention, log: a.opts.Logger}
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		runRetention(sc.consumeCtx, r, RetentionEvery, time.Now, time.After, nil)
	}()
	return nil
}

// PurgeOptions configure Purge.
type PurgeOptions struct {
	// DataDir is the data directory (Options.DataDir).
	DataDir string
	// Retention is what to keep; a zero period keeps its class forever.
	Retention store.Retention
	// DryRun reports what would be removed and changes nothing.
	DryRun bool
	// Now is the time retention counts from; default time.Now().
	Now time.Time
}

// Purge applies a retention to a data directory offline: it fails with
// ErrDataDirInUse while another process serves the directory (the serve
// role applies Options.Retention itself). A dry run reads only.
func Purge(ctx context.Context, o PurgeOptions) (PurgeResult, error) {
	if err := o.Retention.Validate(); err != nil {
		return PurgeResult{}, err
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	r, closeAll, err := openRetention(ctx, o.DataDir, !o.DryRun)
	if err != nil {
		return PurgeResult{}, err
	}
	r.policy = o.Retention
	res, err := r.purge(ctx, o.Now, o.DryRun)
	return res, errors.Join(err, closeAll())
}

// EraseOptions configure Erase.
type EraseOptions struct {
	// DataDir is the data directory (Options.DataDir).
	DataDir string
	// Erasure names the contact (normalised keys and written forms) and
	// who asks.
	Erasure store.Erasure
	// DryRun reports what would be erased and changes nothing.
	DryRun bool
}

// EraseResult is what Erase changed.
type EraseResult struct {
	store.EraseReport
	// SnapshotFiles counts the snapshot files deleted (in a dry run, that
	// would be deleted and exist).
	SnapshotFiles int `json:"snapshot_files"`
}

// Erase erases one contact from a data directory offline (store, index,
// snapshots; see store.Privacy.EraseContact). It fails with ErrDataDirInUse while
// another process serves the directory.
func Erase(ctx context.Context, o EraseOptions) (EraseResult, error) {
	r, closeAll, err := openRetention(ctx, o.DataDir, !o.DryRun)
	if err != nil {
		return EraseResult{}, err
	}
	res, err := r.erase(ctx, o.Erasure, o.DryRun)
	return res, errors.Join(err, closeAll())
}

func (r *retention) erase(ctx context.Context, e store.Erasure, dryRun bool) (EraseResult, error) {
	rep, err := r.store.Privacy().EraseContact(ctx, e, dryRun)
	res := EraseResult{EraseReport: rep}
	if err != nil {
		return res, fmt.Errorf("app: erase: %w", err)
	}
	if dryRun {
		res.SnapshotFiles = countSnapshots(r.snapshots, rep.SnapshotRefs)
		return res, nil
	}
	if err := r.reindex(ctx, rep.Ads); err != nil {
		return res, err
	}
	res.SnapshotFiles, err = removeSnapshots(r.snapshots, rep.SnapshotRefs)
	return res, err
}

// countSnapshots counts the snapshot files of refs that exist under dir:
// what a dry run would remove.
func countSnapshots(dir string, refs []string) int {
	n := 0
	for _, ref := range refs {
		if p, ok := snapshotPath(dir, ref); ok {
			if _, err := os.Stat(p); err == nil {
				n++
			}
		}
	}
	return n
}

// openRetention opens a data directory's store, and with write its index
// under the serve lock, for Purge and Erase.
func openRetention(ctx context.Context, dataDir string, write bool) (*retention, func() error, error) {
	p := Paths(dataDir)
	if _, err := os.Stat(p.Store); err != nil {
		return nil, nil, fmt.Errorf("app: no store in %s: %w", dataDir, err)
	}
	unlock := func() {}
	if write {
		u, err := lockServe(p)
		if err != nil {
			return nil, nil, err
		}
		unlock = u
	}
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	r := &retention{store: st, snapshots: p.Snapshots, log: slog.Default()}
	var ix *index.Live
	if write {
		if ix, err = index.OpenLive(p.Index); err != nil {
			st.Close()
			unlock()
			return nil, nil, err
		}
		r.index = ix
	}
	return r, func() error {
		var errs []error
		if ix != nil {
			errs = append(errs, ix.Close())
		}
		errs = append(errs, st.Close())
		unlock()
		return errors.Join(errs...)
	}, nil
}
