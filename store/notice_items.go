package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of dropping a draft's items and of sending a notice whose ads
// are no longer confirmed.
var (
	ErrNoticeItemNotFound = errors.New("store: notice: no such ad in the notice")
	ErrNotDraft           = errors.New("store: notice: only a draft's ads can be dropped")
	ErrNotConfirmed       = errors.New("store: notice: ads are no longer confirmed")
)

// UnconfirmedError refuses to send a notice some of whose ads are no
// longer confirmed; it wraps ErrNotConfirmed.
type UnconfirmedError struct {
	AdIDs []string // in the notice's order
}

func (e *UnconfirmedError) Error() string {
	return fmt.Sprintf("store: notice: ads no longer confirmed: %s; drop them from the draft first", strings.Join(e.AdIDs, ", "))
}

// Unwrap makes errors.Is(err, ErrNotConfirmed) hold.
func (e *UnconfirmedError) Unwrap() error { return ErrNotConfirmed }

// Unconfirmed returns the IDs of the notice's ads whose current review
// status is not confirmed, in the notice's order; it needs the items that
// Notice reads.
func (n Notice) Unconfirmed() []string {
	var ids []string
	for _, it := range n.Items {
		if it.ReviewStatus != StatusConfirmed {
			ids = append(ids, it.AdID)
		}
	}
	return ids
}

// unconfirmedItems lists the ads of notice id whose current review status
// is not confirmed.
func unconfirmedItems(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.ad_id FROM notice_items i LEFT JOIN reviews r ON r.ad_id = i.ad_id
		WHERE i.notice_id = ? AND COALESCE(r.status, ?) != ? ORDER BY i.pos, i.ad_id`, id, StatusNew, StatusConfirmed)
	if err != nil {
		return nil, wrap("notice items", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var adID string
		if err := rows.Scan(&adID); err != nil {
			return nil, wrap("notice items", err)
		}
		ids = append(ids, adID)
	}
	return ids, wrap("notice items", rows.Err())
}

// DropItem removes one ad from a draft notice.
type DropItem struct {
	ID    int64
	AdID  string
	Actor string
}

// DropNoticeItem removes an ad from a draft notice (an ad an analyst no
// longer stands behind), recording it in the notice's history and the
// audit log ("notice_drop_item"). Dropping the last ad withdraws the
// notice. The ad is in no open notice afterwards, so drafting takes it
// again if it is confirmed again. A notice that is not a draft fails with
// ErrNotDraft, an ad not in the notice with ErrNoticeItemNotFound.
func (s *Store) DropNoticeItem(ctx context.Context, d DropItem) (Notice, error) {
	if d.Actor == "" {
		return Notice{}, errors.New("store: notice: no actor")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM notices WHERE id = ?`, d.ID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, fmt.Errorf("%w: %d", ErrNoticeNotFound, d.ID)
	}
	if err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	if status != NoticeDraft {
		return Notice{}, fmt.Errorf("%w (notice %d is %s)", ErrNotDraft, d.ID, status)
	}
	var review string
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(r.status, ?) FROM notice_items i LEFT JOIN reviews r ON r.ad_id = i.ad_id
		WHERE i.notice_id = ? AND i.ad_id = ?`, StatusNew, d.ID, d.AdID).Scan(&review)
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, fmt.Errorf("%w: notice %d, ad %q", ErrNoticeItemNotFound, d.ID, d.AdID)
	}
	if err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM notice_items WHERE notice_id = ? AND ad_id = ?`, d.ID, d.AdID); err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	var left int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notice_items WHERE notice_id = ?`, d.ID).Scan(&left); err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	now := time.Now().UTC()
	note := fmt.Sprintf("dropped ad %s (review status %s)", d.AdID, review)
	if _, err := tx.ExecContext(ctx, `UPDATE notices SET updated_at = ? WHERE id = ?`, formatTime(now), d.ID); err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	if err := addHistory(ctx, tx, now, d.Actor, d.ID, NoticeDraft, NoticeDraft, note); err != nil {
		return Notice{}, err
	}
	type state struct {
		Notice       int64  `json:"notice"`
		Site         string `json:"site"`
		Ad           string `json:"ad"`
		ReviewStatus string `json:"review_status,omitempty"`
		Items        int    `json:"items"`
	}
	site, err := noticeSite(ctx, tx, d.ID)
	if err != nil {
		return Notice{}, err
	}
	if err := appendAudit(ctx, tx, now, d.Actor, "notice_drop_item", d.AdID,
		state{d.ID, site, d.AdID, review, left + 1}, state{d.ID, site, d.AdID, "", left}); err != nil {
		return Notice{}, err
	}
	if left == 0 {
		if err := setStatus(ctx, tx, now, d.ID, NoticeDraft, NoticeWithdrawn, d.Actor, "every ad was dropped"); err != nil {
			return Notice{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return Notice{}, wrap("notice drop item", err)
	}
	return s.Notice(ctx, d.ID)
}
