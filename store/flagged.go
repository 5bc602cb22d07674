package store

import (
	"context"
	"fmt"

	"github.com/lurewatch/lure/ad"
)

// EachFlagged calls fn with every flagged verdict, in ID order, at most
// batch at a time (batch <= 0 means DefaultLimit), and stops at fn's first
// error, which it returns. It pages by ID, so verdicts written meanwhile
// are seen or not but never twice; fn runs with no statement open, so it
// may use the store. Rebuilding the search index reads the store this way.
func (s *Store) EachFlagged(ctx context.Context, batch int, fn func([]ad.Verdict) error) error {
	if batch <= 0 {
		batch = DefaultLimit
	}
	after := ""
	for {
		vs, err := s.flaggedAfter(ctx, after, batch)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			return nil
		}
		if err := fn(vs); err != nil {
			return err
		}
		after = vs[len(vs)-1].Ad.ID
		if len(vs) < batch {
			return nil
		}
	}
}

func (s *Store) flaggedAfter(ctx context.Context, after string, limit int) ([]ad.Verdict, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT id, verdict_json FROM ads WHERE flagged = 1 AND id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: flagged: %w", err)
	}
	defer rows.Close()
	var out []ad.Verdict
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return nil, fmt.Errorf("store: flagged: %w", err)
		}
		v, err := decodeVerdict(id, js)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: flagged: %w", err)
	}
	return out, nil
}
