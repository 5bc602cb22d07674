package crawler

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestState(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	const u = "http://127.0.0.1:8090/rabota-md/ad/x"
	if _, ok, err := st.Get(ctx, u); ok || err != nil {
		t.Fatalf("empty state: ok=%v err=%v", ok, err)
	}
	t1 := time.Date(2025, 11, 1, 10, 0, 0, 0, time.UTC)
	t2, t3 := t1.Add(time.Hour), t1.Add(2*time.Hour)
	steps := []struct {
		name string
		do   func() error
		want PageState
	}{
		{"sent", func() error {
			return st.Sent(ctx, PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h1", LastSeen: t1})
		}, PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h1", FirstSeen: t1, LastSeen: t1, Status: StatusOK}},
		{"failed keeps the last ad", func() error {
			return st.Failed(ctx, u, "rabota-md", ReasonMissingField, t2)
		}, PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h1", FirstSeen: t1, LastSeen: t2, Status: ReasonMissingField}},
		{"seen", func() error { return st.Seen(ctx, u, t3) },
			PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h1", FirstSeen: t1, LastSeen: t3, Status: StatusOK}},
		{"sent again keeps first seen", func() error {
			return st.Sent(ctx, PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h2", LastSeen: t3})
		}, PageState{URL: u, Site: "rabota-md", AdID: "id1", ContentHash: "h2", FirstSeen: t1, LastSeen: t3, Status: StatusOK}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			got, ok, err := st.Get(ctx, u)
			if err != nil || !ok || got != s.want {
				t.Errorf("got %+v ok=%v err=%v\nwant %+v", got, ok, err, s.want)
			}
		})
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, ok, err := st.Get(ctx, u); !ok || err != nil || got.ContentHash != "h2" {
		t.Errorf("after reopen: %+v %v %v", got, ok, err)
	}
	if _, err := OpenState(""); err == nil {
		t.Error("OpenState(\"\") succeeded")
	}
	if _, err := OpenState(filepath.Join(t.TempDir(), "no", "such", "dir", "s.db")); err == nil {
		t.Error("OpenState in a missing directory succeeded")
	}
}
