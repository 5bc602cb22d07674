package network

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// Store keeps what the engine needs to resume. *store.Networks
// implements it.
type Store interface {
	// LoadNetwork calls fn with every saved ad in arrival order.
	LoadNetwork(ctx context.Context, fn func(store.NetworkAd) error) error
	// SaveNetworkAd writes one assignment: the ad, its contacts, the
	// relabelling of the merged clusters and the cluster's summary.
	SaveNetworkAd(ctx context.Context, a store.NetworkAd, merged []string) error
	// RelabelNetwork moves ads to other clusters (ad ID → cluster ID).
	RelabelNetwork(ctx context.Context, labels map[string]string) error
}

// Options configure an Engine. The zero value is a memory-only engine.
type Options struct {
	// Store, if set, receives every assignment and is replayed at New.
	Store Store
	// Threshold is the estimated Jaccard similarity of masked shingles
	// above which two ads share a template; 0 means DefaultThreshold.
	Threshold float64
	// Metrics, if set, counts ads and links.
	Metrics *Metrics
	// Logger receives the resume summary; nil means slog.Default().
	Logger *slog.Logger
}

// MaxContacts bounds the contacts of one ad that take part in linking.
const MaxContacts = 50

// Engine assigns ads to clusters as they arrive. It is safe for
// concurrent use; assignments are serialised.
type Engine struct {
	opts    Options
	mu      sync.Mutex
	g       *graph
	seqs    []int64 // per ad in the graph: its stored arrival number
	nextSeq int64
	dirty   bool // a save failed: reload from the store before the next ad
}

