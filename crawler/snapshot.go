package crawler

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// DefaultSnapshotMaxBytes bounds the compressed size of a snapshot store.
const DefaultSnapshotMaxBytes = 2 << 30

// ErrSnapshotsFull is returned by Put when storing a page would pass the
// store's size bound. Stored snapshots are evidence and are never evicted
// by lure; an operator archives or deletes them.
var ErrSnapshotsFull = errors.New("crawler: snapshot store full")

// Snapshots is a content-addressed store of ad pages on disk: each page is
// gzip-compressed at <dir>/<h[0:2]>/<h>.html.gz, where h is the SHA-256 of
// the raw page, so a page fetched twice is stored once. The gzip header
// carries the time of the first fetch. It is safe for concurrent use.
type Snapshots struct {
	dir      string
	maxBytes int64
	maxPage  int64

	mu   sync.Mutex
	size int64
}

// gzipPool reuses compressors: each holds a few hundred kilobytes.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed) // a valid level: no error
	return zw
}}

// SnapshotOptions configure OpenSnapshots.
type SnapshotOptions struct {
	// MaxBytes bounds the total compressed size; default
	// DefaultSnapshotMaxBytes.
	MaxBytes int64
	// MaxPageBytes bounds one page as read back by Get; default
	// DefaultMaxBodyBytes.
	MaxPageBytes int64
}

// SnapshotRef names one stored page.
type SnapshotRef struct {
	Hash    string    // hex SHA-256 of the raw page
	Fetched time.Time // when this copy was fetched
}

// String returns the reference as carried in ad.Ad.Snapshot:
// "sha256:<hex>".
func (r SnapshotRef) String() string { return "sha256:" + r.Hash }

var snapHashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseSnapshotRef reads a "sha256:<hex>" reference.
func ParseSnapshotRef(s string) (SnapshotRef, error) {
	h, ok := strings.CutPrefix(s, "sha256:")
	if !ok || !snapHashRE.MatchString(h) {
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot reference %q: want sha256:<64 hex digits>", s)
	}
	return SnapshotRef{Hash: h}, nil
}

// OpenSnapshots opens (creating if needed) the store in dir and measures
// what it holds.
func OpenSnapshots(dir string, opts SnapshotOptions) (*Snapshots, error) {
	if dir == "" {
		return nil, errors.New("crawler: snapshots: empty directory")
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultSnapshotMaxBytes
	}
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = DefaultMaxBodyBytes
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("crawler: snapshots: %w", err)
	}
	s := &Snapshots{dir: dir, maxBytes: opts.MaxBytes, maxPage: opts.MaxPageBytes}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(path, ".html.gz") {
			info, err := d.Info()
			if err != nil {
				return err
			}
			s.size += info.Size()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: snapshots: %w", err)
	}
	return s, nil
}

// Size returns the compressed bytes stored.
func (s *Snapshots) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

func (s *Snapshots) path(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash+".html.gz")
}

// Put stores page, fetched at the given time, unless the same page is
// stored already, and returns its reference.
func (s *Snapshots) Put(page []byte, fetched time.Time) (SnapshotRef, error) {
	return s.PutTyped(page, "", fetched)
}

// PutTyped is Put for a page served with the given Content-Type header,
// which is kept with the page so GetText can decode its charset.
func (s *Snapshots) PutTyped(page []byte, contentType string, fetched time.Time) (SnapshotRef, error) {
	sum := sha256.Sum256(page)
	ref := SnapshotRef{Hash: hex.EncodeToString(sum[:]), Fetched: fetched.UTC()}
	p := s.path(ref.Hash)
	if _, err := os.Stat(p); err == nil {
		return ref, nil
	}
	var buf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(&buf)
	zw.Name = ref.Hash + ".html"
	zw.ModTime = fetched
	zw.Comment = headerText(contentType)
	if _, err := zw.Write(page); err != nil {
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size+int64(buf.Len()) > s.maxBytes {
		return SnapshotRef{}, fmt.Errorf("%w: %d of %d bytes used", ErrSnapshotsFull, s.size, s.maxBytes)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	// Write aside and rename, so a reader never sees half a file.
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return SnapshotRef{}, fmt.Errorf("crawler: snapshot: %w", err)
	}
	s.size += int64(buf.Len())
	return ref, nil
}

// Get returns the raw page a reference ("sha256:<hex>") names, with the
// time it was first stored, after checking its hash.
func (s *Snapshots) Get(ref string) ([]byte, time.Time, error) {
	page, _, fetched, err := s.get(ref)
	return page, fetched, err
}

// GetText is Get with the page decoded to UTF-8, from the charset of its
// Content-Type, byte-order mark or <meta>, for showing it.
func (s *Snapshots) GetText(ref string) (string, time.Time, error) {
	page, ct, fetched, err := s.get(ref)
	if err != nil {
		return "", time.Time{}, err
	}
	text, err := decodeBody(page, ct, "")
	if err != nil {
		return "", time.Time{}, fmt.Errorf("crawler: snapshot %s: %w", ref, err)
	}
	return string(text), fetched, nil
}

// headerText keeps the printable ASCII of a header value, as gzip
// comments must be Latin-1 without NUL.
func headerText(v string) string {
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v) && len(b) < 256; i++ {
		if v[i] >= 0x20 && v[i] < 0x7f {
			b = append(b, v[i])
		}
	}
	return string(b)
}

func (s *Snapshots) get(ref string) ([]byte, string, time.Time, error) {
	r, err := ParseSnapshotRef(ref)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	f, err := os.Open(s.path(r.Hash))
	if err != nil {
		return nil, "", time.Time{}, fmt.Errorf("crawler: snapshot %s: %w", ref, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, "", time.Time{}, fmt.Errorf("crawler: snapshot %s: %w", ref, err)
	}
	page, err := io.ReadAll(io.LimitReader(zr, s.maxPage+1))
	if err != nil {
		return nil, "", time.Time{}, fmt.Errorf("crawler: snapshot %s: %w", ref, err)
	}
	if int64(len(page)) > s.maxPage {
		return nil, "", time.Time{}, fmt.Errorf("crawler: snapshot %s: larger than %d bytes", ref, s.maxPage)
	}
	if sum := sha256.Sum256(page); hex.EncodeToString(sum[:]) != r.Hash {
		return nil, "", time.Time{}, fmt.Errorf("crawler: snapshot %s: content does not match its hash", ref)
	}
	return page, zr.Comment, zr.ModTime.UTC(), nil
}
