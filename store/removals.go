package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
)

// RecordRemoval records that the crawler found an ad gone from its site
// and marks the ad removed in every sent or acknowledged notice holding
// it; a notice whose every item is then removed becomes "removed" (actor
// notice.ActorCrawler). These moves are the crawler's, not a person's:
// they run here, in the transaction that records the removal, so that a
// replayed removal finds everything done. It is idempotent by ad ID: a repeated removal keeps the
// first detection and changes nothing. It returns the notices it closed.
// The removal is not validated again: ad.DecodeRemoval did, at the hop.
func (n *Notices) RecordRemoval(ctx context.Context, r ad.Removal) ([]int64, error) {
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("record removal", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO ad_removals (ad_id, site, url, reason, last_seen, detected_at, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ad_id) DO NOTHING`,
		r.ID, r.Site, r.URL, r.Reason, nullTime(r.LastSeen), formatTime(r.DetectedAt), formatTime(now)); err != nil {
		return nil, wrap("record removal", err)
	}
	var detected, reason string
	if err := tx.QueryRowContext(ctx, `SELECT detected_at, reason FROM ad_removals WHERE ad_id = ?`, r.ID).Scan(&detected, &reason); err != nil {
		return nil, wrap("record removal", err)
	}
	awaiting, awaitingArgs := inStatuses(notice.AwaitingPlatform)
	ids, err := noticeIDs(ctx, tx, `SELECT i.notice_id FROM notice_items i JOIN notices n ON n.id = i.notice_id
		WHERE i.ad_id = ? AND i.removed_at IS NULL AND n.status IN `+awaiting, append([]any{r.ID}, awaitingArgs...)...)
	if err != nil {
		return nil, err
	}
	var closed []int64
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE notice_items SET removed_at = ?, removal_reason = ? WHERE notice_id = ? AND ad_id = ?`,
			detected, reason, id, r.ID); err != nil {
			return nil, wrap("record removal", err)
		}
		var left int
		var status notice.Status
		if err := tx.QueryRowContext(ctx, `SELECT status, (SELECT COUNT(*) FROM notice_items WHERE notice_id = n.id AND removed_at IS NULL)
			FROM notices n WHERE id = ?`, id).Scan(&status, &left); err != nil {
			return nil, wrap("record removal", err)
		}
		if left > 0 {
			continue
		}
		if err := setStatus(ctx, tx, now, id, status, notice.Removed, notice.ActorCrawler, "every ad verified removed by recrawl"); err != nil {
			return nil, err
		}
		closed = append(closed, id)
	}
	return closed, wrap("record removal", tx.Commit())
}

func noticeIDs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("notice ids", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("notice ids", err)
		}
		ids = append(ids, id)
	}
	return ids, wrap("notice ids", rows.Err())
}

// Removal is a recorded removal of an ad.
type Removal struct {
	AdID       string    `json:"ad_id"`
	Reason     string    `json:"reason"`
	DetectedAt time.Time `json:"detected_at"`
}

// RemovalOf returns the recorded removal of an ad; ok is false when the
// ad is not known to be removed.
func (n *Notices) RemovalOf(ctx context.Context, adID string) (r Removal, ok bool, err error) {
	var detected string
	err = n.db.QueryRowContext(ctx, `SELECT ad_id, reason, detected_at FROM ad_removals WHERE ad_id = ?`, adID).
		Scan(&r.AdID, &r.Reason, &detected)
	if errors.Is(err, sql.ErrNoRows) {
		return Removal{}, false, nil
	}
	if err != nil {
		return Removal{}, false, wrap("removal", err)
	}
	r.DetectedAt = parseTime(detected)
	return r, true, nil
}

