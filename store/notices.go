package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lurewatch/lure/notice"
)

// Notices reads and writes takedown notices, their items and history,
// and the crawler's removals of ads. It holds the SQL only: which moves a
// notice may make is package notice's, and each change here is
// conditional on the status notice checked it against. Get it with
// Store.Notices.
type Notices struct {
	db *sql.DB
}

// Notices returns the notices of the store.
func (s *Store) Notices() *Notices { return &Notices{db: s.db} }

var _ notice.Store = (*Notices)(nil)

// inStatuses is "(?, ?, ...)" for ss, with ss as arguments.
func inStatuses(ss []notice.Status) (string, []any) {
	args := make([]any, len(ss))
	for i, s := range ss {
		args[i] = s
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ss)), ", ") + ")", args
}

// Draft reads, in one transaction, up to d.Limit (all when 0) confirmed
// ads that are in no open notice and not known to be removed, by site and
// oldest decision first, and inserts the drafts d.Plan makes of them. It
// returns the new notices (without items); none when the plan has none.
func (n *Notices) Draft(ctx context.Context, d notice.Drafting) ([]notice.Notice, error) {
	if d.Actor == "" {
		return nil, errors.New("store: draft notices: no actor")
	}
	if d.Plan == nil {
		return nil, errors.New("store: draft notices: no plan")
	}
	limit := d.Limit
	if limit <= 0 {
		limit = -1
	}
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("draft notices", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	open, openArgs := inStatuses(notice.OpenStatuses)
	args := append(append([]any{StatusConfirmed}, openArgs...), limit)
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.site, a.verdict_json, r.note, r.decided_by, r.decided_at
		FROM reviews r JOIN ads a ON a.id = r.ad_id
		WHERE r.status = ?
		AND NOT EXISTS (SELECT 1 FROM notice_items i JOIN notices n ON n.id = i.notice_id
			WHERE i.ad_id = a.id AND n.status IN `+open+`)
		AND NOT EXISTS (SELECT 1 FROM ad_removals x WHERE x.ad_id = a.id)
		ORDER BY a.site, r.decided_at, a.id LIMIT ?`, args...)
	if err != nil {
		return nil, wrap("draft notices", err)
	}
	var cands []notice.Candidate
	for rows.Next() {
		var id, site, js string
		var rev notice.Review
		var decided sql.NullString
		if err := rows.Scan(&id, &site, &js, &rev.Note, &rev.DecidedBy, &decided); err != nil {
			rows.Close()
			return nil, wrap("draft notices", err)
		}
		if decided.Valid {
			rev.DecidedAt = parseTime(decided.String)
		}
		v, err := decodeVerdict(id, js)
		if err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, notice.Candidate{Site: site, Verdict: v, Review: rev})
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, wrap("draft notices", err)
	}
	rows.Close()
	now := time.Now().UTC()
	out := []notice.Notice{}
	for _, nn := range d.Plan(cands) {
		created, err := insertNotice(ctx, tx, now, d, nn.Site, nn.Items)
		if err != nil {
			return nil, err
		}
		out = append(out, created)
	}
	return out, wrap("draft notices", tx.Commit())
}

func insertNotice(ctx context.Context, tx *sql.Tx, now time.Time, d notice.Drafting, site string, items []notice.Item) (notice.Notice, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO notices (site, status, notifier_name, notifier_email, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, site, notice.Draft, d.NotifierName, d.NotifierEmail, d.Actor, formatTime(now), formatTime(now))
	if err != nil {
		return notice.Notice{}, wrap("draft notices", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return notice.Notice{}, wrap("draft notices", err)
	}
	for i, it := range items {
		js, err := json.Marshal(it)
		if err != nil {
			return notice.Notice{}, wrap("draft notices", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_items (notice_id, ad_id, pos, item_json) VALUES (?, ?, ?, ?)`,
			id, it.AdID, i, string(js)); err != nil {
			return notice.Notice{}, wrap("draft notices", err)
		}
	}
	n := notice.Notice{ID: id, Site: site, Status: notice.Draft, NotifierName: d.NotifierName, NotifierEmail: d.NotifierEmail,
		CreatedBy: d.Actor, CreatedAt: now, UpdatedAt: now, ItemCount: len(items)}
	if err := addHistory(ctx, tx, now, d.Actor, id, "", notice.Draft, ""); err != nil {
		return notice.Notice{}, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.AdID
	}
	after := map[string]any{"notice": id, "site": site, "status": notice.Draft, "ads": ids}
	if err := appendAudit(ctx, tx, now, d.Actor, "notice_draft", "", nil, after); err != nil {
		return notice.Notice{}, err
	}
	return n, nil
}

