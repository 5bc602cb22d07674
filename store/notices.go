package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Notice statuses. A notice is drafted, sent to its platform, possibly
// acknowledged, and closed as removed or rejected; a draft can be
// withdrawn instead of sent.
const (
	NoticeDraft        = "draft"
	NoticeSent         = "sent"
	NoticeAcknowledged = "acknowledged"
	NoticeRemoved      = "removed"
	NoticeRejected     = "rejected"
	NoticeWithdrawn    = "withdrawn"
)

// NoticeStatuses lists every notice status in lifecycle order.
var NoticeStatuses = []string{NoticeDraft, NoticeSent, NoticeAcknowledged, NoticeRemoved, NoticeRejected, NoticeWithdrawn}

// noticeNext is the lifecycle: the statuses a person may move a notice to.
var noticeNext = map[string][]string{
	NoticeDraft:        {NoticeSent, NoticeWithdrawn},
	NoticeSent:         {NoticeAcknowledged, NoticeRemoved, NoticeRejected},
	NoticeAcknowledged: {NoticeRemoved, NoticeRejected},
}

// openStatuses are those of notices still waiting for an outcome.
var openStatuses = []string{NoticeDraft, NoticeSent, NoticeAcknowledged}

// NoticeNext returns the statuses a notice in status may move to; closed
// notices (removed, rejected, withdrawn) have none.
func NoticeNext(status string) []string { return noticeNext[status] }

// ValidNoticeStatus reports whether s is a notice status.
func ValidNoticeStatus(s string) bool {
	for _, x := range NoticeStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// NoticeOpen reports whether a notice in status still waits for an
// outcome (draft, sent or acknowledged).
func NoticeOpen(status string) bool {
	return status == NoticeDraft || status == NoticeSent || status == NoticeAcknowledged
}

// Actor of changes the crawler's removal checks make.
const ActorCrawler = "crawler"

// MaxNoticeItems bounds the ads of one notice; more confirmed ads of a
// site are split over several notices.
const MaxNoticeItems = 500

// maxDraftAds bounds the confirmed ads one drafting run reads.
const maxDraftAds = 20 * MaxNoticeItems

// Errors callers branch on.
var (
	ErrNoticeNotFound   = errors.New("store: notice not found")
	ErrBadTransition    = errors.New("store: notice: invalid transition")
	ErrNotifierRequired = errors.New("store: notice: the notifier's name and e-mail are required to send a notice")
)

// NoticeQuote is one piece of evidence: the text a rule matched in a
// field of the ad.
type NoticeQuote struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

// NoticeRule is one rule that fired on an ad, with its description from
// the rule pack and the matched text.
type NoticeRule struct {
	Rule        string        `json:"rule"`
	Description string        `json:"description"`
	Signal      string        `json:"signal,omitempty"`
	Weight      float64       `json:"weight"`
	Quotes      []NoticeQuote `json:"quotes"`
}

// NoticeItem is one ad of a notice as the notice states it: frozen when
// the notice was drafted, except for the verified removal.
type NoticeItem struct {
	AdID        string       `json:"ad_id"`
	URL         string       `json:"url"`
	Title       string       `json:"title,omitempty"`
	Kind        string       `json:"kind"`
	Lang        string       `json:"lang,omitempty"`
	Score       float64      `json:"score"`
	Band        string       `json:"band"`
	RulePack    string       `json:"rule_pack"`
	Rules       []NoticeRule `json:"rules"`
	ReviewNote  string       `json:"review_note"`
	ReviewedBy  string       `json:"reviewed_by"`
	ReviewedAt  time.Time    `json:"reviewed_at,omitzero"`
	Snapshot    string       `json:"snapshot"`
	ContentHash string       `json:"content_hash"`
	Crawled     time.Time    `json:"crawled,omitzero"`
	// Destinations are the countries the ad sends people to (ISO 3166
	// alpha-2), as extracted when the notice was drafted; empty for
	// notices drafted before they were recorded.
	Destinations []string `json:"destinations,omitempty"`

	RemovedAt     time.Time `json:"removed_at,omitzero"`
	RemovalReason string    `json:"removal_reason,omitempty"`
	// ReviewStatus is the ad's review status now, not frozen: Notice
	// reads it, and a notice is sent only while every ad is confirmed.
	ReviewStatus string `json:"review_status,omitempty"`
}

// NoticeEvent is one step of a notice's lifecycle.
type NoticeEvent struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to"`
	Note   string    `json:"note,omitempty"`
	Notice int64     `json:"-"`
}

