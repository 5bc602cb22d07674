// Package index is lure's full-text index of flagged ads: a Bleve index
// with per-language analyzers (ru, ro, en, hr, hu, de, tr) over a
// language-neutral, diacritic-folded fallback, keyword facets (site, band,
// signal, …) and highlighted fragments.
//
// It holds flagged ads only and stores no verdicts: the store package is
// the system of record, and callers load full verdicts from it by the IDs
// a search returns. Kafka consumption and HTTP are left to others.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/lurewatch/lure/ad"
)

// Index is a Bleve index of flagged ads. It is safe for concurrent use.
type Index struct {
	idx       bleve.Index
	closeOnce sync.Once
	closeErr  error
}

// Open opens the index in dir, creating it (and dir) if it does not exist.
// An index built with an older mapping is not opened: the error wraps
// ErrOutdated (and ErrDamaged), and the index is to be rebuilt (OpenLive
// reports it as damaged, and StartRebuild replaces it).
func Open(dir string) (*Index, error) {
	if dir == "" {
		return nil, errors.New("index: empty directory")
	}
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	switch {
	case err == nil:
		idx, err := bleve.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("index: open %s: %w", dir, err)
		}
		if err := checkVersion(dir, idx); err != nil {
			idx.Close()
			return nil, err
		}
		return &Index{idx: idx}, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	// bleve.New wants a path that does not exist yet; an empty directory
	// (such as a fresh data dir) is fine to replace.
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return nil, fmt.Errorf("index: %s is not empty and holds no index", dir)
		}
		if err := os.Remove(dir); err != nil {
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	}
	if parent := filepath.Dir(dir); parent != "" {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	}
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.New(dir, m)
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	if err := idx.SetInternal(versionKey, []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	return &Index{idx: idx}, nil
}

// Close closes the index. Calling it again is a no-op that returns the
// first call's result.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		if err := ix.idx.Close(); err != nil {
			ix.closeErr = fmt.Errorf("index: close: %w", err)
		}
	})
	return ix.closeErr
}

// Put indexes a flagged verdict, replacing any earlier version of the same
// ad. A verdict that is not flagged is removed from the index instead, so
// feeding Put every scored verdict keeps the index to the flagged ads.
func (ix *Index) Put(ctx context.Context, v ad.Verdict) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: put: %w", err)
	}
	if v.Ad.ID == "" {
		return fmt.Errorf("index: put: %w: missing ad id", ad.ErrInvalid)
	}
	if !v.Flagged {
		return ix.Delete(v.Ad.ID)
	}
	if err := ix.idx.Index(v.Ad.ID, document(v)); err != nil {
		return fmt.Errorf("index: put %s: %w", v.Ad.ID, err)
	}
	return nil
}

// PutAll is Put for many verdicts in one batch.
func (ix *Index) PutAll(ctx context.Context, vs []ad.Verdict) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: put: %w", err)
	}
	b := ix.idx.NewBatch()
	for _, v := range vs {
		if v.Ad.ID == "" {
			return fmt.Errorf("index: put: %w: missing ad id", ad.ErrInvalid)
		}
		if !v.Flagged {
			b.Delete(v.Ad.ID)
			continue
		}
		if err := b.Index(v.Ad.ID, document(v)); err != nil {
			return fmt.Errorf("index: put %s: %w", v.Ad.ID, err)
		}
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("index: put batch of %d: %w", len(vs), err)
	}
	return nil
}

// Delete removes an ad from the index; an unknown ID is not an error.
func (ix *Index) Delete(id string) error {
	if err := ix.idx.Delete(id); err != nil {
		return fmt.Errorf("index: delete %s: %w", id, err)
	}
	return nil
}

// Count returns the number of indexed ads.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return n, nil
}

// document is what Bleve indexes for a verdict.
func document(v ad.Verdict) map[string]any {
	a := v.Ad
	d := map[string]any{
		fSite:    a.Site,
		fKind:    string(a.Kind),
		fLang:    v.Language(),
		fBand:    string(v.Band),
		fSignals: v.Signals(),
		fScore:   v.Score,
	}
	if !a.Crawled.IsZero() {
		d[fCrawled] = a.Crawled.UTC()
	}
	if s := joinFields(a, textFields); s != "" {
		d[fText] = s
	}
	for _, f := range textFields {
		if s := a.Field(f); s != "" {
			d[f] = s
		}
	}
	if an, ok := langAnalyzers[v.Language()]; ok {
		if s := joinFields(a, langTextFields); s != "" {
			d[langField(an)] = s
		}
	}
	return d
}

// joinFields joins the ad's non-empty fields with line breaks, where
// every analyzer ends a word, so the joined text has the fields' words.
func joinFields(a ad.Ad, fields []string) string {
	var b strings.Builder
	for _, f := range fields {
		if s := a.Field(f); s != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}
