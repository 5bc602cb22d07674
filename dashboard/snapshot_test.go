package dashboard

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// memSnapshots is an in-memory snapshot store.
type memSnapshots map[string][]byte

func (m memSnapshots) Get(ref string) ([]byte, time.Time, error) {
	b, ok := m[ref]
	if !ok {
		return nil, time.Time{}, errors.New("no such snapshot")
	}
	return b, t0, nil
}

func TestSnapshotShownAsText(t *testing.T) {
	v := mkVerdict(t, "s1", 80, true, ad.Ad{Title: "Job", Body: "b"})
	v.Ad.Snapshot = "sha256:ab"
	snaps := memSnapshots{"sha256:ab": []byte(`<html><script>alert(1)</script><p>page</p></html>`)}
	f := newFixture(t, Options{Snapshots: snaps}, v)
	_ = context.Background()
	resp, body := f.get(t, "/ads/s1/snapshot")
	if resp.StatusCode != 200 {
		t.Fatalf("snapshot = %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("snapshot not escaped")
	}
	if _, body := f.get(t, "/ads/s1"); !strings.Contains(body, `href="/ads/s1/snapshot"`) {
		t.Error("ad page lacks the snapshot link")
	}
}
