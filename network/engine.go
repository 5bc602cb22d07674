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
	if v.Ad.ID == "" {
		return Assignment{}, ErrInvalid
	}
	hash := v.Ad.ContentHash
	// A replay (the common case after a restart) needs no shingling.
	e.mu.Lock()
	if i, ok := e.g.lookup(v.Ad.ID); ok && !e.dirty && e.g.hashes[i] == hashOf(hash) {
		c, n := e.g.clusterOf(i)
		e.mu.Unlock()
		a := Assignment{AdID: v.Ad.ID, Cluster: c, Size: n, Replay: true}
		e.opts.Metrics.observe(a, true)
		return a, nil
	}
	e.mu.Unlock()
	contacts := Contacts(v.Entities)
	keys := make([]string, len(contacts))
	for i, c := range contacts {
		keys[i] = c.Value
	}
	sig := Sign(Shingles(Tokens(v.Ad.Title, v.Ad.Body, v.Ad.Location)))

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.dirty {
		if err := e.load(ctx); err != nil {
			return Assignment{}, err
		}
		e.dirty = false
	}
	_, known := e.g.lookup(v.Ad.ID)
	a := e.g.add(v.Ad.ID, hashOf(hash), &sig, keys)
	e.opts.Metrics.observe(a, known)
	if a.Replay {
		return a, nil
	}
	if !known {
		e.seqs = append(e.seqs, e.nextSeq)
		e.nextSeq++
	}
	if e.opts.Store == nil {
		return a, nil
	}
	i, _ := e.g.lookup(v.Ad.ID)
	rec := store.NetworkAd{AdID: v.Ad.ID, Seq: e.seqs[i], ContentHash: hash, Site: v.Ad.Site,
		City: CityKey(v.Entities.Region, v.Ad.Location), Seen: seenAt(v), Score: v.Score, Contacts: contacts, Cluster: a.Cluster}
	if !sig.Empty() {
		rec.Signature, _ = sig.MarshalBinary()
	}
	if err := e.opts.Store.SaveNetworkAd(ctx, rec, a.Merged); err != nil {
		// Memory is ahead of the store now: rebuild before the next ad
		// so that the retried verdict is assigned and saved again.
		e.dirty = true
		return Assignment{}, fmt.Errorf("network: %w", err)
	}
	return a, nil
}

// Hook suits the indexer's verdict hooks: it assigns every verdict,
// changed or not (a replay changes nothing).
func (e *Engine) Hook(ctx context.Context, v ad.Verdict, changed bool) error {
	_, err := e.Add(ctx, v)
	return err
}
