package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Summary is what a list of ads (the review queue, search results) shows
// of one ad: read from columns, without decoding the verdict.
type Summary struct {
	ID      string
	Site    string
	Kind    ad.Kind
	Lang    string // the verdict's language (Verdict.Language)
	Title   string
	Score   float64
	Band    ad.Band
	Flagged bool
	Posted  time.Time // zero when the site gives none
	Crawled time.Time
	// Signals are the distinct signals of the hits, heaviest first (see
	// RankSignals).
	Signals []string
}

// Top returns the n heaviest signals.
func (s Summary) Top(n int) []string { return s.Signals[:min(n, len(s.Signals))] }

// Summarize returns the summary of a verdict: what Summaries reads of the
// stored one.
func Summarize(v ad.Verdict) Summary {
	return Summary{ID: v.Ad.ID, Site: v.Ad.Site, Kind: v.Ad.Kind, Lang: v.Language(), Title: v.Ad.Title,
		Score: v.Score, Band: v.Band, Flagged: v.Flagged, Posted: v.Ad.Posted, Crawled: v.Ad.Crawled,
		Signals: RankSignals(v)}
}

// RankSignals returns the distinct signals of v's hits, the heaviest
// first: a signal weighs the sum of its hits' weights; ties go by name.
func RankSignals(v ad.Verdict) []string {
	weight := map[string]float64{}
	for _, h := range v.Hits {
		if h.Signal != "" {
			weight[h.Signal] += h.Weight
		}
	}
	out := slices.Collect(maps.Keys(weight))
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(weight[b], weight[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// summaryJSON encodes ranked signals for ad_summaries.
func summaryJSON(signals []string) (string, error) {
	if signals == nil {
		signals = []string{}
	}
	b, err := json.Marshal(signals)
	return string(b), err
}

// writeSummary rewrites the ad_summaries row of v, inside the transaction
// that writes the verdict.
func writeSummary(ctx context.Context, tx execer, v ad.Verdict) error {
	js, err := summaryJSON(RankSignals(v))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO ad_summaries (ad_id, signals) VALUES (?, ?)`, v.Ad.ID, js)
	return err
}

// fillSummaries is the Go step of migration 0011: it writes the
// ad_summaries row of every stored ad from its verdict, and sets the
// title column to the verdict's title where they differ (an erasure used
// to rewrite the verdict alone).
func fillSummaries(ctx context.Context, tx *sql.Tx) error {
	const batch = 500
	ins, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO ad_summaries (ad_id, signals) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	title, err := tx.PrepareContext(ctx, `UPDATE ads SET title = ? WHERE id = ? AND title IS NOT ?`)
	if err != nil {
		return err
	}
	defer title.Close()
	for after := ""; ; {
		rs, err := verdictRows(ctx, tx, `SELECT id, verdict_json FROM ads WHERE id > ? ORDER BY id LIMIT ?`, after, batch)
		if err != nil {
			return err
		}
		for _, r := range rs {
			v, err := decodeVerdict(r.id, r.js)
			if err != nil {
				return err
			}
			js, err := summaryJSON(RankSignals(v))
			if err != nil {
				return err
			}
			if _, err := ins.ExecContext(ctx, r.id, js); err != nil {
				return err
			}
			if _, err := title.ExecContext(ctx, v.Ad.Title, r.id, v.Ad.Title); err != nil {
				return err
			}
		}
		if len(rs) < batch {
			return nil
		}
		after = rs[len(rs)-1].id
	}
}

// summaryCols are the columns Summaries reads, of ads joined to
// ad_summaries as s (the verdict only for an ad without a summary row,
// which the writes and migration 0011 leave none of).
const summaryCols = `ads.id, ads.site, ads.kind, ads.lang, ads.title, ads.score, ads.band, ads.flagged,
	ads.posted, ads.crawled, s.signals, CASE WHEN s.signals IS NULL THEN ads.verdict_json END`

// Summaries is List returning summaries instead of full verdicts: the
// same ads, order and total for the same filter, at a fraction of the
// cost of decoding each verdict.
func (s *Store) Summaries(ctx context.Context, f Filter) ([]Summary, int, error) {
	rows, total, err := s.listRows(ctx, f, summaryCols, " LEFT JOIN ad_summaries AS s ON s.ad_id = ads.id")
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var (
			sm              Summary
			kind, band      string
			posted, crawled sql.NullString
			signals, js     sql.NullString
		)
		if err := rows.Scan(&sm.ID, &sm.Site, &kind, &sm.Lang, &sm.Title, &sm.Score, &band, &sm.Flagged,
			&posted, &crawled, &signals, &js); err != nil {
			return nil, 0, fmt.Errorf("store: summaries: %w", err)
		}
		sm.Kind, sm.Band = ad.Kind(kind), ad.Band(band)
		if posted.Valid {
			sm.Posted = parseTime(posted.String)
		}
		if crawled.Valid {
			sm.Crawled = parseTime(crawled.String)
		}
		if signals.Valid {
			if err := json.Unmarshal([]byte(signals.String), &sm.Signals); err != nil {
				return nil, 0, fmt.Errorf("store: ad %s: decode summary: %w", sm.ID, err)
			}
		} else {
			v, err := decodeVerdict(sm.ID, js.String)
			if err != nil {
				return nil, 0, err
			}
			sm.Signals = RankSignals(v)
		}
		if len(sm.Signals) == 0 {
			sm.Signals = nil
		}
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: summaries: %w", err)
	}
	return out, total, nil
}

// verdictRow is an ad's id and its stored verdict JSON.
type verdictRow struct{ id, js string }

// verdictRows reads the (id, verdict_json) rows a query selects, all of
// them before the caller writes in the same transaction.
func verdictRows(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]verdictRow, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []verdictRow
	for rows.Next() {
		var r verdictRow
		if err := rows.Scan(&r.id, &r.js); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}