func addHistory(ctx context.Context, tx *sql.Tx, at time.Time, actor string, id int64, from, to notice.Status, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notice_history (notice_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)`,
		id, formatTime(at), actor, from, to, note)
	return wrap("notice history", err)
}

const noticeCols = `n.id, n.site, n.status, n.note, n.notifier_name, n.notifier_email, n.created_by, n.created_at,
	n.updated_at, n.sent_at, n.acknowledged_at, n.closed_at,
	(SELECT COUNT(*) FROM notice_items i WHERE i.notice_id = n.id),
	(SELECT COUNT(*) FROM notice_items i WHERE i.notice_id = n.id AND i.removed_at IS NOT NULL)`

func scanNotice(sc interface{ Scan(...any) error }) (notice.Notice, error) {
	var n notice.Notice
	var created, updated string
	var sent, acked, closed sql.NullString
	if err := sc.Scan(&n.ID, &n.Site, &n.Status, &n.Note, &n.NotifierName, &n.NotifierEmail, &n.CreatedBy,
		&created, &updated, &sent, &acked, &closed, &n.ItemCount, &n.RemovedCount); err != nil {
		return notice.Notice{}, err
	}
	n.CreatedAt, n.UpdatedAt = parseTime(created), parseTime(updated)
	n.SentAt, n.AcknowledgedAt, n.ClosedAt = parseNullTime(sent), parseNullTime(acked), parseNullTime(closed)
	return n, nil
}

func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}

// List returns matching notices, newest first, without items, and their
// total. A zero limit means DefaultLimit; at most MaxLimit.
func (n *Notices) List(ctx context.Context, f notice.Filter) ([]notice.Notice, int, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	f.Limit = min(f.Limit, MaxLimit)
	var conds []string
	var args []any
	if f.Status != "" {
		conds = append(conds, "n.status = ?")
		args = append(args, f.Status)
	}
	if f.Site != "" {
		conds = append(conds, "n.site = ?")
		args = append(args, f.Site)
	}
	if !f.SentBefore.IsZero() {
		in, inArgs := inStatuses(notice.AwaitingPlatform)
		conds = append(conds, "n.status IN "+in+" AND n.sent_at < ?")
		args = append(append(args, inArgs...), formatTime(f.SentBefore))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := n.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices n`+where, args...).Scan(&total); err != nil {
		return nil, 0, wrap("notices", err)
	}
	rows, err := n.db.QueryContext(ctx, `SELECT `+noticeCols+` FROM notices n`+where+` ORDER BY n.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, wrap("notices", err)
	}
	defer rows.Close()
	out := []notice.Notice{}
	for rows.Next() {
		x, err := scanNotice(rows)
		if err != nil {
			return nil, 0, wrap("notices", err)
		}
		out = append(out, x)
	}
	return out, total, wrap("notices", rows.Err())
}

// Sites lists the sites that have notices, by name.
func (n *Notices) Sites(ctx context.Context) ([]string, error) {
	rows, err := n.db.QueryContext(ctx, `SELECT DISTINCT site FROM notices ORDER BY site`)
	if err != nil {
		return nil, wrap("notice sites", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var site string
		if err := rows.Scan(&site); err != nil {
			return nil, wrap("notice sites", err)
		}
		out = append(out, site)
	}
	return out, wrap("notice sites", rows.Err())
}

// StatusOf returns the status of a notice, or an error wrapping
// notice.ErrNotFound.
func (n *Notices) StatusOf(ctx context.Context, id int64) (notice.Status, error) {
	var st notice.Status
	err := n.db.QueryRowContext(ctx, `SELECT status FROM notices WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: %d", notice.ErrNotFound, id)
	}
	return st, wrap("notice status", err)
}

