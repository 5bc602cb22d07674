package app

import (
	"context"
	"errors"
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
