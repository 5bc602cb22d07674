package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ErrDamaged is wrapped by every error of Verify that says the index
// cannot be trusted (a *DamagedError). ErrMissing says there is no index.
// ErrOutdated, wrapped along with ErrDamaged, says the index was built
// with an older mapping: it is sound but must be rebuilt to be searched.
var (
	ErrDamaged  = errors.New("index: damaged")
	ErrMissing  = errors.New("index: missing")
	ErrOutdated = errors.New("index: built with an older mapping")
)

// incompleteKey is an internal key (Bleve's key/value space, not a
// document) set while a rebuild fills the index and deleted when it has
// finished: an index that still carries it was left half-filled.
var incompleteKey = []byte("lure.rebuild.incomplete")

// DamagedError says what Verify found wrong with an index.
type DamagedError struct {
	Dir string
	// File is the damaged file inside Dir ("" when the damage was not
	// pinned to one file, such as a panic while reading).
	File string
	// Err is what went wrong.
	Err error
}

func (e *DamagedError) Error() string {
	where := e.Dir
	if e.File != "" {
		where = filepath.Join(e.Dir, e.File)
	}
	return fmt.Sprintf("index: damaged: %s: %v", where, e.Err)
}

// Unwrap lets errors.Is find ErrDamaged and the cause.
func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// Verify opens the index in dir read-write, reads all of it and closes it.
// It returns nil for a sound index, an error wrapping ErrMissing when dir
// holds no index, an error wrapping ErrDamaged (a *DamagedError) when a
// segment's checksum does not match, Bleve cannot open or read it, reading
// panics, or an earlier rebuild did not finish, and any other error (such
// as a permission problem) as it is.
//
// Verify must not run on an index another process has open: Bleve's
// lock would make it wait.
func Verify(dir string) error {
	if dir == "" {
		return errors.New("index: empty directory")
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrMissing, dir)
		}
		return fmt.Errorf("index: verify %s: %w", dir, err)
	}
	if err := checkSegmentFiles(dir); err != nil {
		return err
	}
	idx, err := openRecovered(dir)
	if err != nil {
		return err
	}
	ix := &Index{idx: idx}
	verr := ix.verifyOpen(dir)
	cerr := ix.Close()
	if verr != nil {
		return verr
	}
	if cerr != nil {
		return &DamagedError{Dir: dir, Err: cerr}
	}
	return nil
}

func openRecovered(dir string) (idx bleve.Index, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &DamagedError{Dir: dir, Err: panicError(v)}
		}
	}()
	idx, err = bleve.Open(dir)
	if err != nil {
		return nil, &DamagedError{Dir: dir, Err: err}
	}
	return idx, nil
}

// checkVersion returns a *DamagedError wrapping ErrOutdated unless the
// open index idx in dir carries the current mappingVersion.
func checkVersion(dir string, idx bleve.Index) error {
	v, err := idx.GetInternal(versionKey)
	if err != nil {
		return &DamagedError{Dir: dir, Err: fmt.Errorf("read the mapping version: %w", err)}
	}
	if string(v) != mappingVersion {
		got := string(v)
		if got == "" {
			got = "1" // indexes made before the version was written
		}
		return &DamagedError{Dir: dir, Err: fmt.Errorf("%w: mapping version %s, this lure uses %s", ErrOutdated, got, mappingVersion)}
	}
	return nil
}

// panicError turns a recovered panic into an error with its stack's
// first frames, for the log.
func panicError(v any) error {
	stack := string(debug.Stack())
	if lines := strings.Split(stack, "\n"); len(lines) > 12 {
		stack = strings.Join(lines[:12], "\n")
	}
	return fmt.Errorf("panic: %v\n%s", v, stack)
}

// checkSegmentFiles compares each segment file's CRC-32 footer (its last
// four bytes, big-endian, over everything before them) with its content.
func checkSegmentFiles(dir string) error {
	dir = filepath.Clean(dir)
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".zap") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index: verify %s: %w", dir, err)
	}
	sort.Strings(files)
	for _, path := range files {
		if err := checkCRC(path); err != nil {
			rel, _ := filepath.Rel(dir, path)
			return &DamagedError{Dir: dir, File: rel, Err: err}
		}
	}
	return nil
}

func checkCRC(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < 4 {
		return fmt.Errorf("segment of %d bytes is truncated", fi.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, fi.Size()-4); err != nil {
		return err
	}
	var stored [4]byte
	if _, err := io.ReadFull(f, stored[:]); err != nil {
		return err
	}
	if want, got := binary.BigEndian.Uint32(stored[:]), h.Sum32(); want != got {
		return fmt.Errorf("checksum %08x, footer says %08x", got, want)
	}
	return nil
}

// verifyOpen reads every segment of the open index: the document count,
// a sort of all documents on their doc values with the stored fields of
// the first, and every term of every field, with the postings of the
// first and last. Panics count as damage.
func (ix *Index) verifyOpen(dir string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &DamagedError{Dir: dir, Err: panicError(v)}
		}
	}()
	damaged := func(what string, err error) error {
		return &DamagedError{Dir: dir, Err: fmt.Errorf("%s: %w", what, err)}
	}
	if err := checkVersion(dir, ix.idx); err != nil {
		return err
	}
	if v, err := ix.idx.GetInternal(incompleteKey); err != nil {
		return damaged("read internal keys", err)
	} else if v != nil {
		return &DamagedError{Dir: dir, Err: errors.New("an earlier rebuild did not finish")}
	}
	n, err := ix.idx.DocCount()
	if err != nil {
		return damaged("count", err)
	}
	// One search over every document, sorted on doc values: each segment's
	// doc values are read for all its documents, and the stored fields of
	// the top ones. The checksums above cover the rest of the bytes.
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 10, 0, false)
	req.Fields = []string{"*"}
	req.SortBy([]string{"-" + fScore, "-" + fCrawled, "_id"})
	res, err := ix.idx.Search(req)
	if err != nil {
		return damaged("read documents", err)
	}
	if res.Total != n {
		return damaged("read documents", fmt.Errorf("%d of %d documents found", res.Total, n))
	}
	fields, err := ix.idx.Fields()
	if err != nil {
		return damaged("list fields", err)
	}
	for _, f := range fields {
		if err := ix.verifyField(f); err != nil {
			return damaged("field "+f, err)
		}
	}
	return nil
}

// verifyField walks the field's term dictionary in every segment and
// reads the postings of its first and last terms.
func (ix *Index) verifyField(field string) error {
	d, err := ix.idx.FieldDict(field)
	if err != nil {
		return err
	}
	var first, last string
	for {
		e, err := d.Next()
		if err != nil {
			d.Close()
			return err
		}
		if e == nil {
			break
		}
		if first == "" {
			first = e.Term
		}
		last = e.Term
	}
	if err := d.Close(); err != nil {
		return err
	}
	for _, term := range []string{first, last} {
		if term == "" {
			continue
		}
		q := query.NewTermQuery(term)
		q.SetField(field)
		req := bleve.NewSearchRequestOptions(q, 10, 0, false)
		req.IncludeLocations = true
		if _, err := ix.idx.Search(req); err != nil {
			return err
		}
	}
	return nil
}
