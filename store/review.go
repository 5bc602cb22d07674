package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Review statuses. StatusNew is the state of an ad nobody decided on.
const (
	StatusNew           = "new"
	StatusConfirmed     = "confirmed"      // confirmed risky
	StatusFalsePositive = "false_positive" // not deceptive
	StatusNeedsInfo     = "needs_info"     // needs more information
	StatusEscalated     = "escalated"
)

// Statuses lists every review status in display order.
var Statuses = []string{StatusNew, StatusConfirmed, StatusFalsePositive, StatusNeedsInfo, StatusEscalated}

// ValidStatus reports whether s is a review status.
func ValidStatus(s string) bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Limits of review input.
const (
	MaxNote  = 4000
	MaxBatch = MaxIDs
)

// Review is the current review state of an ad.
type Review struct {
	AdID      string    `json:"ad_id"`
	Status    string    `json:"status"`
	Note      string    `json:"note,omitempty"`
	Assignee  string    `json:"assignee,omitempty"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Reviews returns the review state of each of ids; ads nobody touched get
// StatusNew.
func (s *Store) Reviews(ctx context.Context, ids []string) (map[string]Review, error) {
	out := make(map[string]Review, len(ids))
	for _, id := range ids {
		out[id] = Review{AdID: id, Status: StatusNew}
	}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) > MaxIDs {
		return nil, fmt.Errorf("store: reviews: %d ids, limit %d", len(ids), MaxIDs)
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT ad_id, status, note, assignee, decided_by, decided_at, updated_at
		FROM reviews WHERE ad_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, wrap("reviews", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, wrap("reviews", err)
		}
		out[r.AdID] = r
	}
	return out, wrap("reviews", rows.Err())
}

func scanReview(sc interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var decided sql.NullString
	var updated string
	if err := sc.Scan(&r.AdID, &r.Status, &r.Note, &r.Assignee, &r.DecidedBy, &decided, &updated); err != nil {
		return Review{}, err
	}
	if decided.Valid {
		r.DecidedAt = parseTime(decided.String)
	}
	r.UpdatedAt = parseTime(updated)
	return r, nil
}

func getReview(ctx context.Context, tx *sql.Tx, id string) (Review, bool, error) {
	r, err := scanReview(tx.QueryRowContext(ctx, `SELECT ad_id, status, note, assignee, decided_by, decided_at, updated_at
		FROM reviews WHERE ad_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{AdID: id, Status: StatusNew}, false, nil
	}
	return r, err == nil, err
}

// Change is one review action on a set of ads by an actor. Status "" keeps
// each ad's status (and note); Assign non-nil sets the assignee ("" to
// unassign).
type Change struct {
	AdIDs  []string
	Actor  string
	Status string
	Note   string
	Assign *string
}

// Apply applies a review change to every ad in c.AdIDs in one transaction,
// appending one audit entry per ad with the review before and after. An
// unknown ad ID fails the whole change with ErrNotFound.
func (s *Store) Apply(ctx context.Context, c Change) ([]Review, error) {
	switch {
	case len(c.AdIDs) == 0 || len(c.AdIDs) > MaxBatch:
		return nil, fmt.Errorf("store: review: %d ads, want 1 to %d", len(c.AdIDs), MaxBatch)
	case c.Actor == "":
		return nil, errors.New("store: review: no actor")
	case c.Status != "" && !ValidStatus(c.Status):
		return nil, fmt.Errorf("store: review: unknown status %q", c.Status)
	case c.Status == "" && c.Assign == nil:
		return nil, errors.New("store: review: nothing to change")
	case len(c.Note) > MaxNote:
		return nil, fmt.Errorf("store: review: note is %d bytes, limit %d", len(c.Note), MaxNote)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("review", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	now := time.Now().UTC()
	out := make([]Review, 0, len(c.AdIDs))
	for _, id := range c.AdIDs {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM ads WHERE id = ?`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
		} else if err != nil {
			return nil, wrap("review", err)
		}
		before, _, err := getReview(ctx, tx, id)
		if err != nil {
			return nil, wrap("review", err)
		}
		after := before
		after.UpdatedAt = now
		action := "assign"
		if c.Status != "" {
			action = "decide"
			after.Status, after.Note, after.DecidedBy, after.DecidedAt = c.Status, c.Note, c.Actor, now
		}
		if c.Assign != nil {
			after.Assignee = *c.Assign
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (ad_id, status, note, assignee, decided_by, decided_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ad_id) DO UPDATE SET status = excluded.status, note = excluded.note, assignee = excluded.assignee,
				decided_by = excluded.decided_by, decided_at = excluded.decided_at, updated_at = excluded.updated_at`,
			id, after.Status, after.Note, after.Assignee, after.DecidedBy, nullTime(after.DecidedAt), formatTime(now)); err != nil {
			return nil, wrap("review", err)
		}
		if err := appendAudit(ctx, tx, now, c.Actor, action, id, before, after); err != nil {
			return nil, err
		}
		out = append(out, after)
	}
	return out, wrap("review", tx.Commit())
}

// AuditEntry is one line of the append-only audit log. Before and After
// are JSON documents ("" when not applicable).
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	AdID   string    `json:"ad_id,omitempty"`
	Before string    `json:"before,omitempty"`
	After  string    `json:"after,omitempty"`
}

