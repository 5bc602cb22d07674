package exchange

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// Matcher marks ads as they are indexed: a new ad whose contact hashes to
// a partner's hashed contact (under the share key) or whose template is
// near a partner's template is linked at once, as Match would link it.
// Plain contacts need no matcher. It is safe for concurrent use.
type Matcher struct {
	st  *store.Store
	key []byte // nil: templates only

	mu      sync.Mutex
	version int64 // of the templates loaded
	tmpl    *templateIndex
}

// NewMatcher returns a matcher over st; key is the share key, nil to
// match templates only.
func NewMatcher(st *store.Store, key []byte) (*Matcher, error) {
	if key != nil {
		k, err := CheckKey(key)
		if err != nil {
			return nil, err
		}
		key = k
	}
	return &Matcher{st: st, key: key, version: -1}, nil
}

// templateIndex finds partner templates near a signature.
type templateIndex struct {
	ids    []int64
	sigs   []network.Signature
	bucket map[[2]uint64][]int
}

func newTemplateIndex(ts []store.PartnerTemplate) *templateIndex {
	x := &templateIndex{bucket: map[[2]uint64][]int{}}
	for _, t := range ts {
		b, err := hex.DecodeString(t.Value)
		var sig network.Signature
		if err != nil || sig.UnmarshalBinary(b) != nil {
			continue // checked at import; a bad row matches nothing
		}
		i := len(x.sigs)
		x.ids, x.sigs = append(x.ids, t.ID), append(x.sigs, sig)
		for band, k := range bands(&sig) {
			key := [2]uint64{uint64(band), k}
			x.bucket[key] = append(x.bucket[key], i)
		}
	}
	return x
}

// near returns the IDs of the templates near sig.
func (x *templateIndex) near(sig *network.Signature) []int64 {
	var out []int64
	seen := map[int]bool{}
	for band, k := range bands(sig) {
		for _, i := range x.bucket[[2]uint64{uint64(band), k}] {
			if !seen[i] {
				seen[i] = true
				if network.Similarity(x.sigs[i], *sig) >= network.DefaultThreshold {
					out = append(out, x.ids[i])
				}
			}
		}
	}
	return out
}

// templates returns the index of the current partner templates, reloaded
// when indicators were added.
func (m *Matcher) templates(ctx context.Context) (*templateIndex, error) {
	v, err := m.st.PartnerIndicatorsVersion(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if v != m.version {
		ts, err := m.st.PartnerTemplates(ctx)
		if err != nil {
			return nil, err
		}
		m.tmpl, m.version = newTemplateIndex(ts), v
	}
	return m.tmpl, nil
}

// BatchHook suits the indexer's batch hooks; it must run after the
// network engine's, which saves the ads it links to.
func (m *Matcher) BatchHook(ctx context.Context, vs []ad.Verdict, changed []bool) error {
	var hashes []store.AdHash
	var tms []store.TemplateMatch
	x, err := m.templates(ctx)
	if err != nil {
		return fmt.Errorf("exchange: matcher: %w", err)
	}
	var ask []string
	for _, v := range vs {
		if m.key != nil {
			for _, c := range network.Contacts(v.Entities) {
				if n, err := Normalise(c.Kind, c.Value); err == nil {
					h := Hash(m.key, n)
					hashes = append(hashes, store.AdHash{AdID: v.Ad.ID, Hash: h})
					ask = append(ask, h)
				}
			}
		}
		if len(x.sigs) > 0 {
			sig := network.Sign(network.Shingles(network.Tokens(v.Ad.Title, v.Ad.Body, v.Ad.Location)))
			if !sig.Empty() {
				for _, id := range x.near(&sig) {
					tms = append(tms, store.TemplateMatch{IndicatorID: id, AdID: v.Ad.ID})
				}
			}
		}
	}
	if len(ask) > 0 {
		var known map[string]bool
		for i := 0; i < len(ask); i += store.MaxIDs {
			k, err := m.st.HashedIndicatorsIn(ctx, ask[i:min(i+store.MaxIDs, len(ask))])
			if err != nil {
				return fmt.Errorf("exchange: matcher: %w", err)
			}
			if known == nil {
				known = k
			} else {
				for h := range k {
					known[h] = true
				}
			}
		}
		keep := hashes[:0]
		for _, h := range hashes {
			if known[h.Hash] {
				keep = append(keep, h)
			}
		}
		hashes = keep
	} else {
		hashes = nil
	}
	if len(hashes) == 0 && len(tms) == 0 {
		return nil
	}
	if _, err := m.st.SaveIndicatorMatches(ctx, hashes, tms); err != nil {
		return fmt.Errorf("exchange: matcher: %w", err)
	}
	return nil
}
