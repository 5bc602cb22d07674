package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/lurewatch/lure/ad"
)

// corruptSegment overwrites bytes in the middle of the largest segment
// file of the index in dir and returns its name.
func corruptSegment(t *testing.T, dir string) string {
	t.Helper()
	var best string
	var size int64
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if fi, err := d.Info(); err == nil && filepath.Ext(path) == ".zap" && fi.Size() > size {
			best, size = path, fi.Size()
		}
		return nil
	})
	if err != nil || best == "" {
		t.Fatalf("no segment file in %s (%v)", dir, err)
	}
	f, err := os.OpenFile(best, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, 64)
	for i := range junk {
		junk[i] = 0xA5
	}
	if _, err := f.WriteAt(junk, size/2); err != nil {
		t.Fatal(err)
	}
	return filepath.Base(best)
}

// sliceSource is a Source over verdicts held in memory; before, if set,
// runs before each batch is handed over.
type sliceSource struct {
	vs     []ad.Verdict
	before func(batch int)
}

func (s sliceSource) CountFlagged(context.Context) (int, error) { return len(s.vs), nil }

func (s sliceSource) EachFlagged(ctx context.Context, batch int, fn func([]ad.Verdict) error) error {
	sorted := append([]ad.Verdict(nil), s.vs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Ad.ID < sorted[j].Ad.ID })
	for i := 0; i < len(sorted); i += batch {
		if s.before != nil {
			s.before(i / batch)
		}
		if err := fn(sorted[i:min(i+batch, len(sorted))]); err != nil {
			return err
		}
	}
	return nil
}

