package crawler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/lurewatch/lure/ad"
)

// Page statuses kept in State: StatusOK, a failure reason (Reason*) of
// the last visit, or the removal reason (ad.Removed*) of a removed ad.
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
	Status      string    // StatusOK, the failure reason of the last visit, or a removal reason
	Snapshot    string    // reference of the snapshot of the last ad sent, "" if none
	Fetched     time.Time // when the page of the last ad sent was fetched
	// Validators of the page's last successful fetch, sent back in a
	// conditional GET, and the date a sitemap or feed gave it then.
	ETag         string
	LastModified string    // the Last-Modified header, as sent
	LastMod      time.Time // sitemap <lastmod> or feed date; zero if none
}

// Removed reports whether the page's ad was recorded as removed.
func (p PageState) Removed() bool {
	return ad.IsRemovalReason(p.Status)
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

// stateColumns are columns added after the first schema; OpenState adds
// them to older files.
var stateColumns = []struct{ name, def string }{
	{"snapshot", "TEXT NOT NULL DEFAULT ''"},
	{"fetched", "INTEGER NOT NULL DEFAULT 0"},
	{"checked", "INTEGER NOT NULL DEFAULT 0"}, // last visit or recheck, ms
	{"etag", "TEXT NOT NULL DEFAULT ''"},
	{"last_modified", "TEXT NOT NULL DEFAULT ''"},
	{"lastmod", "INTEGER NOT NULL DEFAULT 0"}, // ms, 0 for none
}

func migrateState(db *sql.DB) error {
	rows, err := db.Query(`SELECT name FROM pragma_table_info('pages')`)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		have[n] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range stateColumns {
		if !have[c.name] {
			if _, err := db.Exec(`ALTER TABLE pages ADD COLUMN ` + c.name + ` ` + c.def); err != nil {
				return err
			}
		}
	}
	return nil
}

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
	if err := migrateState(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("crawler: state %s: migrate: %w", path, err)
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
	p, err = scanPage(s.db.QueryRowContext(ctx, `SELECT `+pageCols+` FROM pages WHERE url = ?`, u))
	if errors.Is(err, sql.ErrNoRows) {
		return PageState{}, false, nil
	}
	if err != nil {
		return PageState{}, false, fmt.Errorf("crawler: state: %w", err)
	}
	return p, true, nil
}

const pageCols = `url, site, ad_id, content_hash, first_seen, last_seen, status, snapshot, fetched, etag, last_modified, lastmod`

func scanPage(row interface{ Scan(...any) error }) (PageState, error) {
	var p PageState
	var first, last, fetched, lastmod int64
	if err := row.Scan(&p.URL, &p.Site, &p.AdID, &p.ContentHash, &first, &last, &p.Status, &p.Snapshot, &fetched,
		&p.ETag, &p.LastModified, &lastmod); err != nil {
		return PageState{}, err
	}
	p.FirstSeen, p.LastSeen = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
	p.Fetched, p.LastMod = unixMilliOrZero(fetched), unixMilliOrZero(lastmod)
	return p, nil
}

func unixMilliOrZero(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func milliOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// maxValidatorBytes bounds a stored ETag or Last-Modified value; longer
// ones are not kept (the next fetch is then unconditional).
const maxValidatorBytes = 256

func boundValidator(v string) string {
	if len(v) > maxValidatorBytes {
		return ""
	}
	return v
}

// Live returns the pages of site whose ad was sent and not removed, and
// whose last visit succeeded.
func (s *State) Live(ctx context.Context, site string) ([]PageState, error) {
	return s.live(ctx, site, `ORDER BY url`)
}

func (s *State) live(ctx context.Context, site, order string) ([]PageState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pageCols+` FROM pages
WHERE site = ? AND status = ? AND ad_id != '' AND content_hash != '' `+order, site, StatusOK)
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	defer rows.Close()
	var out []PageState
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, fmt.Errorf("crawler: state: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	return out, nil
}

// Stale returns the live pages of site (as Live) that were checked least
// recently, oldest first: by the later of the last visit that saw them
// and the last recheck, then by URL.
func (s *State) Stale(ctx context.Context, site string) ([]PageState, error) {
	return s.live(ctx, site, `ORDER BY MAX(last_seen, checked), url`)
}

// Checked records a recheck of page u at t that did not find it, live or
// gone (a timeout, robots.txt): the page keeps its status and last-seen
// time, and goes to the end of the Stale order.
func (s *State) Checked(ctx context.Context, u string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE pages SET checked = MAX(checked, ?) WHERE url = ?`, t.UnixMilli(), u)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// MarkRemoved records that the ad of page u was removed for reason (one
// of ad.RemovalReasons) at t.
func (s *State) MarkRemoved(ctx context.Context, u, reason string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE pages SET status = ?, last_seen = MAX(last_seen, ?) WHERE url = ?`,
		reason, t.UnixMilli(), u)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Counts returns the number of pages per status for site ("" for all).
func (s *State) Counts(ctx context.Context, site string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM pages WHERE ? = '' OR site = ? GROUP BY status`, site, site)
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("crawler: state: %w", err)
		}
		out[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	return out, nil
}

// Sent records that the ad of page p was sent: it stores p's ad ID,
// content hash and snapshot with status ok, keeping the first-seen time of a known page.
func (s *State) Sent(ctx context.Context, p PageState) error {
	t := p.LastSeen.UnixMilli()
	_, err := s.db.ExecContext(ctx, `
INSERT INTO pages (url, site, ad_id, content_hash, first_seen, last_seen, status, snapshot, fetched, checked,
	etag, last_modified, lastmod)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(url) DO UPDATE SET site = excluded.site, ad_id = excluded.ad_id,
	content_hash = excluded.content_hash, last_seen = excluded.last_seen, status = excluded.status,
	snapshot = excluded.snapshot, fetched = excluded.fetched, checked = excluded.checked,
	etag = excluded.etag, last_modified = excluded.last_modified, lastmod = excluded.lastmod`,
		p.URL, p.Site, p.AdID, p.ContentHash, t, t, StatusOK, p.Snapshot, milliOrZero(p.Fetched), t,
		boundValidator(p.ETag), boundValidator(p.LastModified), milliOrZero(p.LastMod))
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Seen records a visit to page u at t that found it unchanged.
func (s *State) Seen(ctx context.Context, u string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE pages SET last_seen = ?, checked = ?, status = ? WHERE url = ?`,
		t.UnixMilli(), t.UnixMilli(), StatusOK, u)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Revalidated records a visit to page u at t that found it unchanged
// (Seen) and the page's validators and sitemap or feed date of that
// visit: empty values keep the stored ones.
func (s *State) Revalidated(ctx context.Context, u string, t time.Time, etag, lastModified string, lastmod time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE pages SET last_seen = ?, checked = ?, status = ?,
	etag = CASE WHEN ? = '' THEN etag ELSE ? END,
	last_modified = CASE WHEN ? = '' THEN last_modified ELSE ? END,
	lastmod = MAX(lastmod, ?) WHERE url = ?`,
		t.UnixMilli(), t.UnixMilli(), StatusOK, etag, boundValidator(etag), lastModified, boundValidator(lastModified),
		milliOrZero(lastmod), u)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Failed records a failed visit to page u of site at t with the failure
// reason as status. The last ad sent, if any, is kept, and so is the
// status of a removed ad.
func (s *State) Failed(ctx context.Context, u, site, reason string, t time.Time) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO pages (url, site, ad_id, content_hash, first_seen, last_seen, status)
VALUES (?, ?, '', '', ?, ?, ?)
ON CONFLICT(url) DO UPDATE SET last_seen = excluded.last_seen,
	status = CASE WHEN status IN (?, ?, ?, ?) THEN status ELSE excluded.status END`,
		u, site, t.UnixMilli(), t.UnixMilli(), reason, ad.RemovedGone404, ad.RemovedGone410, ad.RemovedDelisted, ad.RemovedExpired)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}
