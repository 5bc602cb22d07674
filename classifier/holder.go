package classifier

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// ErrBadPack is wrapped by Reload errors about the new pack itself.
var ErrBadPack = errors.New("classifier: rule pack rejected")

// Holder holds the classifier in use and swaps in a new rule pack
// atomically: Score calls already running finish with the old pack, later
// ones use the new one, and a pack that fails to compile or whose rules
// fail their own examples is rejected while the old one keeps running.
// It is safe for concurrent use.
type Holder struct {
	cur  atomic.Pointer[Classifier]
	opts Options
}

// NewHolder returns a Holder serving c; reloaded packs are compiled with
// c's options.
func NewHolder(c *Classifier) *Holder {
	h := &Holder{opts: c.opts}
	h.cur.Store(c)
	return h
}

// Classifier returns the classifier in use.
func (h *Holder) Classifier() *Classifier { return h.cur.Load() }

// Pack returns the rule pack in use.
func (h *Holder) Pack() *rules.Pack { return h.cur.Load().Pack() }

// Score scores a with the classifier in use.
func (h *Holder) Score(ctx context.Context, a ad.Ad) ad.Verdict {
	return h.cur.Load().Score(ctx, a)
}

// Reload compiles p, runs every rule's examples, and swaps it in. On any
// failure the old classifier stays in use and the error (wrapping
// ErrBadPack) says why. Reloading the pack already in use is a no-op.
func (h *Holder) Reload(ctx context.Context, p *rules.Pack) error {
	old := h.cur.Load()
	if p != nil && old.pack.Version == p.Version {
		return nil
	}
	c, err := New(p, h.opts)
	if err != nil {
		h.opts.Metrics.reload(false)
		return fmt.Errorf("%w: %w", ErrBadPack, err)
	}
	if fails := c.CheckExamples(ctx); len(fails) > 0 {
		h.opts.Metrics.reload(false)
		return fmt.Errorf("%w: %d rule example(s) fail, first: %w", ErrBadPack, len(fails), fails[0])
	}
	if !h.cur.CompareAndSwap(old, c) {
		return fmt.Errorf("classifier: concurrent reload; pack %s not applied", p.Version)
	}
	h.opts.Metrics.reload(true)
	return nil
}
