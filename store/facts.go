package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// execer runs a statement: a *sql.Tx, or a stmtCache of one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtCache runs statements in tx, each prepared once: a batch of writes
// does not parse the same SQL again for every row.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache {
	return &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}}
}

// ExecContext prepares query in the transaction on first use and runs it.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := c.stmts[query]
	if !ok {
		var err error
		if st, err = c.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = st
	}
	return st.ExecContext(ctx, args...)
}

// Close closes the prepared statements.
func (c *stmtCache) Close() {
	for _, st := range c.stmts {
		st.Close()
	}
}

// writeFacts rewrites the side tables the queue filters, lists and
// contact links read (signals, destinations, contacts, summary) for one
// ad, inside a transaction.
func writeFacts(ctx context.Context, tx execer, v ad.Verdict) error {
	id := v.Ad.ID
	for _, t := range []string{"ad_contacts", "ad_signals", "ad_destinations"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE ad_id = ?", id); err != nil {
			return err
		}
	}
	ins := func(table, col, val string) error {
		if val == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO "+table+" ("+col+", ad_id) VALUES (?, ?)", val, id)
		return err
	}
	for _, h := range v.Hits {
		if err := ins("ad_signals", "signal", h.Signal); err != nil {
			return err
		}
	}
	for _, d := range v.Entities.Destinations {
		if err := ins("ad_destinations", "country", d); err != nil {
			return err
		}
	}
	for _, c := range contacts(v.Entities) {
		if err := ins("ad_contacts", "contact", c); err != nil {
			return err
		}
	}
	if err := writeSummary(ctx, tx, v); err != nil {
		return err
	}
	return writeDims(ctx, tx, v)
}

// contacts returns an ad's contact keys: phones as given (E.164), emails
// and handles lower-cased.
func contacts(e ad.Entities) []string {
	out := append([]string{}, e.Phones...)
	for _, s := range append(append([]string{}, e.Emails...), e.Handles...) {
		out = append(out, strings.ToLower(s))
	}
	return out
}

// Related is another ad that shares a contact with the one asked about.
type Related struct {
	Contact string  `json:"contact"`
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Site    string  `json:"site"`
	Score   float64 `json:"score"`
	Band    ad.Band `json:"band"`
}

// MaxRelated bounds Related's answer.
const MaxRelated = 200

// MaxRelatedCandidates bounds the ads Related ranks: an ad whose contacts
// other ads share more than this many times (a number on thousands of
// ads) is ranked among the first MaxRelatedCandidates found, so that one
// page never sorts a whole network. The network page covers such ads.
const MaxRelatedCandidates = 2000

// Related returns up to limit other ads sharing a phone, email or
// messenger handle with ad id, riskiest first (among at most
// MaxRelatedCandidates of them).
func (s *Store) Related(ctx context.Context, id string, limit int) ([]Related, error) {
	if limit <= 0 || limit > MaxRelated {
		limit = MaxRelated
	}
	// The candidates are ranked from the (id, score) index; only the
	// limit kept read their ad rows.
	rows, err := s.db.QueryContext(ctx, `
WITH cand AS (
	SELECT c2.contact, c2.ad_id
	FROM ad_contacts c1
	JOIN ad_contacts c2 ON c2.contact = c1.contact AND c2.ad_id <> c1.ad_id
	WHERE c1.ad_id = ?
	LIMIT ?),
top AS (
	SELECT cand.contact, cand.ad_id, r.score
	FROM cand JOIN ads r INDEXED BY ads_id_score ON r.id = cand.ad_id
	ORDER BY r.score DESC, r.id, cand.contact
	LIMIT ?)
SELECT top.contact, a.id, a.title, a.site, a.score, a.band
FROM top JOIN ads a ON a.id = top.ad_id
ORDER BY top.score DESC, top.ad_id, top.contact`, id, MaxRelatedCandidates, limit)
	if err != nil {
		return nil, wrap("related", err)
	}
	defer rows.Close()
	out := []Related{}
	for rows.Next() {
		var r Related
		var band string
		if err := rows.Scan(&r.Contact, &r.ID, &r.Title, &r.Site, &r.Score, &band); err != nil {
			return nil, wrap("related", err)
		}
		r.Band = ad.Band(band)
		out = append(out, r)
	}
	return out, wrap("related", rows.Err())
}
