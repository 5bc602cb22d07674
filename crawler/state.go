package crawler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Page statuses kept in State.
const (
	StatusOK = "ok"
)

// PageState is what State remembers about one ad page.
type PageState struct {
	URL         string // canonical URL, the key
	Site        string
	AdID        string
	ContentHash string // hash of the last ad sent, "" if none was
	FirstSeen   time.Time
	LastSeen    time.Time
	Status      string // StatusOK or the failure reason of the last visit
}

// State is the crawler's persistent memory in SQLite: for each ad page,
// the ad last sent and when the page was seen. It is safe for concurrent
// use. Nothing else should write its file.
type State struct {
	db *sql.DB
}

const stateSchema = `
CREATE TABLE IF NOT EXISTS pages (
	url          TEXT PRIMARY KEY,
	site         TEXT NOT NULL,
	ad_id        TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	first_seen   INTEGER NOT NULL,
	last_seen    INTEGER NOT NULL,
	status       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_site ON pages(site);
`

// OpenState opens (creating if needed) the state database at path.
func OpenState(path string) (*State, error) {
	if path == "" {
		return nil, errors.New("crawler: state: empty path")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	// One connection: SQLite serialises writers anyway, and this avoids
	// SQLITE_BUSY between our own goroutines.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(stateSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("crawler: state %s: %w", path, err)
	}
	return &State{db: db}, nil
}

// Close closes the database.
func (s *State) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Get returns what is known about the page at the canonical URL u; ok is
// false for a page never seen.
func (s *State) Get(ctx context.Context, u string) (p PageState, ok bool, err error) {
	var first, last int64
	err = s.db.QueryRowContext(ctx,
		`SELECT url, site, ad_id, content_hash, first_seen, last_seen, status FROM pages WHERE url = ?`, u).
		Scan(&p.URL, &p.Site, &p.AdID, &p.ContentHash, &first, &last, &p.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return PageState{}, false, nil
	}
	if err != nil {
		return PageState{}, false, fmt.Errorf("crawler: state: %w", err)
	}
	p.FirstSeen, p.LastSeen = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
	return p, true, nil
}

// Sent records that the ad of page p was sent: it stores p's ad ID and
// content hash with status ok, keeping the first-seen time of a known page.
func (s *State) Sent(ctx context.Context, p PageState) error {
	t := p.LastSeen.UnixMilli()
	_, err := s.db.ExecContext(ctx, `
INSERT INTO pages (url, site, ad_id, content_hash, first_seen, last_seen, status)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(url) DO UPDATE SET site = excluded.site, ad_id = excluded.ad_id,
	content_hash = excluded.content_hash, last_seen = excluded.last_seen, status = excluded.status`,
		p.URL, p.Site, p.AdID, p.ContentHash, t, t, StatusOK)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Seen records a visit to page u at t that found it unchanged.
func (s *State) Seen(ctx context.Context, u string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE pages SET last_seen = ?, status = ? WHERE url = ?`, t.UnixMilli(), StatusOK, u)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Failed records a failed visit to page u of site at t with the failure
// reason as status. The last ad sent, if any, is kept.
func (s *State) Failed(ctx context.Context, u, site, reason string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO pages (url, site, ad_id, content_hash, first_seen, last_seen, status)
VALUES (?, ?, '', '', ?, ?, ?)
ON CONFLICT(url) DO UPDATE SET last_seen = excluded.last_seen, status = excluded.status`,
		u, site, t.UnixMilli(), t.UnixMilli(), reason)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}
