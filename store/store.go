// Package store is lure's system of record on the index node: a SQLite
// database (pure-Go driver) holding every scored ad with its full verdict,
// under versioned schema migrations applied at Open.
//
// Writes are idempotent by ad ID, content hash and rule-pack version, so a
// replayed Kafka message changes nothing. The store knows nothing about
// Kafka, Bleve or HTTP: the indexer feeds it and the dashboard reads it.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned by Get for an unknown ad ID.
var ErrNotFound = errors.New("store: ad not found")

// BusyTimeout is how long a statement waits for a lock held by another
// connection before it fails.
const BusyTimeout = 5 * time.Second

// IdleConns is how many open connections the store keeps for reuse. A
// SQLite connection is costly to open (the schema is parsed again) and
// starts with a cold page cache, so a busy dashboard that opened and
// closed one per burst of requests (database/sql keeps 2 by default)
// would pay for both again and again.
const IdleConns = 32

// Store is a SQLite database of scored ads. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

// Open opens (creating if needed) the database file at path, with WAL
// journaling, a busy timeout and foreign keys on, and applies pending
// schema migrations in one transaction.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store: database path %q must not contain '?' or '#'", path)
	}
	dsn := "file:" + path + "?_txlock=immediate" +
		"&_pragma=journal_mode(WAL)" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds()) +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxIdleConns(IdleConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers; it suits a health check.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// timeLayout is fixed-width UTC, so stored times sort as strings.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

const upsertSQL = `
INSERT INTO ads (id, site, url, kind, lang, title, score, band, flagged, rule_pack,
	content_hash, posted, crawled, scored_at, first_seen, updated_at, verdict_json)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	site = excluded.site, url = excluded.url, kind = excluded.kind, lang = excluded.lang,
	title = excluded.title, score = excluded.score, band = excluded.band,
	flagged = excluded.flagged, rule_pack = excluded.rule_pack,
	content_hash = excluded.content_hash, posted = excluded.posted,
	crawled = excluded.crawled, scored_at = excluded.scored_at,
	updated_at = excluded.updated_at, verdict_json = excluded.verdict_json
WHERE (ads.content_hash <> excluded.content_hash OR ads.rule_pack <> excluded.rule_pack)
	AND (excluded.scored_at IS NULL OR ads.scored_at IS NULL OR excluded.scored_at >= ads.scored_at)`

// Upsert writes a verdict. It is idempotent: a verdict whose ad ID,
// content hash and rule pack are already stored changes nothing and
// returns changed=false. A new content hash or rule-pack version replaces
// the stored verdict (changed=true) unless it was scored before the stored
// one (a stale replay); first_seen is kept. The content hash is the ad's
// ContentHash, which decoded and converted ads carry (ad.WithHash).
// The verdict is not validated again: it comes from ad.DecodeVerdict,
// which validates once at the hop, or from code that built it itself.
func (s *Store) Upsert(ctx context.Context, v ad.Verdict) (changed bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: upsert %s: %w", v.Ad.ID, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	changed, err = upsert(ctx, tx, v, formatTime(time.Now()))
	if err != nil || !changed {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: upsert %s: %w", v.Ad.ID, err)
	}
	return true, nil
}

// UpsertBatch writes verdicts in order in one transaction, each as Upsert
// does (the same idempotency and stale-replay rules; a later verdict of
// one ad sees the earlier ones), and reports for each whether it changed
// the store. Each statement is prepared once for the batch. On error
// nothing is written.
func (s *Store) UpsertBatch(ctx context.Context, vs []ad.Verdict) ([]bool, error) {
	changed := make([]bool, len(vs))
	if len(vs) == 0 {
		return changed, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: upsert batch of %d: %w", len(vs), err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	stmts := newStmtCache(tx)
	defer stmts.Close()
	now := formatTime(time.Now())
	for i, v := range vs {
		if changed[i], err = upsert(ctx, stmts, v, now); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: upsert batch of %d: %w", len(vs), err)
	}
	return changed, nil
}

// upsert writes one verdict inside a transaction, and its facts when the
// row changed.
func upsert(ctx context.Context, tx execer, v ad.Verdict, now string) (bool, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("store: upsert %s: encode verdict: %w", v.Ad.ID, err)
	}
	args := []any{
		v.Ad.ID, v.Ad.Site, v.Ad.URL, string(v.Ad.Kind), v.Language(), v.Ad.Title,
		v.Score, string(v.Band), v.Flagged, v.RulePack, v.Ad.ContentHash,
		nullTime(v.Ad.Posted), nullTime(v.Ad.Crawled), nullTime(v.ScoredAt),
		now, now, string(js),
	}
	res, err := tx.ExecContext(ctx, upsertSQL, args...)
	if err != nil {
		return false, fmt.Errorf("store: upsert %s: %w", v.Ad.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: upsert %s: %w", v.Ad.ID, err)
	}
	if n == 0 {
		return false, nil
	}
	if err := writeFacts(ctx, tx, v); err != nil {
		return false, fmt.Errorf("store: upsert %s: %w", v.Ad.ID, err)
	}
	return true, nil
}

// Get returns the stored verdict of one ad, or an error wrapping
// ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (ad.Verdict, error) {
	var js string
	err := s.db.QueryRowContext(ctx, `SELECT verdict_json FROM ads WHERE id = ?`, id).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return ad.Verdict{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err != nil {
		return ad.Verdict{}, fmt.Errorf("store: get %s: %w", id, err)
	}
	return decodeVerdict(id, js)
}

func decodeVerdict(id, js string) (ad.Verdict, error) {
	var v ad.Verdict
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		return ad.Verdict{}, fmt.Errorf("store: ad %s: decode stored verdict: %w", id, err)
	}
	return v, nil
}