func encodeState(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, adID string, before, after any) error {
	b, err := encodeState(before)
	if err != nil {
		return wrap("audit", err)
	}
	a, err := encodeState(after)
	if err != nil {
		return wrap("audit", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, ad_id, before, after) VALUES (?, ?, ?, ?, ?, ?)`,
		formatTime(at), actor, action, adID, b, a)
	return wrap("audit", err)
}

// Audit appends an entry that concerns no ad review (user management,
// logins, token creation). before and after are encoded as JSON; nil
// leaves them empty.
func (s *Store) Audit(ctx context.Context, actor, action string, before, after any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("audit", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := appendAudit(ctx, tx, time.Now().UTC(), actor, action, "", before, after); err != nil {
		return err
	}
	return wrap("audit", tx.Commit())
}

// AuditFilter selects audit entries; zero fields select everything. Text
// matches actor, action, ad ID or the before/after documents.
type AuditFilter struct {
	AdID   string
	Actor  string
	Action string
	Text   string
	Limit  int
	Offset int
}

// AuditLog returns matching audit entries, newest first, and their total.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	f.Limit = min(f.Limit, MaxLimit)
	var conds []string
	var args []any
	for _, c := range []struct{ col, val string }{{"ad_id", f.AdID}, {"actor", f.Actor}, {"action", f.Action}} {
		if c.val != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.val)
		}
	}
	if f.Text != "" {
		like := "%" + escapeLike(f.Text) + "%"
		conds = append(conds, `(actor LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\' OR ad_id LIKE ? ESCAPE '\' OR before LIKE ? ESCAPE '\' OR after LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+where, args...).Scan(&total); err != nil {
		return nil, 0, wrap("audit log", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, ad_id, before, after FROM audit_log`+where+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, wrap("audit log", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.AdID, &e.Before, &e.After); err != nil {
			return nil, 0, wrap("audit log", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, total, wrap("audit log", rows.Err())
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Label is one review decision as a training label for refitting weights:
// confirmed ads are "deceptive", false positives "legit".
type Label struct {
	Label     string    `json:"label"`
	Status    string    `json:"status"`
	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Note      string    `json:"note,omitempty"`
	RulePack  string    `json:"rule_pack"`
	Ad        ad.Ad     `json:"ad"`
}

// Label values.
const (
	LabelDeceptive = "deceptive"
	LabelLegit     = "legit"
)

// ExportLabels writes every confirmed or false-positive decision as a JSON
// line (see Label) to w, oldest decision first, and returns how many.
func (s *Store) ExportLabels(ctx context.Context, w io.Writer) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.status, r.decided_by, r.decided_at, r.note, a.id, a.verdict_json
		FROM reviews r JOIN ads a ON a.id = r.ad_id WHERE r.status IN (?, ?) ORDER BY r.decided_at, a.id`,
		StatusConfirmed, StatusFalsePositive)
	if err != nil {
		return 0, wrap("export labels", err)
	}
	defer rows.Close()
	enc := json.NewEncoder(w)
	n := 0
	for rows.Next() {
		var l Label
		var decided sql.NullString
		var id, js string
		if err := rows.Scan(&l.Status, &l.DecidedBy, &decided, &l.Note, &id, &js); err != nil {
			return n, wrap("export labels", err)
		}
		v, err := decodeVerdict(id, js)
		if err != nil {
			return n, err
		}
		l.Label = LabelLegit
		if l.Status == StatusConfirmed {
			l.Label = LabelDeceptive
		}
		if decided.Valid {
			l.DecidedAt = parseTime(decided.String)
		}
		l.RulePack, l.Ad = v.RulePack, v.Ad
		if err := enc.Encode(l); err != nil {
			return n, fmt.Errorf("store: export labels: write: %w", err)
		}
		n++
	}
	return n, wrap("export labels", rows.Err())
}

// SavedSearch is a named query string of one user.
type SavedSearch struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"` // URL query, e.g. "q=visa&band=high"
	CreatedAt time.Time `json:"created_at"`
}

// MaxSavedSearches bounds each user's saved searches.
const MaxSavedSearches = 100

// SaveSearch stores (or replaces by name) a saved search of a user.
func (s *Store) SaveSearch(ctx context.Context, userID int64, name, query string) error {
	if name == "" || len(name) > 100 || len(query) > 2000 {
		return errors.New("store: save search: name must be 1 to 100 bytes, query at most 2000")
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM saved_searches WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return wrap("save search", err)
	}
	if n >= MaxSavedSearches {
		return fmt.Errorf("store: save search: limit of %d reached", MaxSavedSearches)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO saved_searches (user_id, name, query, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query`, userID, name, query, formatTime(time.Now()))
	return wrap("save search", err)
}

// SavedSearches lists a user's saved searches by name.
func (s *Store) SavedSearches(ctx context.Context, userID int64) ([]SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, query, created_at FROM saved_searches WHERE user_id = ? ORDER BY name`, userID)
	if err != nil {
		return nil, wrap("saved searches", err)
	}
	defer rows.Close()
	out := []SavedSearch{}
	for rows.Next() {
		var x SavedSearch
		var created string
		if err := rows.Scan(&x.ID, &x.Name, &x.Query, &created); err != nil {
			return nil, wrap("saved searches", err)
		}
		x.CreatedAt = parseTime(created)
		out = append(out, x)
	}
	return out, wrap("saved searches", rows.Err())
}

// DeleteSavedSearch deletes one of a user's saved searches.
func (s *Store) DeleteSavedSearch(ctx context.Context, userID, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM saved_searches WHERE user_id = ? AND id = ?`, userID, id)
	return wrap("delete saved search", err)
}