// Get returns one notice with its items (each with its ad's review status
// now) and history, or an error wrapping notice.ErrNotFound.
func (n *Notices) Get(ctx context.Context, id int64) (notice.Notice, error) {
	out, err := scanNotice(n.db.QueryRowContext(ctx, `SELECT `+noticeCols+` FROM notices n WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return notice.Notice{}, fmt.Errorf("%w: %d", notice.ErrNotFound, id)
	}
	if err != nil {
		return notice.Notice{}, wrap("notice", err)
	}
	rows, err := n.db.QueryContext(ctx, `SELECT i.ad_id, i.item_json, i.removed_at, i.removal_reason, COALESCE(r.status, ?)
		FROM notice_items i LEFT JOIN reviews r ON r.ad_id = i.ad_id
		WHERE i.notice_id = ? ORDER BY i.pos, i.ad_id`, StatusNew, id)
	if err != nil {
		return notice.Notice{}, wrap("notice", err)
	}
	defer rows.Close()
	out.Items = []notice.Item{}
	for rows.Next() {
		var adID, js, reason, review string
		var removed sql.NullString
		if err := rows.Scan(&adID, &js, &removed, &reason, &review); err != nil {
			return notice.Notice{}, wrap("notice", err)
		}
		var it notice.Item
		if err := json.Unmarshal([]byte(js), &it); err != nil {
			return notice.Notice{}, fmt.Errorf("store: notice %d: item %s: %w", id, adID, err)
		}
		it.RemovedAt, it.RemovalReason, it.ReviewStatus = parseNullTime(removed), reason, review
		out.Items = append(out.Items, it)
	}
	if err := rows.Err(); err != nil {
		return notice.Notice{}, wrap("notice", err)
	}
	rows.Close()
	hs, err := n.db.QueryContext(ctx, `SELECT at, actor, from_status, to_status, note FROM notice_history
		WHERE notice_id = ? ORDER BY id`, id)
	if err != nil {
		return notice.Notice{}, wrap("notice", err)
	}
	defer hs.Close()
	out.History = []notice.Event{}
	for hs.Next() {
		e := notice.Event{Notice: id}
		var at string
		if err := hs.Scan(&at, &e.Actor, &e.From, &e.To, &e.Note); err != nil {
			return notice.Notice{}, wrap("notice", err)
		}
		e.At = parseTime(at)
		out.History = append(out.History, e)
	}
	return out, wrap("notice", hs.Err())
}

// SetStatus applies a status change in one transaction, if the notice is
// still in c.From: else it fails with an error wrapping
// notice.ErrStatusChanged (notice.ErrNotFound for no such notice) and
// changes nothing. With c.RequireConfirmed it fails with a
// *notice.UnconfirmedError while some ad is not confirmed.
func (n *Notices) SetStatus(ctx context.Context, c notice.Change) error {
	if c.Actor == "" {
		return errors.New("store: notice: no actor")
	}
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("notice transition", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	now := time.Now().UTC()
	if err := updateStatus(ctx, tx, now, c.ID, c.From, c.To, c.Stamp, c.Note); err != nil {
		return err
	}
	if c.RequireConfirmed {
		ids, err := unconfirmedItems(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			return &notice.UnconfirmedError{AdIDs: ids}
		}
	}
	if err := recordStatus(ctx, tx, now, c.ID, c.From, c.To, c.Actor, c.Note); err != nil {
		return err
	}
	if c.RecordNotifier {
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET notifier_name = ?, notifier_email = ? WHERE id = ?`,
			c.NotifierName, c.NotifierEmail, c.ID); err != nil {
			return wrap("notice transition", err)
		}
	}
	if c.MarkRemoved {
		if _, err := tx.ExecContext(ctx, `UPDATE notice_items SET
			removed_at = (SELECT detected_at FROM ad_removals x WHERE x.ad_id = notice_items.ad_id),
			removal_reason = (SELECT reason FROM ad_removals x WHERE x.ad_id = notice_items.ad_id)
			WHERE notice_id = ? AND removed_at IS NULL AND ad_id IN (SELECT ad_id FROM ad_removals)`, c.ID); err != nil {
			return wrap("notice transition", err)
		}
	}
	return wrap("notice transition", tx.Commit())
}