// New returns an engine, resumed from opts.Store when it is set.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	e := &Engine{opts: opts}
	if err := e.load(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// load rebuilds the graph from the store and repairs stored cluster
// labels that differ from the rebuilt ones.
func (e *Engine) load(ctx context.Context) error {
	e.g, e.seqs, e.nextSeq = newGraph(e.opts.Threshold), nil, 1
	if e.opts.Store == nil {
		return nil
	}
	start := time.Now()
	var stored []string
	err := e.opts.Store.LoadNetwork(ctx, func(a store.NetworkAd) error {
		var sig Signature
		if a.Signature == nil {
			sig = Sign(nil)
		} else if err := sig.UnmarshalBinary(a.Signature); err != nil {
			return fmt.Errorf("network: ad %s: %w", a.AdID, err)
		}
		cs := make([]string, len(a.Contacts))
		for i, c := range a.Contacts {
			cs[i] = c.Value
		}
		e.g.add(a.AdID, hashOf(a.ContentHash), &sig, cs)
		e.seqs = append(e.seqs, a.Seq)
		stored = append(stored, a.Cluster)
		e.nextSeq = max(e.nextSeq, a.Seq+1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("network: resume: %w", err)
	}
	fix := map[string]string{}
	for i, want := range stored {
		if c, _ := e.g.clusterOf(int32(i)); c != want {
			fix[e.g.idOf(int32(i))] = c
		}
	}
	if err := e.opts.Store.RelabelNetwork(ctx, fix); err != nil {
		return fmt.Errorf("network: resume: %w", err)
	}
	e.opts.Logger.Info("network: resumed", "ads", e.g.Len(), "relabelled", len(fix), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Len returns the number of ads the engine holds.
func (e *Engine) Len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.g.Len()
}

// Contacts returns an ad's contact keys: phones as extracted (E.164),
// e-mails and messenger handles or links lower-cased, at most
// MaxContacts, without duplicates. Placeholder phones (six or more zeros
// in a row, as in "+44 20 0000 0000") link nothing and are left out.
func Contacts(en ad.Entities) []store.NetworkContact {
	var out []store.NetworkContact
	seen := map[string]bool{}
	add := func(kind, v string) {
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 256 || seen[v] || len(out) == MaxContacts {
			return
		}
		seen[v] = true
		out = append(out, store.NetworkContact{Value: v, Kind: kind})
	}
	for _, p := range en.Phones {
		if !placeholder(p) {
			add("phone", p)
		}
	}
	for _, m := range en.Emails {
		add("email", strings.ToLower(m))
	}
	for _, h := range en.Handles {
		add("handle", strings.ToLower(h))
	}
	return out
}

// placeholder reports whether a phone number has six or more zeros in a
// row.
func placeholder(phone string) bool {
	run := 0
	for _, r := range phone {
		switch {
		case r == '0':
			run++
			if run >= 6 {
				return true
			}
		case r >= '1' && r <= '9':
			run = 0
		}
	}
	return false
}

func hashOf(s string) uint64 { return mix(fnv(fnvOffset, s)) }

// seenAt is when an ad was seen: posted, else crawled, else scored.
func seenAt(v ad.Verdict) time.Time {
	for _, t := range []time.Time{v.Ad.Posted, v.Ad.Crawled, v.ScoredAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Unix(0, 0)
}

// ErrInvalid is returned for a verdict without an ad ID.
var ErrInvalid = errors.New("network: verdict has no ad id")

// Add assigns one verdict's ad to its cluster and saves the assignment.
// A verdict whose ad ID and content hash were seen already changes
// nothing (Assignment.Replay). A changed ad keeps its old links and adds
// the new ones. The content hash is the ad's ContentHash, which decoded
// and converted ads carry (ad.WithHash).
func (e *Engine) Add(ctx context.Context, v ad.Verdict) (Assignment, error) {
	as, err := e.AddBatch(ctx, []ad.Verdict{v})
	if err != nil {
		return Assignment{}, err
	}
	return as[0], nil
}

// BatchStore is a Store that saves many assignments in one transaction.
// *store.Networks implements it.
type BatchStore interface {
	SaveNetworkAds(ctx context.Context, saves []store.NetworkSave) error
}

// AddBatch is Add for many verdicts, assigned in order: the result is
// what Add would give one by one. When the Store is a BatchStore the
// assignments are saved in one transaction. On error none of them counts
// as saved: the engine reloads from the store before its next ad, so the
// retried verdicts are assigned and saved again.
func (e *Engine) AddBatch(ctx context.Context, vs []ad.Verdict) ([]Assignment, error) {
	for _, v := range vs {
		if v.Ad.ID == "" {
			return nil, ErrInvalid
		}
	}
	out := make([]Assignment, len(vs))
	type input struct {
		contacts []store.NetworkContact
		keys     []string
		sig      Signature
	}
	in := make([]*input, len(vs)) // nil for a replay
	earlier := make(map[string]bool, len(vs))
	for k, v := range vs {
		// A replay (the common case after a restart) needs no shingling;
		// an ad that came earlier in the batch is compared with that one,
		// below.
		again := earlier[v.Ad.ID]
		earlier[v.Ad.ID] = true
		e.mu.Lock()
		if i, ok := e.g.lookup(v.Ad.ID); ok && !again && !e.dirty && e.g.hashes[i] == hashOf(v.Ad.ContentHash) {
			c, n := e.g.clusterOf(i)
			e.mu.Unlock()
			out[k] = Assignment{AdID: v.Ad.ID, Cluster: c, Size: n, Replay: true}
			e.opts.Metrics.observe(out[k], true)
			continue
		}
		e.mu.Unlock()
		x := &input{contacts: Contacts(v.Entities)}
		x.keys = make([]string, len(x.contacts))
		for i, c := range x.contacts {
			x.keys[i] = c.Value
		}
		x.sig = Sign(Shingles(Tokens(v.Ad.Title, v.Ad.Body, v.Ad.Location)))
		in[k] = x
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.dirty {
		if err := e.load(ctx); err != nil {
			return nil, err
		}
		e.dirty = false
	}
	var saves []store.NetworkSave
	for k, v := range vs {
		x := in[k]
		if x == nil {
			continue
		}
		_, known := e.g.lookup(v.Ad.ID)
		a := e.g.add(v.Ad.ID, hashOf(v.Ad.ContentHash), &x.sig, x.keys)
		e.opts.Metrics.observe(a, known)
		out[k] = a
		if a.Replay {
			continue
		}
		if !known {
			e.seqs = append(e.seqs, e.nextSeq)
			e.nextSeq++
		}
		if e.opts.Store == nil {
			continue
		}
		i, _ := e.g.lookup(v.Ad.ID)
		rec := store.NetworkAd{AdID: v.Ad.ID, Seq: e.seqs[i], ContentHash: v.Ad.ContentHash, Site: v.Ad.Site,
			City: CityKey(v.Entities.Region, v.Ad.Location), Seen: seenAt(v), Score: v.Score, Contacts: x.contacts, Cluster: a.Cluster}
		if !x.sig.Empty() {
			rec.Signature, _ = x.sig.MarshalBinary()
		}
		saves = append(saves, store.NetworkSave{Ad: rec, Merged: a.Merged})
	}
	if err := e.save(ctx, saves); err != nil {
		// Memory is ahead of the store now: rebuild before the next ad
		// so that the retried verdicts are assigned and saved again.
		e.dirty = true
		return nil, fmt.Errorf("network: %w", err)
	}
	return out, nil
}

// save writes assignments to the store, in one transaction when it is a
// BatchStore.
func (e *Engine) save(ctx context.Context, saves []store.NetworkSave) error {
	if len(saves) == 0 {
		return nil
	}
	if bs, ok := e.opts.Store.(BatchStore); ok && len(saves) > 1 {
		return bs.SaveNetworkAds(ctx, saves)
	}
	for _, sv := range saves {
		if err := e.opts.Store.SaveNetworkAd(ctx, sv.Ad, sv.Merged); err != nil {
			return err
		}
	}
	return nil
}

// Hook suits the indexer's verdict hooks: it assigns every verdict,
// changed or not (a replay changes nothing).
func (e *Engine) Hook(ctx context.Context, v ad.Verdict, changed bool) error {
	_, err := e.Add(ctx, v)
	return err
}

// BatchHook is Hook for a batch of verdicts: it assigns them in order and
// saves the assignments together.
func (e *Engine) BatchHook(ctx context.Context, vs []ad.Verdict, changed []bool) error {
	_, err := e.AddBatch(ctx, vs)
	return err
}