// Notice is a takedown notice to one platform (site).
type Notice struct {
	ID             int64     `json:"id"`
	Site           string    `json:"site"`
	Status         string    `json:"status"`
	Note           string    `json:"note,omitempty"`
	NotifierName   string    `json:"notifier_name"`
	NotifierEmail  string    `json:"notifier_email"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	SentAt         time.Time `json:"sent_at,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	ItemCount      int       `json:"item_count"`
	RemovedCount   int       `json:"removed_count"`

	Items   []NoticeItem  `json:"items,omitempty"`
	History []NoticeEvent `json:"history,omitempty"`
}

// Overdue reports whether the notice was sent more than period before now
// and has not been closed.
func (n Notice) Overdue(now time.Time, period time.Duration) bool {
	return (n.Status == NoticeSent || n.Status == NoticeAcknowledged) && !n.SentAt.IsZero() && now.Sub(n.SentAt) > period
}

// NewNoticeItem builds what a notice says about an ad from its verdict
// and review: the rules with positive weight that fired (a negative rule
// is no reason for removal), each with its description (describe may be
// nil) and the text it matched.
func NewNoticeItem(v ad.Verdict, r Review, describe func(rule string) string) NoticeItem {
	it := NoticeItem{AdID: v.Ad.ID, URL: v.Ad.URL, Title: v.Ad.Title, Kind: string(v.Ad.Kind), Lang: v.Language(),
		Score: v.Score, Band: string(v.Band), RulePack: v.RulePack, Rules: []NoticeRule{},
		ReviewNote: r.Note, ReviewedBy: r.DecidedBy, ReviewedAt: r.DecidedAt,
		Snapshot: v.Ad.Snapshot, ContentHash: v.Ad.ContentHash, Crawled: v.Ad.Crawled,
		Destinations: slices.Clone(v.Entities.Destinations)}
	for _, h := range v.Hits {
		if h.Weight <= 0 {
			continue
		}
		nr := NoticeRule{Rule: h.Rule, Signal: h.Signal, Weight: h.Weight, Quotes: []NoticeQuote{}}
		if describe != nil {
			nr.Description = describe(h.Rule)
		}
		for _, sp := range h.Evidence {
			nr.Quotes = append(nr.Quotes, NoticeQuote{Field: sp.Field, Text: sp.Text})
		}
		it.Rules = append(it.Rules, nr)
	}
	return it
}

// DraftRequest asks DraftNotices for drafts.
type DraftRequest struct {
	Actor string
	// NotifierName and NotifierEmail are recorded on the drafts; sending
	// records them again.
	NotifierName, NotifierEmail string
	// Describe gives a rule's description from the rule pack; nil leaves
	// descriptions empty.
	Describe func(rule string) string
}

