package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/lurewatch/lure/ad"
)

// State is the condition of a Live index.
type State string

// States of a Live index.
const (
	// StateOK: searches and writes go to a verified index.
	StateOK State = "ok"
	// StateRebuilding: a new index is being filled from the system of
	// record; writes go to it, searches answer ErrRebuilding.
	StateRebuilding State = "rebuilding"
	// StateDamaged: there is no usable index (Verify failed and no
	// rebuild has finished); searches fail and writes are dropped, to be
	// recovered by the next rebuild.
	StateDamaged State = "damaged"
)

// ErrRebuilding is returned by searches while the index is rebuilt.
var ErrRebuilding = errors.New("search is rebuilding")

// Source is what a rebuild reads: the flagged verdicts of the system of
// record.
type Source interface {
	// CountFlagged returns how many verdicts EachFlagged will list, for
	// progress reports (an estimate is fine).
	CountFlagged(ctx context.Context) (int, error)
	// EachFlagged calls fn with the flagged verdicts, at most batch at a
	// time, and stops at fn's first error.
	EachFlagged(ctx context.Context, batch int, fn func([]ad.Verdict) error) error
}

// RebuildBatch is how many verdicts a rebuild indexes at a time.
const RebuildBatch = 500

// Live is an index that can be rebuilt in place while it is in use. It
// serves searches and writes like Index, and knows its State. It is safe
// for concurrent use.
//
// A rebuild keeps every write made while it runs: StartRebuild opens the
// new, empty index and makes it the target of all writes before Run reads
// the first verdict from the Source. Run then indexes what it read unless
// a write named the same ad since the rebuild started: that write came
// later than the verdict Run read (the system of record is written before
// the index), so it wins, whether it was an upsert or a delete. Run's
// batches and those writes are serialised, so no write falls between
// Run's check and its batch.
type Live struct {
	dir string

	mu    sync.RWMutex // guards ix, state and cause; held (read) by every use of ix
	ix    *Index
	state State
	cause error

	wmu     sync.Mutex          // serialises writes with Run's batches during a rebuild
	touched map[string]struct{} // ads written since StartRebuild, while rebuilding
}

// OpenLive verifies the index in dir (see Verify) and opens it. A missing
// or damaged index is no error: the Live is then in StateDamaged, Cause
// says why, and StartRebuild replaces it. Other errors (the directory
// cannot be read, say) are returned.
func OpenLive(dir string) (*Live, error) {
	l := &Live{dir: dir}
	err := Verify(dir)
	if errors.Is(err, ErrMissing) || errors.Is(err, ErrDamaged) {
		l.state, l.cause = StateDamaged, err
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	ix, err := Open(dir)
	if err != nil {
		return nil, err
	}
	l.ix, l.state = ix, StateOK
	return l, nil
}

// Dir is the index directory.
func (l *Live) Dir() string { return l.dir }

// State returns the index's state.
func (l *Live) State() State {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.state
}

// Cause says why the index is (or was, before the running rebuild)
// missing or damaged; nil for an index that verified.
func (l *Live) Cause() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cause
}

// Search is Index.Search. It answers ErrRebuilding while rebuilding and an
// error wrapping ErrDamaged when there is no usable index.
func (l *Live) Search(ctx context.Context, q Query) (res Result, err error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	switch l.state {
	case StateRebuilding:
		return Result{}, ErrRebuilding
	case StateDamaged:
		return Result{}, l.damaged()
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("index: search: %w", panicError(v))
		}
	}()
	return l.ix.Search(ctx, q)
}

func (l *Live) damaged() error {
	if l.cause != nil && errors.Is(l.cause, ErrDamaged) {
		return l.cause
	}
	return &DamagedError{Dir: l.dir, Err: l.cause}
}

// Put is Index.Put. While the index is damaged, Put, PutAll and Delete
// succeed without an index to write (see StateDamaged): the next rebuild
// reads the system of record.
func (l *Live) Put(ctx context.Context, v ad.Verdict) error {
	return l.write([]string{v.Ad.ID}, func(ix *Index) error { return ix.Put(ctx, v) })
}

// PutAll is Index.PutAll.
func (l *Live) PutAll(ctx context.Context, vs []ad.Verdict) error {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.Ad.ID
	}
	return l.write(ids, func(ix *Index) error { return ix.PutAll(ctx, vs) })
}

// Delete is Index.Delete.
func (l *Live) Delete(id string) error {
	return l.write([]string{id}, func(ix *Index) error { return ix.Delete(id) })
}

func (l *Live) write(ids []string, fn func(*Index) error) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	switch l.state {
	case StateDamaged:
		// Nothing to keep up to date, or a half-filled index that the next
		// Verify rejects: either way the index is rebuilt from the system
		// of record, which the caller has written first, so the write is
		// not lost by dropping it, and the caller is not held up.
		if l.ix == nil {
			return nil
		}
	case StateRebuilding:
		l.wmu.Lock()
		defer l.wmu.Unlock()
		if l.touched != nil {
			for _, id := range ids {
				l.touched[id] = struct{}{}
			}
		}
	}
	return fn(l.ix)
}

