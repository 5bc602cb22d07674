package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// seedDataDir writes n flagged ads to the store and index of a new data
// dir, then damages a segment of the index.
func seedDataDir(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	p := app.Paths(dir)
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(p.Index)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		a := ad.Ad{V: ad.Version, ID: fmt.Sprintf("a%02d", i), Site: "rabota.example", URL: fmt.Sprintf("https://rabota.example/%d", i),
			Kind: ad.KindJob, Lang: "ru", Title: "Работа за границей", Body: "Визу оплачиваем", Crawled: time.Now().UTC()}
		a.ContentHash = a.Hash()
		v := ad.Verdict{V: ad.Version, Ad: a, Score: 80, Band: ad.BandHigh, Flagged: true, RulePack: "t1"}
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	var seg string
	filepath.WalkDir(p.Index, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".zap") {
			seg = path
		}
		return nil
	})
	f, err := os.OpenFile(seg, os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("segment %q: %v", seg, err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 32), 100); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReindexCommand(t *testing.T) {
	dir := seedDataDir(t, 7)
	if err := index.Verify(app.Paths(dir).Index); err == nil {
		t.Fatal("the damaged index verifies")
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"reindex", "--data-dir", dir}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "reindexed 7 flagged ads") || !strings.Contains(out.String(), "damaged") {
		t.Errorf("stdout %q", out.String())
	}
	// Not a terminal: plain progress lines, no carriage returns.
	if !strings.Contains(errOut.String(), "reindex: 7/7 (100%)\n") || strings.Contains(errOut.String(), "\r") {
		t.Errorf("stderr %q", errOut.String())
	}
	if err := index.Verify(app.Paths(dir).Index); err != nil {
		t.Errorf("reindexed index: %v", err)
	}
}

func TestReindexProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newReindexProgress(&b, true)
	p.update(0, 4)
	p.update(2, 4)
	p.finish()
	if got := b.String(); !strings.Contains(got, "\r[###############...............]  50% 2/4") || !strings.HasSuffix(got, "\n") {
		t.Errorf("bar %q", got)
	}
}