// DraftNotices drafts notices from confirmed ads that are in no open
// notice and not known to be removed: one notice per site (split every
// MaxNoticeItems ads), oldest decision first. It returns the new notices
// (without items); none when there is nothing to notify.
func (s *Store) DraftNotices(ctx context.Context, req DraftRequest) ([]Notice, error) {
	if req.Actor == "" {
		return nil, errors.New("store: draft notices: no actor")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("draft notices", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.site, a.verdict_json, r.note, r.decided_by, r.decided_at
		FROM reviews r JOIN ads a ON a.id = r.ad_id
		WHERE r.status = ?
		AND NOT EXISTS (SELECT 1 FROM notice_items i JOIN notices n ON n.id = i.notice_id
			WHERE i.ad_id = a.id AND n.status IN (?, ?, ?))
		AND NOT EXISTS (SELECT 1 FROM ad_removals x WHERE x.ad_id = a.id)
		ORDER BY a.site, r.decided_at, a.id LIMIT ?`,
		StatusConfirmed, NoticeDraft, NoticeSent, NoticeAcknowledged, maxDraftAds)
	if err != nil {
		return nil, wrap("draft notices", err)
	}
	var sites []string
	bySite := map[string][]NoticeItem{}
	for rows.Next() {
		var id, site, js string
		var rev Review
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
		if _, ok := bySite[site]; !ok {
			sites = append(sites, site)
		}
		bySite[site] = append(bySite[site], NewNoticeItem(v, rev, req.Describe))
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, wrap("draft notices", err)
	}
	rows.Close()
	now := time.Now().UTC()
	out := []Notice{}
	for _, site := range sites {
		items := bySite[site]
		for len(items) > 0 {
			chunk := items[:min(len(items), MaxNoticeItems)]
			items = items[len(chunk):]
			n, err := insertNotice(ctx, tx, now, req, site, chunk)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
	}
	return out, wrap("draft notices", tx.Commit())
}

func insertNotice(ctx context.Context, tx *sql.Tx, now time.Time, req DraftRequest, site string, items []NoticeItem) (Notice, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO notices (site, status, notifier_name, notifier_email, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, site, NoticeDraft, req.NotifierName, req.NotifierEmail, req.Actor, formatTime(now), formatTime(now))
	if err != nil {
		return Notice{}, wrap("draft notices", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Notice{}, wrap("draft notices", err)
	}
	for i, it := range items {
		js, err := json.Marshal(it)
		if err != nil {
			return Notice{}, wrap("draft notices", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_items (notice_id, ad_id, pos, item_json) VALUES (?, ?, ?, ?)`,
			id, it.AdID, i, string(js)); err != nil {
			return Notice{}, wrap("draft notices", err)
		}
	}
	n := Notice{ID: id, Site: site, Status: NoticeDraft, NotifierName: req.NotifierName, NotifierEmail: req.NotifierEmail,
		CreatedBy: req.Actor, CreatedAt: now, UpdatedAt: now, ItemCount: len(items)}
	if err := addHistory(ctx, tx, now, req.Actor, id, "", NoticeDraft, ""); err != nil {
		return Notice{}, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.AdID
	}
	after := map[string]any{"notice": id, "site": site, "status": NoticeDraft, "ads": ids}
	if err := appendAudit(ctx, tx, now, req.Actor, "notice_draft", "", nil, after); err != nil {
		return Notice{}, err
	}
	return n, nil
}

