package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	// Status is a review status (StatusNew matches ads nobody decided on).
	Status string
	// Assignee matches the analyst an ad is assigned to.
	Assignee string
	// Signal matches ads with a hit of this signal.
	Signal string
	// Destination matches ads naming this destination country.
	Destination string
	// Known matches ads known to a partner organisation (see KnownTo).
	Known bool
	// Since and Until bound the crawl time: Since <= crawled < Until.
	Since, Until time.Time
	// Newest orders by crawl time (newest first) instead of score.
	Newest bool
	// CountLimit, if positive, stops counting matches there: List's total
	// is then at most CountLimit (a page view needs no exact 30,000).
	CountLimit int
	// SkipCount skips counting: List's total is then -1 (for a caller
	// that has the count already).
	SkipCount bool
	Limit     int // 0 means DefaultLimit; larger than MaxLimit is cut to MaxLimit
	Offset    int
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
	switch f.Status {
	case "":
	case StatusNew:
		conds = append(conds, "id NOT IN (SELECT ad_id FROM reviews WHERE status <> 'new')")
	default:
		conds = append(conds, "id IN (SELECT ad_id FROM reviews WHERE status = ?)")
		args = append(args, f.Status)
	}
	for _, c := range []struct{ val, sub string }{
		{f.Assignee, "SELECT ad_id FROM reviews WHERE assignee = ?"},
		{f.Signal, "SELECT ad_id FROM ad_signals WHERE signal = ?"},
		{f.Destination, "SELECT ad_id FROM ad_destinations WHERE country = ?"},
	} {
		if c.val != "" {
			conds = append(conds, "id IN ("+c.sub+")")
			args = append(args, c.val)
		}
	}
	if f.Known {
		conds = append(conds, "id IN (SELECT ad_id FROM partner_known)")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "crawled >= ?")
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "crawled < ?")
		args = append(args, formatTime(f.Until))
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
// crawl time (newest first), then ID (or by crawl time first with Newest), and the total number of matches
// ignoring Limit and Offset. A non-empty IDs slice restricts the result to
// those ads; an empty non-nil one matches nothing.
func (s *Store) List(ctx context.Context, f Filter) ([]ad.Verdict, int, error) {
	rows, total, err := s.listRows(ctx, f, "ads.id, ads.verdict_json", "")
	if err != nil {
		return nil, 0, err
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

// listRows counts the ads matching f and queries the page f asks for, in
// List's order: cols of ads (and of the tables join adds) for each ad.
func (s *Store) listRows(ctx context.Context, f Filter, cols, join string) (*sql.Rows, int, error) {
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
	total := -1
	if !f.SkipCount {
		countQ := "SELECT COUNT(*) FROM ads" + where
		countArgs := args
		if f.CountLimit > 0 {
			countQ = "SELECT COUNT(*) FROM (SELECT 1 FROM ads" + where + " LIMIT ?)"
			countArgs = append(append([]any{}, args...), f.CountLimit)
		}
		if err := s.db.QueryRowContext(ctx, countQ, countArgs...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: list: count: %w", err)
		}
	}
	order := " ORDER BY score DESC, crawled DESC, id"
	if f.Newest {
		order = " ORDER BY crawled DESC, score DESC, id"
	}
	// Page over the small columns first, then read the page's rows:
	// sorting never carries the verdict JSON.
	q := "SELECT " + cols + " FROM (SELECT id, score, crawled FROM ads" + where + order +
		" LIMIT ? OFFSET ?) AS page JOIN ads ON ads.id = page.id" + join +
		strings.NewReplacer("score", "page.score", "crawled", "page.crawled", " id", " page.id").Replace(order)
	rows, err := s.db.QueryContext(ctx, q, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list: %w", err)
	}
	return rows, total, nil
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

// Sites lists the sites of the stored ads, sorted.
func (s *Store) Sites(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT site FROM ads ORDER BY site`)
	if err != nil {
		return nil, wrap("sites", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var site string
		if err := rows.Scan(&site); err != nil {
			return nil, wrap("sites", err)
		}
		out = append(out, site)
	}
	return out, wrap("sites", rows.Err())
}

// Facet is one value of a queue filter and its number of flagged ads.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// QueueFacets counts the flagged ads by site, language, kind, band,
// signal, destination and review status, for the queue's filter menus.
func (s *Store) QueueFacets(ctx context.Context) (map[string][]Facet, error) {
	qs := map[string]string{
		"site":        `SELECT site, COUNT(*) FROM ads WHERE flagged = 1 GROUP BY site ORDER BY 2 DESC, 1`,
		"lang":        `SELECT lang, COUNT(*) FROM ads WHERE flagged = 1 AND lang <> '' GROUP BY lang ORDER BY 2 DESC, 1`,
		"kind":        `SELECT kind, COUNT(*) FROM ads WHERE flagged = 1 GROUP BY kind ORDER BY 2 DESC, 1`,
		"band":        `SELECT band, COUNT(*) FROM ads WHERE flagged = 1 GROUP BY band ORDER BY 2 DESC, 1`,
		"signal":      `SELECT s.signal, COUNT(*) FROM ad_signals s JOIN ads a ON a.id = s.ad_id WHERE a.flagged = 1 GROUP BY s.signal ORDER BY 2 DESC, 1`,
		"destination": `SELECT d.country, COUNT(*) FROM ad_destinations d JOIN ads a ON a.id = d.ad_id WHERE a.flagged = 1 GROUP BY d.country ORDER BY 2 DESC, 1`,
		"status":      `SELECT COALESCE(r.status, 'new'), COUNT(*) FROM ads a LEFT JOIN reviews r ON r.ad_id = a.id WHERE a.flagged = 1 GROUP BY 1 ORDER BY 2 DESC, 1`,
	}
	out := map[string][]Facet{}
	for name, q := range qs {
		rows, err := s.db.QueryContext(ctx, q+" LIMIT 100")
		if err != nil {
			return nil, wrap("facets", err)
		}
		fs := []Facet{}
		for rows.Next() {
			var f Facet
			if err := rows.Scan(&f.Value, &f.Count); err != nil {
				rows.Close()
				return nil, wrap("facets", err)
			}
			fs = append(fs, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("facets", err)
		}
		out[name] = fs
	}
	return out, nil
}
