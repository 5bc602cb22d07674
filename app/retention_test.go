package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

var retentionNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func retentionVerdict(id string, flagged bool, crawled time.Time, snapshot string) ad.Verdict {
	score, band := 20.0, ad.BandLow
	if flagged {
		score, band = 80, ad.BandHigh
	}
	a := ad.Ad{V: ad.Version, ID: id, Site: "s" + id[len(id)-1:], URL: "https://s/ad/" + id, Kind: ad.KindJob, Lang: "ru",
		Title: "Работа " + id, Body: "Работа в Турции, звоните +373 69 123 456", Contact: "+373 69 123 456",
		Crawled: crawled, Snapshot: snapshot}
	return ad.Verdict{V: ad.Version, Ad: a.WithHash(), Score: score, Band: band, Flagged: flagged, RulePack: "p",
		ScoredAt: crawled.Add(time.Minute), Hits: []ad.Hit{{Rule: "r", Weight: 1, Signal: "debt_bondage"}},
		Entities: ad.Entities{Phones: []string{"+37369123456"}, Region: "MD/Chișinău", Destinations: []string{"TR"}}}
}

type retentionDir struct {
	dir   string
	snaps map[string]string // ad ID → snapshot ref
}

// seedRetentionDir writes a data dir of n old unflagged ads (each with
// its own snapshot file, and indexed), young and flagged ads, and an old
// unflagged ad an analyst confirmed.
func seedRetentionDir(t *testing.T, n int) retentionDir {
	t.Helper()
	ctx := context.Background()
	d := retentionDir{dir: t.TempDir(), snaps: map[string]string{}}
	p := Paths(d.dir)
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sn, err := crawler.OpenSnapshots(p.Snapshots, crawler.SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(p.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	old, young := retentionNow.AddDate(0, 0, -400), retentionNow.AddDate(0, 0, -10)
	var vs []ad.Verdict
	add := func(id string, flagged bool, crawled time.Time) {
		ref, err := sn.Put([]byte("<html>"+id+"</html>"), crawled)
		if err != nil {
			t.Fatal(err)
		}
		d.snaps[id] = ref.String()
		vs = append(vs, retentionVerdict(id, flagged, crawled, ref.String()))
	}
	for i := range n {
		add(fmt.Sprintf("o%05d", i), false, old)
	}
	add("young1", false, young)
	add("flag1", true, old)
	add("flag2", true, young)
	add("conf1", false, old)
	for chunk := range slices.Chunk(vs, 1000) {
		if _, err := st.UpsertBatch(ctx, chunk); err != nil {
			t.Fatal(err)
		}
		// Index every ad (as if flagged when it was scored), to see the
		// purge take them out.
		docs := make([]ad.Verdict, len(chunk))
		for i, v := range chunk {
			v.Flagged = true
			docs[i] = v
		}
		if err := ix.PutAll(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Apply(ctx, store.Change{AdIDs: []string{"conf1"}, Actor: "ann", Status: store.StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	return d
}

func campaignTotals(t *testing.T, dir string) store.Campaign {
	t.Helper()
	st, err := store.Open(context.Background(), Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := store.NewPeriod(retentionNow.AddDate(0, 0, -500), retentionNow)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Campaign(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func snapshotFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(Paths(dir).Snapshots, func(_ string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func indexCount(t *testing.T, dir string) uint64 {
	t.Helper()
	ix, err := index.OpenLive(Paths(dir).Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurgeDataDir(t *testing.T) {
	const n = 10000
	ctx := context.Background()
	d := seedRetentionDir(t, n)
	before := campaignTotals(t, d.dir)
	if before.Total != n+4 || snapshotFiles(t, d.dir) != n+4 || indexCount(t, d.dir) != n+4 {
		t.Fatalf("seeded %d ads, %d snapshots, %d indexed", before.Total, snapshotFiles(t, d.dir), indexCount(t, d.dir))
	}

	dry, err := Purge(ctx, PurgeOptions{DataDir: d.dir, Retention: store.DefaultRetention, DryRun: true, Now: retentionNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Ads) != n || dry.SnapshotFiles != n+1 || snapshotFiles(t, d.dir) != n+4 || indexCount(t, d.dir) != n+4 {
		t.Fatalf("dry run: %d ads, %d files; left %d files, %d indexed", len(dry.Ads), dry.SnapshotFiles,
			snapshotFiles(t, d.dir), indexCount(t, d.dir))
	}

	res, err := Purge(ctx, PurgeOptions{DataDir: d.dir, Retention: store.DefaultRetention, Now: retentionNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Ads) != n || slices.Contains(res.Ads, "conf1") || res.Kept != 1 {
		t.Fatalf("purged %d ads (conf1 %v), kept %d", len(res.Ads), slices.Contains(res.Ads, "conf1"), res.Kept)
	}
	if !slices.Equal(res.Contacts, []string{"flag1"}) || !slices.Equal(res.Snapshots, []string{"flag1"}) {
		t.Errorf("contacts %v, snapshots %v", res.Contacts, res.Snapshots)
	}
	// Left: young1, flag2 and conf1 with their snapshots; flag1 without.
	if got := snapshotFiles(t, d.dir); got != 3 || res.SnapshotFiles != n+1 {
		t.Errorf("%d snapshot files left, %d deleted", got, res.SnapshotFiles)
	}
	for _, id := range []string{"young1", "flag2", "conf1"} {
		p, _ := snapshotPath(Paths(d.dir).Snapshots, d.snaps[id])
		if _, err := os.Stat(p); err != nil {
			t.Errorf("snapshot of %s: %v", id, err)
		}
	}
	// Index: the 4 kept ads (flag1 reindexed, redacted).
	if got := indexCount(t, d.dir); got != 4 {
		t.Errorf("%d indexed, want 4", got)
	}
	if after := campaignTotals(t, d.dir); after.Count != before.Count || !slices.Equal(after.Weeks, before.Weeks) {
		t.Errorf("campaign totals %+v, before %+v", after.Count, before.Count)
	}

	st, err := store.Open(ctx, Paths(d.dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.Get(ctx, "flag1")
	if err != nil {
		t.Fatal(err)
	}
	if v.Ad.Contact != "" || len(v.Entities.Phones) != 0 || v.Ad.Snapshot != "" {
		t.Errorf("flag1 kept its contact or snapshot: %+v", v.Ad)
	}
	ix, err := index.OpenLive(Paths(d.dir).Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Search(ctx, index.Query{Text: "373"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Hits {
		if h.ID == "flag1" {
			t.Error("flag1's contact still in the index")
		}
	}
}

func TestEraseDataDir(t *testing.T) {
	ctx := context.Background()
	d := seedRetentionDir(t, 3)
	search := func(text string) uint64 {
		t.Helper()
		ix, err := index.OpenLive(Paths(d.dir).Index)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		r, err := ix.Search(ctx, index.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	if n := search("123"); n != 7 {
		t.Fatalf("the phone finds %d ads before erasure", n)
	}
	dry, err := Erase(ctx, EraseOptions{DataDir: d.dir, DryRun: true,
		Erasure: store.Erasure{Keys: []string{"+37369123456"}, Actor: "admin"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Ads) != 7 || dry.SnapshotFiles != 7 || snapshotFiles(t, d.dir) != 7 {
		t.Fatalf("dry run: %+v, %d files left", dry, snapshotFiles(t, d.dir))
	}
	res, err := Erase(ctx, EraseOptions{DataDir: d.dir, Erasure: store.Erasure{Keys: []string{"+37369123456"}, Actor: "admin"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Ads) != 7 || res.SnapshotFiles != 7 || snapshotFiles(t, d.dir) != 0 {
		t.Errorf("erase: %d ads, %d files; %d left", len(res.Ads), res.SnapshotFiles, snapshotFiles(t, d.dir))
	}
	if n := search("123"); n != 0 {
		t.Errorf("the erased phone still finds %d ads", n)
	}
	// Reindexed: the flagged ads, without the phone.
	if n := search("Турции"); n != 2 {
		t.Errorf("the rest of the text finds %d ads, want the 2 flagged", n)
	}
}

// fakeClock drives runRetention: now is its time, after a channel the
// test fires.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	tick chan time.Time
	asks []time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asks = append(c.asks, d)
	return c.tick
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	t := c.t
	c.mu.Unlock()
	c.tick <- t
}

func TestRetentionJob(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := seedRetentionDir(t, 5)
	st, err := store.Open(ctx, Paths(d.dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// At 300 days before retentionNow the old ads are 100 days old.
	clock := &fakeClock{t: retentionNow.AddDate(0, 0, -300), tick: make(chan time.Time)}
	r := &retention{store: st, snapshots: Paths(d.dir).Snapshots, policy: store.DefaultRetention,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	results := make(chan PurgeResult)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		runRetention(ctx, r, RetentionEvery, clock.now, clock.after, func(res PurgeResult, err error) {
			if err != nil {
				t.Error(err)
			}
			results <- res
		})
	}()
	if res := <-results; len(res.Ads) != 0 {
		t.Fatalf("first run at start purged %d ads", len(res.Ads))
	}
	clock.advance(90 * store.Day) // the old ads are 190 days old
	if res := <-results; len(res.Ads) != 5 {
		t.Fatalf("second run purged %d ads, want 5", len(res.Ads))
	}
	clock.advance(store.Day)
	if res := <-results; len(res.Ads) != 0 {
		t.Fatalf("third run purged %d ads", len(res.Ads))
	}
	cancel()
	<-stopped
	clock.mu.Lock()
	defer clock.mu.Unlock()
	if len(clock.asks) < 3 || clock.asks[0] != RetentionEvery {
		t.Errorf("waits %v", clock.asks)
	}
}

func TestStartRetentionZeroKeepsAll(t *testing.T) {
	a := &App{opts: Options{}}
	if err := a.startRetention(serveContext{}); err != nil {
		t.Fatal(err)
	}
	a.opts.Retention = store.Retention{Contacts: -time.Second}
	if err := a.startRetention(serveContext{}); err == nil {
		t.Error("negative retention accepted")
	}
}