// ClearRemoval forgets the removal of an ad seen on its site again at
// seen (a crawl after the removal was detected; an older one changes
// nothing). Its items in open or removed notices lose their removed mark,
// and a notice closed as removed goes back to the status it had before
// (actor notice.ActorCrawler). It reports whether a removal was cleared.
func (n *Notices) ClearRemoval(ctx context.Context, adID string, seen time.Time) (bool, error) {
	tx, err := n.db.BeginTx(ctx, nil)
	if err != nil {
		return false, wrap("clear removal", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var detected string
	err = tx.QueryRowContext(ctx, `SELECT detected_at FROM ad_removals WHERE ad_id = ?`, adID).Scan(&detected)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap("clear removal", err)
	}
	if !seen.After(parseTime(detected)) {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ad_removals WHERE ad_id = ?`, adID); err != nil {
		return false, wrap("clear removal", err)
	}
	ids, err := noticeIDs(ctx, tx, `SELECT i.notice_id FROM notice_items i JOIN notices n ON n.id = i.notice_id
		WHERE i.ad_id = ? AND i.removed_at IS NOT NULL AND n.status IN (?, ?, ?)`, adID, notice.Sent, notice.Acknowledged, notice.Removed)
	if err != nil {
		return false, err
	}
	now := time.Now().UTC()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE notice_items SET removed_at = NULL, removal_reason = '' WHERE notice_id = ? AND ad_id = ?`,
			id, adID); err != nil {
			return false, wrap("clear removal", err)
		}
		var status notice.Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM notices WHERE id = ?`, id).Scan(&status); err != nil {
			return false, wrap("clear removal", err)
		}
		if status != notice.Removed {
			continue
		}
		back := notice.Sent
		var acked sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT acknowledged_at FROM notices WHERE id = ?`, id).Scan(&acked); err != nil {
			return false, wrap("clear removal", err)
		}
		if acked.Valid {
			back = notice.Acknowledged
		}
		note := "ad " + adID + " is on the site again"
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET status = ?, updated_at = ?, closed_at = NULL WHERE id = ?`,
			back, formatTime(now), id); err != nil {
			return false, wrap("clear removal", err)
		}
		if err := addHistory(ctx, tx, now, notice.ActorCrawler, id, notice.Removed, back, note); err != nil {
			return false, err
		}
		site, err := noticeSite(ctx, tx, id)
		if err != nil {
			return false, err
		}
		if err := appendAudit(ctx, tx, now, notice.ActorCrawler, "notice_reopen", adID,
			noticeState{id, site, notice.Removed, ""}, noticeState{id, site, back, note}); err != nil {
			return false, err
		}
	}
	return true, wrap("clear removal", tx.Commit())
}

// RemovalStats is how fast one platform removed the ads it was notified
// of: from the notice being sent to the verified removal of each ad.
type RemovalStats struct {
	Site   string        `json:"site"`
	Count  int           `json:"count"`
	Median time.Duration `json:"-"`
	Max    time.Duration `json:"-"`
	// MedianSeconds and MaxSeconds are Median and Max for JSON.
	MedianSeconds float64 `json:"median_seconds"`
	MaxSeconds    float64 `json:"max_seconds"`
}

// TimeToRemoval returns, per site, how many notified ads were verified
// removed and the median and longest time from sending to removal. A
// removal detected before the notice was sent counts as zero.
func (n *Notices) TimeToRemoval(ctx context.Context) ([]RemovalStats, error) {
	rows, err := n.db.QueryContext(ctx, `SELECT n.site, n.sent_at, i.removed_at FROM notice_items i JOIN notices n ON n.id = i.notice_id
		WHERE n.sent_at IS NOT NULL AND i.removed_at IS NOT NULL`)
	if err != nil {
		return nil, wrap("time to removal", err)
	}
	defer rows.Close()
	bySite := map[string][]time.Duration{}
	for rows.Next() {
		var site, sent, removed string
		if err := rows.Scan(&site, &sent, &removed); err != nil {
			return nil, wrap("time to removal", err)
		}
		bySite[site] = append(bySite[site], max(0, parseTime(removed).Sub(parseTime(sent))))
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("time to removal", err)
	}
	out := []RemovalStats{}
	for site, ds := range bySite {
		st := RemovalStats{Site: site, Count: len(ds), Median: Median(ds), Max: slices.Max(ds)}
		st.MedianSeconds, st.MaxSeconds = st.Median.Seconds(), st.Max.Seconds()
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Site < out[j].Site })
	return out, nil
}

// Median returns the median of ds (the mean of the two middle values for
// an even count), or 0 for none. ds is not modified.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}