// stampColumn is the column a stamp sets.
func stampColumn(s notice.Stamp) string {
	switch s {
	case notice.StampSent:
		return "sent_at"
	case notice.StampAcknowledged:
		return "acknowledged_at"
	case notice.StampClosed:
		return "closed_at"
	}
	return ""
}

// updateStatus moves notice id from status from to to, setting the stamp
// column and the note (when not empty), if it is still in from.
func updateStatus(ctx context.Context, tx *sql.Tx, now time.Time, id int64, from, to notice.Status, stamp notice.Stamp, note string) error {
	set := `UPDATE notices SET status = ?, updated_at = ?`
	args := []any{to, formatTime(now)}
	if col := stampColumn(stamp); col != "" {
		set += ", " + col + " = ?"
		args = append(args, formatTime(now))
	}
	if note != "" {
		set += ", note = ?"
		args = append(args, note)
	}
	res, err := tx.ExecContext(ctx, set+` WHERE id = ? AND status = ?`, append(args, id, from)...)
	if err != nil {
		return wrap("notice transition", err)
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return wrap("notice transition", err)
	}
	if changed > 0 {
		return nil
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notices WHERE id = ?)`, id).Scan(&exists); err != nil {
		return wrap("notice transition", err)
	}
	if !exists {
		return fmt.Errorf("%w: %d", notice.ErrNotFound, id)
	}
	return fmt.Errorf("%w: notice %d is no longer %s", notice.ErrStatusChanged, id, from)
}

// recordStatus writes the history line and audit entry of a status
// change.
func recordStatus(ctx context.Context, tx *sql.Tx, now time.Time, id int64, from, to notice.Status, actor, note string) error {
	if err := addHistory(ctx, tx, now, actor, id, from, to, note); err != nil {
		return err
	}
	site, err := noticeSite(ctx, tx, id)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, actor, "notice_"+string(to), "", noticeState{id, site, from, ""}, noticeState{id, site, to, note})
}

// setStatus moves a notice from one status to another with its
// timestamp, history line and audit entry.
func setStatus(ctx context.Context, tx *sql.Tx, now time.Time, id int64, from, to notice.Status, actor, note string) error {
	if err := updateStatus(ctx, tx, now, id, from, to, to.Stamp(), note); err != nil {
		return err
	}
	return recordStatus(ctx, tx, now, id, from, to, actor, note)
}

// noticeState is a notice's side of an audit entry: which notice (its ID
// and site) and its status.
type noticeState struct {
	Notice int64         `json:"notice"`
	Site   string        `json:"site"`
	Status notice.Status `json:"status"`
	Note   string        `json:"note,omitempty"`
}

// noticeSite returns the site a notice goes to, for audit entries.
func noticeSite(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var site string
	err := tx.QueryRowContext(ctx, `SELECT site FROM notices WHERE id = ?`, id).Scan(&site)
	return site, wrap("notice site", err)
}
