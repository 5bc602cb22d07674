package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lurewatch/lure/notice"
)

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

// DropItem removes an ad from a notice in one transaction, if the notice
// is still in d.Status (else an error wrapping notice.ErrStatusChanged),
// recording it in the notice's history and the audit log
// ("notice_drop_item"); when no ad is left, the notice moves to d.Empty.
// An unknown notice fails with notice.ErrNotFound, an ad not in the
// notice with notice.ErrItemNotFound.
func (n *Notices) DropItem(ctx context.Context, d notice.ItemDrop) error {
	if d.Actor == "" {
		return errors.New("store: notice: no actor")
	}
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("notice drop item", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var status notice.Status
	err = tx.QueryRowContext(ctx, `SELECT status FROM notices WHERE id = ?`, d.ID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %d", notice.ErrNotFound, d.ID)
	}
	if err != nil {
		return wrap("notice drop item", err)
	}
	if status != d.Status {
		return fmt.Errorf("%w: notice %d is %s, not %s", notice.ErrStatusChanged, d.ID, status, d.Status)
	}
	var review string
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(r.status, ?) FROM notice_items i LEFT JOIN reviews r ON r.ad_id = i.ad_id
		WHERE i.notice_id = ? AND i.ad_id = ?`, StatusNew, d.ID, d.AdID).Scan(&review)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: notice %d, ad %q", notice.ErrItemNotFound, d.ID, d.AdID)
	}
	if err != nil {
		return wrap("notice drop item", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM notice_items WHERE notice_id = ? AND ad_id = ?`, d.ID, d.AdID); err != nil {
		return wrap("notice drop item", err)
	}
	var left int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notice_items WHERE notice_id = ?`, d.ID).Scan(&left); err != nil {
		return wrap("notice drop item", err)
	}
	now := time.Now().UTC()
	note := fmt.Sprintf("dropped ad %s (review status %s)", d.AdID, review)
	if _, err := tx.ExecContext(ctx, `UPDATE notices SET updated_at = ? WHERE id = ?`, formatTime(now), d.ID); err != nil {
		return wrap("notice drop item", err)
	}
	if err := addHistory(ctx, tx, now, d.Actor, d.ID, d.Status, d.Status, note); err != nil {
		return err
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
		return err
	}
	if err := appendAudit(ctx, tx, now, d.Actor, "notice_drop_item", d.AdID,
		state{d.ID, site, d.AdID, review, left + 1}, state{d.ID, site, d.AdID, "", left}); err != nil {
		return err
	}
	if left == 0 {
		if err := setStatus(ctx, tx, now, d.ID, d.Status, d.Empty, d.Actor, d.EmptyNote); err != nil {
			return err
		}
	}
	return wrap("notice drop item", tx.Commit())
}