func addHistory(ctx context.Context, tx *sql.Tx, at time.Time, actor string, id int64, from, to, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notice_history (notice_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)`,
		id, formatTime(at), actor, from, to, note)
	return wrap("notice history", err)
}

// NoticeFilter selects notices; zero fields select everything.
type NoticeFilter struct {
	Status string
	Site   string
	// SentBefore, if set, selects only sent or acknowledged notices sent
	// before it (overdue ones).
	SentBefore time.Time
	Limit      int // 0 means DefaultLimit; at most MaxLimit
	Offset     int
}

const noticeCols = `n.id, n.site, n.status, n.note, n.notifier_name, n.notifier_email, n.created_by, n.created_at,
	n.updated_at, n.sent_at, n.acknowledged_at, n.closed_at,
	(SELECT COUNT(*) FROM notice_items i WHERE i.notice_id = n.id),
	(SELECT COUNT(*) FROM notice_items i WHERE i.notice_id = n.id AND i.removed_at IS NOT NULL)`

func scanNotice(sc interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	var created, updated string
	var sent, acked, closed sql.NullString
	if err := sc.Scan(&n.ID, &n.Site, &n.Status, &n.Note, &n.NotifierName, &n.NotifierEmail, &n.CreatedBy,
		&created, &updated, &sent, &acked, &closed, &n.ItemCount, &n.RemovedCount); err != nil {
		return Notice{}, err
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

// Notices returns matching notices, newest first, without items, and
// their total.
func (s *Store) Notices(ctx context.Context, f NoticeFilter) ([]Notice, int, error) {
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
		conds = append(conds, "n.status IN (?, ?) AND n.sent_at < ?")
		args = append(args, NoticeSent, NoticeAcknowledged, formatTime(f.SentBefore))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices n`+where, args...).Scan(&total); err != nil {
		return nil, 0, wrap("notices", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+noticeCols+` FROM notices n`+where+` ORDER BY n.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, wrap("notices", err)
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, wrap("notices", err)
		}
		out = append(out, n)
	}
	return out, total, wrap("notices", rows.Err())
}

// NoticeSites lists the sites that have notices, by name.
func (s *Store) NoticeSites(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT site FROM notices ORDER BY site`)
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

// Notice returns one notice with its items and history, or an error
// wrapping ErrNoticeNotFound.
func (s *Store) Notice(ctx context.Context, id int64) (Notice, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, `SELECT `+noticeCols+` FROM notices n WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, fmt.Errorf("%w: %d", ErrNoticeNotFound, id)
	}
	if err != nil {
		return Notice{}, wrap("notice", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.ad_id, i.item_json, i.removed_at, i.removal_reason, COALESCE(r.status, ?)
		FROM notice_items i LEFT JOIN reviews r ON r.ad_id = i.ad_id
		WHERE i.notice_id = ? ORDER BY i.pos, i.ad_id`, StatusNew, id)
	if err != nil {
		return Notice{}, wrap("notice", err)
	}
	defer rows.Close()
	n.Items = []NoticeItem{}
	for rows.Next() {
		var adID, js, reason, review string
		var removed sql.NullString
		if err := rows.Scan(&adID, &js, &removed, &reason, &review); err != nil {
			return Notice{}, wrap("notice", err)
		}
		var it NoticeItem
		if err := json.Unmarshal([]byte(js), &it); err != nil {
			return Notice{}, fmt.Errorf("store: notice %d: item %s: %w", id, adID, err)
		}
		it.RemovedAt, it.RemovalReason, it.ReviewStatus = parseNullTime(removed), reason, review
		n.Items = append(n.Items, it)
	}
	if err := rows.Err(); err != nil {
		return Notice{}, wrap("notice", err)
	}
	rows.Close()
	hs, err := s.db.QueryContext(ctx, `SELECT at, actor, from_status, to_status, note FROM notice_history
		WHERE notice_id = ? ORDER BY id`, id)
	if err != nil {
		return Notice{}, wrap("notice", err)
	}
	defer hs.Close()
	n.History = []NoticeEvent{}
	for hs.Next() {
		e := NoticeEvent{Notice: id}
		var at string
		if err := hs.Scan(&at, &e.Actor, &e.From, &e.To, &e.Note); err != nil {
			return Notice{}, wrap("notice", err)
		}
		e.At = parseTime(at)
		n.History = append(n.History, e)
	}
	return n, wrap("notice", hs.Err())
}

// Transition moves a notice to another status.
type Transition struct {
	ID    int64
	To    string
	Actor string
	Note  string
	// NotifierName and NotifierEmail are required to send; sending
	// records them on the notice.
	NotifierName, NotifierEmail string
}

