package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// Paging limits for List.
const (
	DefaultLimit = 50
	MaxLimit     = 500
	// MaxIDs bounds Filter.IDs.
	MaxIDs = 1000
)

// Filter selects ads for List. Zero fields select everything.
type Filter struct {
	Flagged *bool  // nil: flagged and not
	Site    string // exact site name
	Band    string // exact band
	Kind    string // exact kind
	Lang    string // exact language code
	IDs     []string
	Limit   int // 0 means DefaultLimit; larger than MaxLimit is cut to MaxLimit
	Offset  int
}

func (f Filter) where() (string, []any, error) {
	var conds []string
	var args []any
	if f.Flagged != nil {
		conds = append(conds, "flagged = ?")
		args = append(args, *f.Flagged)
	}
	for _, c := range []struct{ col, val string }{
		{"site", f.Site}, {"band", f.Band}, {"kind", f.Kind}, {"lang", f.Lang},
	} {
		if c.val != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.val)
		}
	}
	if f.IDs != nil {
		if len(f.IDs) > MaxIDs {
			return "", nil, fmt.Errorf("store: list: %d ids, limit %d", len(f.IDs), MaxIDs)
		}
		if len(f.IDs) == 0 {
			conds = append(conds, "0")
		} else {
			conds = append(conds, "id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
			for _, id := range f.IDs {
				args = append(args, id)
			}
		}
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// List returns the ads matching f, ordered by score (highest first), then
// crawl time (newest first), then ID, and the total number of matches
// ignoring Limit and Offset. A non-empty IDs slice restricts the result to
// those ads; an empty non-nil one matches nothing.
func (s *Store) List(ctx context.Context, f Filter) ([]ad.Verdict, int, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, errors.New("store: list: negative limit or offset")
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	f.Limit = min(f.Limit, MaxLimit)
	where, args, err := f.where()
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ads"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list: count: %w", err)
	}
	q := "SELECT id, verdict_json FROM ads" + where +
		" ORDER BY score DESC, crawled DESC, id LIMIT ? OFFSET ?"
	rows, err := s.db.QueryContext(ctx, q, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	out := []ad.Verdict{}
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return nil, 0, fmt.Errorf("store: list: %w", err)
		}
		v, err := decodeVerdict(id, js)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list: %w", err)
	}
	return out, total, nil
}

// Stats counts the stored ads.
type Stats struct {
	Total   int             `json:"total"`
	Flagged int             `json:"flagged"`
	ByBand  map[ad.Band]int `json:"by_band"` // every band, zero included
	BySite  map[string]int  `json:"by_site"`
}

// Stats returns counts over all stored ads.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{ByBand: map[ad.Band]int{}, BySite: map[string]int{}}
	for _, b := range ad.Bands {
		st.ByBand[b] = 0
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(flagged), 0) FROM ads`).Scan(&st.Total, &st.Flagged); err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	if err := s.groupCount(ctx, "band", func(k string, n int) { st.ByBand[ad.Band(k)] = n }); err != nil {
		return Stats{}, err
	}
	if err := s.groupCount(ctx, "site", func(k string, n int) { st.BySite[k] = n }); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// groupCount runs a COUNT grouped by col; col is one of a fixed set of
// column names, never user input.
func (s *Store) groupCount(ctx context.Context, col string, put func(string, int)) error {
	rows, err := s.db.QueryContext(ctx, "SELECT "+col+", COUNT(*) FROM ads GROUP BY "+col)
	if err != nil {
		return fmt.Errorf("store: stats by %s: %w", col, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return fmt.Errorf("store: stats by %s: %w", col, err)
		}
		put(k, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: stats by %s: %w", col, err)
	}
	return nil
}