func closedFilled(t *testing.T) string {
	t.Helper()
	ix, dir := openFilled(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestVerifySound(t *testing.T) {
	dir := closedFilled(t)
	if err := Verify(dir); err != nil {
		t.Fatalf("Verify of a sound index: %v", err)
	}
	if err := Verify(filepath.Join(t.TempDir(), "none")); !errors.Is(err, ErrMissing) {
		t.Errorf("Verify of no index = %v, want ErrMissing", err)
	}
}

func TestVerifyFindsDamagedSegment(t *testing.T) {
	dir := closedFilled(t)
	file := corruptSegment(t, dir)
	err := Verify(dir)
	var de *DamagedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
		t.Fatalf("Verify = %v, want a *DamagedError", err)
	}
	if filepath.Base(de.File) != file || de.Dir != dir {
		t.Errorf("damage at %s/%s, want %s/%s", de.Dir, de.File, dir, file)
	}
}

func TestLiveRebuildsDamagedIndex(t *testing.T) {
	ctx := context.Background()
	dir := closedFilled(t)
	corruptSegment(t, dir)
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.State() != StateDamaged || !errors.Is(l.Cause(), ErrDamaged) {
		t.Fatalf("state %s (%v), want damaged", l.State(), l.Cause())
	}
	if _, err := l.Search(ctx, Query{}); !errors.Is(err, ErrDamaged) {
		t.Errorf("search of a damaged index: %v, want ErrDamaged", err)
	}
	if err := l.Put(ctx, fixtures()[0]); err != nil {
		t.Errorf("write to a damaged index: %v, want it dropped", err)
	}
	rb, err := l.StartRebuild()
	if err != nil {
		t.Fatal(err)
	}
	if l.State() != StateRebuilding {
		t.Errorf("state %s, want rebuilding", l.State())
	}
	if _, err := l.Search(ctx, Query{}); !errors.Is(err, ErrRebuilding) {
		t.Errorf("search while rebuilding: %v, want ErrRebuilding", err)
	}
	if _, err := os.Stat(rb.Aside()); err != nil {
		t.Errorf("old index not moved aside: %v", err)
	}
	var last [2]int
	st, err := rb.Run(ctx, sliceSource{vs: fixtures()}, func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if st.Indexed != len(fixtures()) || last != [2]int{4, 4} {
		t.Errorf("stats %+v, last progress %v", st, last)
	}
	if l.State() != StateOK {
		t.Errorf("state %s after the rebuild", l.State())
	}
	res, err := l.Search(ctx, Query{})
	if err != nil || res.Total != uint64(len(fixtures())) {
		t.Fatalf("search after the rebuild: %v hits, %v", res.Total, err)
	}
	res, err = l.Search(ctx, Query{Text: "германия"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "ru1" {
		t.Errorf("text search after the rebuild: %v %v", hitIDs(res), err)
	}
	if _, err := os.Stat(rb.Aside()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old index kept after the rebuild: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir); err != nil {
		t.Errorf("rebuilt index does not verify: %v", err)
	}
}

// Writes made during a rebuild win over the older verdicts the rebuild
// read from the system of record.
func TestLiveRebuildKeepsConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	l, err := OpenLive(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rb, err := l.StartRebuild()
	if err != nil {
		t.Fatal(err)
	}
	src := fixtures() // ru1, ro1, en1, uk1; read in ID order, one per batch
	newer := src[0]   // ru1 changes before the rebuild reaches it
	newer.Ad.Title = "Hostess in Istanbul"
	gone := src[3] // uk1 is no longer flagged
	gone.Flagged = false
	before := func(batch int) {
		if batch != 0 {
			return
		}
		for _, v := range []ad.Verdict{newer, gone} {
			if err := l.Put(ctx, v); err != nil {
				t.Error(err)
			}
		}
	}
	st, err := rb.Run(ctx, batchSource{sliceSource{vs: src, before: before}, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != 2 || st.Indexed != 2 {
		t.Errorf("stats %+v, want en1 and ro1 indexed, ru1 and uk1 skipped", st)
	}
	res, err := l.Search(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); len(got) != 3 || contains(got, "uk1") {
		t.Errorf("hits %v, want en1, ro1, ru1", got)
	}
	res, err = l.Search(ctx, Query{Text: "istanbul"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "ru1" {
		t.Errorf("newer ru1 lost: %v %v", hitIDs(res), err)
	}
}

// batchSource forces a batch size.
type batchSource struct {
	sliceSource
	batch int
}

func (s batchSource) EachFlagged(ctx context.Context, _ int, fn func([]ad.Verdict) error) error {
	return s.sliceSource.EachFlagged(ctx, s.batch, fn)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestVerifyFindsUnfinishedRebuild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := filepath.Join(t.TempDir(), "idx")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := l.StartRebuild()
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	failing := sliceSource{vs: fixtures(), before: func(int) {}}
	if _, err := rb.Run(ctx, failing, nil); err == nil {
		t.Fatal("a cancelled rebuild succeeded")
	}
	if l.State() != StateDamaged {
		t.Errorf("state %s after a failed rebuild", l.State())
	}
	l.Close()
	if err := Verify(dir); !errors.Is(err, ErrDamaged) {
		t.Errorf("Verify of a half-filled index = %v, want ErrDamaged", err)
	}
}

// Damage outside the segment files is found too: a wiped root.bolt.
// (Bleve opens an index whose segment files are gone from an older
// snapshot, or empty, without an error: the serve role compares the
// count with the store's.)
func TestVerifyFindsOtherDamage(t *testing.T) {
	dir := closedFilled(t)
	root := filepath.Join(dir, "store", "root.bolt")
	b, err := os.ReadFile(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xA5
	}
	if err := os.WriteFile(root, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify(dir); !errors.Is(err, ErrDamaged) {
		t.Errorf("Verify with a wiped root.bolt = %v, want ErrDamaged", err)
	}

}

// An index built with an older mapping (one that carries an older mapping
// version, or none, as those made before the version was written) is not
// opened, verifies as outdated and damaged, and is rebuilt by a Live.
func TestOutdatedMappingIsRebuilt(t *testing.T) {
	for name, version := range map[string][]byte{"no version": nil, "version 1": []byte("1")} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "idx")
			// An index of the first mapping: a text field per view, and no
			// version key.
			old, err := bleve.New(dir, bleve.NewIndexMapping())
			if err != nil {
				t.Fatal(err)
			}
			if err := old.Index("ru1", map[string]any{"title": "Работа для девушки за границей", "title_ru": "Работа для девушки за границей"}); err != nil {
				t.Fatal(err)
			}
			if version != nil {
				if err := old.SetInternal(versionKey, version); err != nil {
					t.Fatal(err)
				}
			}
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}

			err = Verify(dir)
			if !errors.Is(err, ErrOutdated) || !errors.Is(err, ErrDamaged) {
				t.Fatalf("Verify of an outdated index = %v, want ErrOutdated and ErrDamaged", err)
			}
			if ix, err := Open(dir); !errors.Is(err, ErrOutdated) {
				if err == nil {
					ix.Close()
				}
				t.Fatalf("Open of an outdated index = %v, want ErrOutdated", err)
			}

			l, err := OpenLive(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if l.State() != StateDamaged || !errors.Is(l.Cause(), ErrOutdated) {
				t.Fatalf("state %s (%v), want damaged by an outdated mapping", l.State(), l.Cause())
			}
			rb, err := l.StartRebuild()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rb.Run(ctx, sliceSource{vs: fixtures()}, nil); err != nil {
				t.Fatal(err)
			}
			res, err := l.Search(ctx, Query{Text: "девушкам"})
			if err != nil || !slices.Equal(hitIDs(res), []string{"ru1"}) {
				t.Fatalf("search after the rebuild: %v, %v", hitIDs(res), err)
			}
			if fr := res.Hits[0].Fragments["title"]; len(fr) != 1 || !strings.Contains(fr[0], "<mark>девушки</mark>") {
				t.Errorf("title fragments after the rebuild = %q", fr)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			if err := Verify(dir); err != nil {
				t.Errorf("rebuilt index does not verify: %v", err)
			}
			ix, err := Open(dir)
			if err != nil {
				t.Fatalf("Open of the rebuilt index: %v", err)
			}
			ix.Close()
		})
	}
}