// TransitionNotice moves a notice along its lifecycle (see NoticeNext),
// stamping the time, recording who did it in the notice's history and the
// audit log. A move the lifecycle does not allow fails with an error
// wrapping ErrBadTransition; sending without a notifier fails with
// ErrNotifierRequired, and sending while some ads are no longer
// confirmed with an *UnconfirmedError naming them. Sending marks at once the items whose ads the
// crawler already found removed.
func (s *Store) TransitionNotice(ctx context.Context, t Transition) (Notice, error) {
	switch {
	case t.Actor == "":
		return Notice{}, errors.New("store: notice: no actor")
	case !ValidNoticeStatus(t.To):
		return Notice{}, fmt.Errorf("%w: unknown status %q", ErrBadTransition, t.To)
	case len(t.Note) > MaxNote:
		return Notice{}, fmt.Errorf("store: notice: note is %d bytes, limit %d", len(t.Note), MaxNote)
	case t.To == NoticeSent && (strings.TrimSpace(t.NotifierName) == "" || strings.TrimSpace(t.NotifierEmail) == ""):
		return Notice{}, ErrNotifierRequired
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Notice{}, wrap("notice transition", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var from string
	err = tx.QueryRowContext(ctx, `SELECT status FROM notices WHERE id = ?`, t.ID).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return Notice{}, fmt.Errorf("%w: %d", ErrNoticeNotFound, t.ID)
	}
	if err != nil {
		return Notice{}, wrap("notice transition", err)
	}
	allowed := false
	for _, x := range noticeNext[from] {
		allowed = allowed || x == t.To
	}
	if !allowed {
		next := "none: the notice is closed"
		if len(noticeNext[from]) > 0 {
			next = strings.Join(noticeNext[from], ", ")
		}
		return Notice{}, fmt.Errorf("%w: a %s notice cannot become %s (allowed: %s)", ErrBadTransition, from, t.To, next)
	}
	if t.To == NoticeSent {
		ids, err := unconfirmedItems(ctx, tx, t.ID)
		if err != nil {
			return Notice{}, err
		}
		if len(ids) > 0 {
			return Notice{}, &UnconfirmedError{AdIDs: ids}
		}
	}
	now := time.Now().UTC()
	if err := setStatus(ctx, tx, now, t.ID, from, t.To, t.Actor, t.Note); err != nil {
		return Notice{}, err
	}
	if t.To == NoticeSent {
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET notifier_name = ?, notifier_email = ? WHERE id = ?`,
			t.NotifierName, t.NotifierEmail, t.ID); err != nil {
			return Notice{}, wrap("notice transition", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notice_items SET
			removed_at = (SELECT detected_at FROM ad_removals x WHERE x.ad_id = notice_items.ad_id),
			removal_reason = (SELECT reason FROM ad_removals x WHERE x.ad_id = notice_items.ad_id)
			WHERE notice_id = ? AND removed_at IS NULL AND ad_id IN (SELECT ad_id FROM ad_removals)`, t.ID); err != nil {
			return Notice{}, wrap("notice transition", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Notice{}, wrap("notice transition", err)
	}
	return s.Notice(ctx, t.ID)
}

// setStatus writes a status change with its timestamp, history line and
// audit entry.
func setStatus(ctx context.Context, tx *sql.Tx, now time.Time, id int64, from, to, actor, note string) error {
	col := ""
	switch to {
	case NoticeSent:
		col = ", sent_at = ?"
	case NoticeAcknowledged:
		col = ", acknowledged_at = ?"
	case NoticeRemoved, NoticeRejected, NoticeWithdrawn:
		col = ", closed_at = ?"
	}
	set := `UPDATE notices SET status = ?, updated_at = ?` + col
	args := []any{to, formatTime(now)}
	if col != "" {
		args = append(args, formatTime(now))
	}
	if note != "" {
		set += ", note = ?"
		args = append(args, note)
	}
	if _, err := tx.ExecContext(ctx, set+` WHERE id = ?`, append(args, id)...); err != nil {
		return wrap("notice transition", err)
	}
	if err := addHistory(ctx, tx, now, actor, id, from, to, note); err != nil {
		return err
	}
	site, err := noticeSite(ctx, tx, id)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, actor, "notice_"+to, "", noticeState{id, site, from, ""}, noticeState{id, site, to, note})
}

// noticeState is a notice's side of an audit entry: which notice (its ID
// and site) and its status.
type noticeState struct {
	Notice int64  `json:"notice"`
	Site   string `json:"site"`
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// noticeSite returns the site a notice goes to, for audit entries.
func noticeSite(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var site string
	err := tx.QueryRowContext(ctx, `SELECT site FROM notices WHERE id = ?`, id).Scan(&site)
	return site, wrap("notice site", err)
}
