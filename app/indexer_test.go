package app

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// An invalid verdict is refused once, where it enters the serve node: it
// is a dead letter, and nothing of it reaches the store or the index.
func TestIndexerRefusesInvalidVerdict(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := Paths(dir)
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(p.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	h := &indexer{store: st, index: ix, metrics: newIndexerMetrics(nil)}

	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := ad.Ad{V: ad.Version, ID: "a1", Site: "s1", URL: "https://s1/ad/a1", Kind: ad.KindJob,
		Lang: "ru", Title: "Работа", Body: "Текст объявления", Crawled: now}.WithHash()
	v := ad.Verdict{V: ad.Version, Ad: a, Score: 180, Band: ad.BandHigh, Flagged: true,
		RulePack: "2025.03.1", ScoredAt: now}
	msg, err := ad.EncodeVerdict(v)
	if err != nil {
		t.Fatal(err)
	}
	err = h.Handle(ctx, stream.Message{Key: []byte(a.ID), Value: msg})
	if !stream.IsPermanent(err) || !errors.Is(err, ad.ErrInvalid) {
		t.Fatalf("Handle(score 180) = %v, want a permanent error wrapping ad.ErrInvalid", err)
	}
	if _, err := st.Get(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store.Get after a refused verdict = %v, want ErrNotFound", err)
	}

	v.Score = 80
	msg, err = ad.EncodeVerdict(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(ctx, stream.Message{Key: []byte(a.ID), Value: msg}); err != nil {
		t.Fatalf("Handle(valid) = %v", err)
	}
	if _, err := st.Get(ctx, a.ID); err != nil {
		t.Errorf("store.Get after a valid verdict = %v", err)
	}
}

// A batch of verdicts is written at once; an invalid one in it is a dead
// letter alone, a replay changes nothing, and a hook failure fails the
// verdict it failed on and those after it.
func TestIndexerBatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := Paths(dir)
	st, err := store.Open(ctx, p.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(p.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	type call struct {
		id      string
		changed bool
	}
	var calls []call
	failOn := ""
	h := &indexer{store: st, index: ix, metrics: newIndexerMetrics(nil), hooks: []verdictHook{
		func(_ context.Context, v ad.Verdict, changed bool) error {
			if v.Ad.ID == failOn {
				return errors.New("network store busy")
			}
			calls = append(calls, call{v.Ad.ID, changed})
			return nil
		},
	}}

	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	pack := "2025.03.1"
	verdict := func(id string, score float64, flagged bool) stream.Message {
		a := ad.Ad{V: ad.Version, ID: id, Site: "s1", URL: "https://s1/ad/" + id, Kind: ad.KindJob,
			Lang: "ru", Title: "Работа " + id, Body: "Текст объявления " + id, Crawled: now}.WithHash()
		band := ad.BandLow
		if flagged {
			band = ad.BandHigh
		}
		b, err := ad.EncodeVerdict(ad.Verdict{V: ad.Version, Ad: a, Score: score, Band: band, Flagged: flagged,
			RulePack: pack, ScoredAt: now})
		if err != nil {
			t.Fatal(err)
		}
		return stream.Message{Key: []byte(id), Value: b}
	}
	batch := []stream.Message{
		verdict("a1", 80, true),
		verdict("bad", 180, true), // score out of range
		verdict("a2", 10, false),
		{Key: []byte("junk"), Value: []byte("{not json")},
		verdict("a3", 90, true),
	}
	errs := h.HandleBatch(ctx, batch)
	if len(errs) != len(batch) {
		t.Fatalf("HandleBatch = %v, want one result per message", errs)
	}
	for i, err := range errs {
		switch i {
		case 1:
			if !stream.IsPermanent(err) || !errors.Is(err, ad.ErrInvalid) {
				t.Errorf("result %d = %v, want a permanent error wrapping ad.ErrInvalid", i, err)
			}
		case 3:
			if !stream.IsPermanent(err) {
				t.Errorf("result %d = %v, want a permanent error", i, err)
			}
		default:
			if err != nil {
				t.Errorf("result %d = %v, want nil", i, err)
			}
		}
	}
	if _, err := st.Get(ctx, "bad"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store.Get(bad) = %v, want ErrNotFound", err)
	}
	for _, id := range []string{"a1", "a2", "a3"} {
		if _, err := st.Get(ctx, id); err != nil {
			t.Errorf("store.Get(%s) = %v", id, err)
		}
	}
	if n, err := ix.Count(); err != nil || n != 2 {
		t.Errorf("index holds %d ads (%v), want the 2 flagged", n, err)
	}
	want := []call{{"a1", true}, {"a2", true}, {"a3", true}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("hooks saw %v, want %v", calls, want)
	}

	// A replay changes nothing; the hooks see it unchanged.
	calls = nil
	errs = h.HandleBatch(ctx, []stream.Message{batch[0], batch[2], batch[4]})
	if errs != nil {
		t.Fatalf("replay = %v", errs)
	}
	if want := []call{{"a1", false}, {"a2", false}, {"a3", false}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("replay: hooks saw %v, want %v", calls, want)
	}
	if n, _ := ix.Count(); n != 2 {
		t.Errorf("replay: index holds %d ads, want 2", n)
	}

	// An ad no longer flagged leaves the index; a hook failure fails that
	// verdict and the ones after it.
	calls, failOn = nil, "a3"
	now, pack = now.Add(time.Hour), "2025.04.1"
	errs = h.HandleBatch(ctx, []stream.Message{verdict("a1", 20, false), verdict("a3", 95, true), verdict("a4", 5, false)})
	if len(errs) != 3 || errs[0] != nil || errs[1] == nil || stream.IsPermanent(errs[1]) || errs[2] == nil {
		t.Fatalf("hook failure: results %v, want nil then two retryable errors", errs)
	}
	if want := []call{{"a1", true}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("hook failure: hooks saw %v, want %v", calls, want)
	}
	if n, _ := ix.Count(); n != 1 {
		t.Errorf("index holds %d ads, want 1 (a1 unflagged, a3 flagged)", n)
	}
}
