package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// syncBuffer is a log sink safe for the app's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// seedIndexed writes n flagged verdicts (and one that is not flagged) to
// the store and index of dataDir, and returns how many ads a search for
// "границей" finds.
func seedIndexed(t *testing.T, dataDir string, n int) uint64 {
	t.Helper()
	ctx := context.Background()
	p := Paths(dataDir)
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(p.Index)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	var vs []ad.Verdict
	for i := range n {
		vs = append(vs, noticeVerdict(fmt.Sprintf("r%03d", i), now))
	}
	calm := noticeVerdict("calm", now)
	calm.Flagged, calm.Score, calm.Band = false, 5, ad.BandLow
	vs = append(vs, calm)
	for _, v := range vs {
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ix.Search(ctx, index.Query{Text: "границей"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// corruptSegment overwrites bytes in the middle of the largest segment
// file of the index in dir.
func corruptSegment(t *testing.T, dir string) {
	t.Helper()
	var best string
	var size int64
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if fi, e := d.Info(); err == nil && e == nil && strings.HasSuffix(path, ".zap") && fi.Size() > size {
			best, size = path, fi.Size()
		}
		return nil
	})
	if best == "" {
		t.Fatalf("no segment file under %s", dir)
	}
	f, err := os.OpenFile(best, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 64), size/2); err != nil {
		t.Fatal(err)
	}
}

// get returns the status code and body of an API call.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+apiToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeRebuildsDamagedIndex(t *testing.T) {
	dir := t.TempDir()
	want := seedIndexed(t, dir, 40)
	if want != 40 {
		t.Fatalf("seeded index finds %d ads, want 40", want)
	}
	corruptSegment(t, Paths(dir).Index)
	apiToken = makeToken(t, dir)
	logs := &syncBuffer{}
	a, stop := startApp(t, Options{DataDir: dir, Roles: []Role{RoleServe}, HTTPAddr: "127.0.0.1:0", Partitions: 1,
		DrainTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	defer func() {
		stop()
		if err := a.Wait(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()
	base := a.HTTPURL()

	// The data dir is held: an offline reindex refuses to run.
	if _, err := Reindex(context.Background(), ReindexOptions{DataDir: dir}); !errors.Is(err, ErrDataDirInUse) {
		t.Errorf("Reindex while serving = %v, want ErrDataDirInUse", err)
	}
	// A verdict written while the index rebuilds is kept.
	late := noticeVerdict("late", time.Now().UTC())
	b, err := json.Marshal(late)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.producer.Produce(context.Background(), a.streamCfg.Topic(stream.Scored), stream.Message{Key: []byte("late"), Value: b}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	waitFor(t, 30*time.Second, "the index rebuilt", func() bool {
		var h struct{ Status, Index string }
		req, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz = %d, %v", resp.StatusCode, err)
		}
		if len(seen) == 0 || seen[len(seen)-1] != h.Index {
			seen = append(seen, h.Index)
		}
		if h.Index == "rebuilding" {
			code, body := get(t, base+"/api/v1/search?q=x")
			if code != http.StatusServiceUnavailable || !strings.Contains(body, `"search is rebuilding"`) {
				t.Errorf("search while rebuilding = %d %s", code, body)
			}
		}
		return h.Index == "ok"
	})
	t.Logf("index states seen: %v", seen)
	var got apiList
	waitFor(t, 30*time.Second, "the late verdict indexed", func() bool {
		getJSON(t, base+"/api/v1/search?q=границей&limit=100", &got)
		return findID(got.Ads, "late")
	})
	if uint64(got.Total) != want+1 {
		t.Errorf("search after the rebuild finds %d ads, want %d and the late one", got.Total, want)
	}
	out := logs.String()
	for _, s := range []string{"index: damaged", "msg=\"index: rebuilding\"", "msg=\"index: rebuilt\" count=40"} {
		if !strings.Contains(out, s) {
			t.Errorf("log lacks %q:\n%s", s, out)
		}
	}
	if _, err := os.Stat(index.AsideDir(Paths(dir).Index)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("damaged index kept after the rebuild: %v", err)
	}
}

func findID(ads []apiAd, id string) bool {
	for _, a := range ads {
		if a.ID == id {
			return true
		}
	}
	return false
}

func TestReindexOffline(t *testing.T) {
	dir := t.TempDir()
	want := seedIndexed(t, dir, 12)
	corruptSegment(t, Paths(dir).Index)
	var last [2]int
	res, err := Reindex(context.Background(), ReindexOptions{DataDir: dir, Progress: func(d, n int) { last = [2]int{d, n} }})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res.Before, index.ErrDamaged) || res.Indexed != 12 || last != [2]int{12, 12} {
		t.Errorf("Reindex = %+v (before %v), last progress %v", res, res.Before, last)
	}
	if err := index.Verify(Paths(dir).Index); err != nil {
		t.Fatalf("reindexed index: %v", err)
	}
	ix, err := index.Open(Paths(dir).Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Search(context.Background(), index.Query{Text: "границей"})
	if err != nil || r.Total != want {
		t.Errorf("search after reindex: %d, %v; want %d", r.Total, err, want)
	}
	if _, err := Reindex(context.Background(), ReindexOptions{DataDir: t.TempDir()}); err == nil {
		t.Error("Reindex of a data dir without a store succeeded")
	}
}

// An index whose segment files are gone is rebuilt.
func TestServeRebuildsIndexThatLostSegments(t *testing.T) {
	dir := t.TempDir()
	want := seedIndexed(t, dir, 150)
	segs, err := filepath.Glob(filepath.Join(Paths(dir).Index, "store", "*.zap"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("segments: %v %v", segs, err)
	}
	for _, s := range segs {
		if err := os.Remove(s); err != nil {
			t.Fatal(err)
		}
	}
	apiToken = makeToken(t, dir)
	logs := &syncBuffer{}
	a, stop := startApp(t, Options{DataDir: dir, Roles: []Role{RoleServe}, HTTPAddr: "127.0.0.1:0", Partitions: 1,
		DrainTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	defer func() {
		stop()
		if err := a.Wait(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}()
	waitFor(t, 30*time.Second, "the index rebuilt", func() bool { return a.index.State() == index.StateOK })
	var got apiList
	getJSON(t, a.HTTPURL()+"/api/v1/search?q=границей&limit=1", &got)
	if uint64(got.Total) != want {
		t.Errorf("search after the rebuild finds %d ads, want %d", got.Total, want)
	}
	if out := logs.String(); !strings.Contains(out, "index: damaged") || !strings.Contains(out, "count=150") {
		t.Errorf("log lacks the damage or the rebuild:\n%s", out)
	}
}

// Bleve opens an index whose newest segment files are gone from an older
// snapshot, without an error; the count against the store's gives it
// away.
func TestCheckCount(t *testing.T) {
	dir := t.TempDir()
	seedIndexed(t, dir, 3)
	ix, err := index.OpenLive(Paths(dir).Index)
	if err != nil || ix.State() != index.StateOK {
		t.Fatalf("OpenLive: %v %v", ix.State(), err)
	}
	defer ix.Close()
	for _, tc := range []struct {
		flagged int
		damaged bool
	}{{3, false}, {3 + countSlack(3), false}, {4 + countSlack(3), true}, {100000, true}, {2, false}} {
		err := checkCount(ix, tc.flagged)
		if got := errors.Is(err, index.ErrDamaged); got != tc.damaged {
			t.Errorf("checkCount(%d) = %v, want damaged %v", tc.flagged, err, tc.damaged)
		}
	}
}