// Count is Index.Count; while rebuilding it counts what is indexed so far.
func (l *Live) Count() (uint64, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.ix == nil {
		return 0, l.damaged()
	}
	return l.ix.Count()
}

// Close closes the index. A running rebuild then fails.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == nil {
		return nil
	}
	return l.ix.Close()
}

// Rebuild is a rebuild started by StartRebuild; Run fills the index.
type Rebuild struct {
	l     *Live
	aside string
	start time.Time
}

// AsideDir is where StartRebuild moves the old index directory dir; it is
// removed once the rebuild has finished.
func AsideDir(dir string) string { return dir + ".old" }

// StartRebuild replaces the index by a new, empty one: it closes the
// current index, if any, moves its directory to AsideDir (replacing an
// earlier one), creates the new index and makes it the target of every
// write. From here until Run finishes, the state is StateRebuilding. It
// fails if a rebuild is already running.
func (l *Live) StartRebuild() (*Rebuild, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state == StateRebuilding {
		return nil, errors.New("index: a rebuild is already running")
	}
	if l.ix != nil {
		if err := l.ix.Close(); err != nil && l.state == StateOK {
			return nil, err
		}
		l.ix = nil
		if l.state == StateOK {
			l.state, l.cause = StateDamaged, errors.New("index: closed for a rebuild")
		}
	}
	aside := AsideDir(l.dir)
	if _, err := os.Stat(l.dir); err == nil {
		if err := os.RemoveAll(aside); err != nil {
			return nil, fmt.Errorf("index: rebuild: %w", err)
		}
		if err := os.Rename(l.dir, aside); err != nil {
			return nil, fmt.Errorf("index: rebuild: move aside: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("index: rebuild: %w", err)
	} else {
		aside = ""
	}
	ix, err := Open(l.dir)
	if err != nil {
		return nil, err
	}
	if err := ix.idx.SetInternal(incompleteKey, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		ix.Close()
		return nil, fmt.Errorf("index: rebuild: %w", err)
	}
	l.ix, l.state = ix, StateRebuilding
	l.wmu.Lock()
	l.touched = map[string]struct{}{}
	l.wmu.Unlock()
	return &Rebuild{l: l, aside: aside, start: time.Now()}, nil
}

// Aside is where the old index directory was moved ("" if there was
// none); it is removed when Run succeeds.
func (rb *Rebuild) Aside() string { return rb.aside }

// RebuildStats is what a finished rebuild did.
type RebuildStats struct {
	// Indexed is how many verdicts of the Source it indexed; Skipped how
	// many it left to newer writes made during the rebuild.
	Indexed, Skipped int
	Duration         time.Duration
}

// Run fills the new index from src, reporting progress(done, total) after
// each batch (progress may be nil), and sets the state to StateOK. On
// failure the state becomes StateDamaged, and the index stays marked
// unfinished, so that the next Verify asks for another rebuild.
func (rb *Rebuild) Run(ctx context.Context, src Source, progress func(done, total int)) (RebuildStats, error) {
	l := rb.l
	st, err := rb.fill(ctx, src, progress)
	l.wmu.Lock()
	l.touched = nil
	l.wmu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil && l.ix != nil {
		err = l.ix.idx.DeleteInternal(incompleteKey)
	}
	st.Duration = time.Since(rb.start)
	if err != nil {
		l.state, l.cause = StateDamaged, fmt.Errorf("index: rebuild: %w", err)
		return st, l.cause
	}
	l.state, l.cause = StateOK, nil
	if rb.aside != "" {
		if err := os.RemoveAll(rb.aside); err != nil {
			return st, fmt.Errorf("index: rebuild: remove the old index: %w", err)
		}
	}
	return st, nil
}

func (rb *Rebuild) fill(ctx context.Context, src Source, progress func(done, total int)) (RebuildStats, error) {
	l := rb.l
	var st RebuildStats
	total, err := src.CountFlagged(ctx)
	if err != nil {
		return st, err
	}
	if progress != nil {
		progress(0, total)
	}
	done := 0
	err = src.EachFlagged(ctx, RebuildBatch, func(vs []ad.Verdict) error {
		l.mu.RLock()
		defer l.mu.RUnlock()
		if l.ix == nil {
			return errors.New("index closed")
		}
		l.wmu.Lock()
		keep := vs[:0:0]
		for _, v := range vs {
			if _, newer := l.touched[v.Ad.ID]; newer {
				st.Skipped++
				continue
			}
			keep = append(keep, v)
		}
		err := l.ix.PutAll(ctx, keep)
		l.wmu.Unlock()
		if err != nil {
			return err
		}
		st.Indexed += len(keep)
		done += len(vs)
		if progress != nil {
			progress(done, max(total, done))
		}
		return nil
	})
	return st, err
}
