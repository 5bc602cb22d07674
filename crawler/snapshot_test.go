package crawler

import (
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSnapshots(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSnapshots(dir, SnapshotOptions{MaxBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2025, 11, 21, 9, 15, 0, 0, time.UTC)
	page := []byte("<html><body>" + strings.Repeat("Хостес в Турцию. ", 50) + "</body></html>")
	ref, err := s.Put(page, fetched)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ref.String(), "sha256:") || len(ref.Hash) != 64 {
		t.Fatalf("ref %q", ref)
	}
	path := filepath.Join(dir, ref.Hash[:2], ref.Hash+".html.gz")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("snapshot not at %s: %v", path, err)
	}
	got, when, err := s.Get(ref.String())
	if err != nil || string(got) != string(page) || !when.Equal(fetched) {
		t.Fatalf("Get = %d bytes, %v, %v", len(got), when, err)
	}
	size := s.Size()
	if size <= 0 || size >= int64(len(page)) {
		t.Errorf("stored %d bytes for a %d-byte page: not compressed", size, len(page))
	}
	// The same page again is stored once.
	if ref2, err := s.Put(page, fetched.Add(time.Hour)); err != nil || ref2.Hash != ref.Hash || s.Size() != size {
		t.Errorf("second Put: %v %v size %d", ref2, err, s.Size())
	}
	// Reopening measures what is there.
	s2, err := OpenSnapshots(dir, SnapshotOptions{MaxBytes: 4096})
	if err != nil || s2.Size() != size {
		t.Fatalf("reopened size %d, want %d (%v)", s2.Size(), size, err)
	}
	// The bound refuses new pages and keeps old ones.
	big := make([]byte, 64<<10)
	for i := range big {
		big[i] = byte(i*7919>>3) ^ byte(i)
	}
	if _, err := s.Put(big, fetched); !errors.Is(err, ErrSnapshotsFull) {
		t.Errorf("Put past the bound: %v, want ErrSnapshotsFull", err)
	}
	if _, _, err := s.Get(ref.String()); err != nil {
		t.Errorf("old snapshot lost: %v", err)
	}
	// Bad references and tampered files are errors.
	for _, bad := range []string{"", "sha256:", "md5:abc", "sha256:" + strings.Repeat("g", 64), "sha256:../../etc/passwd"} {
		if _, _, err := s.Get(bad); err == nil {
			t.Errorf("Get(%q) succeeded", bad)
		}
	}
	f, _ := os.Create(path)
	zw := gzip.NewWriter(f)
	zw.Write([]byte("tampered"))
	zw.Close()
	f.Close()
	if _, _, err := s.Get(ref.String()); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Errorf("tampered snapshot: %v", err)
	}
}

func TestSnapshotGetText(t *testing.T) {
	s, err := OpenSnapshots(t.TempDir(), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, ct string }{
		{"windows-1251-header.html", "text/html; charset=windows-1251"},
		{"koi8-r-meta.html", "text/html"},
		{"utf-8-bom.html", ""},
	} {
		t.Run(f.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "charset", f.file))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := s.PutTyped(raw, f.ct, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := s.Get(ref.String())
			if err != nil || string(got) != string(raw) {
				t.Fatalf("Get changed the raw page: %v", err)
			}
			text, _, err := s.GetText(ref.String())
			if err != nil || !strings.Contains(text, "Работа в Польше") {
				t.Errorf("GetText = %.200q, %v", text, err)
			}
		})
	}
}
