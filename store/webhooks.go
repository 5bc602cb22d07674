package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Errors of the webhook tables.
var (
	ErrNoSubscription     = errors.New("store: no such webhook subscription")
	ErrSubscriptionExists = errors.New("store: webhook subscription exists")
	ErrBadSubscription    = errors.New("store: invalid webhook subscription")
)

// Webhook limits.
const (
	MaxSubscriptionSites = 100
	MaxSiteName          = 200
	MaxWebhookURL        = 2000
	// MaxDeliveryError bounds the stored text of a delivery's last error.
	MaxDeliveryError = 500
)

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhooks reads and writes webhook subscriptions and their deliveries.
// Get it with Store.Webhooks.
type Webhooks struct {
	db *sql.DB
}

// Webhooks returns the webhook tables of the store.
func (s *Store) Webhooks() *Webhooks { return &Webhooks{db: s.db} }

// Subscription is a platform's subscription to flagged ads of its sites.
// Secret signs the events; the API shows it once, at creation.
type Subscription struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Sites     []string  `json:"sites"`
	MinScore  float64   `json:"min_score"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	Secret    string    `json:"-"`
}

// Covers reports whether the subscription wants a verdict of site with
// score.
func (s Subscription) Covers(site string, score float64) bool {
	return !s.Disabled && score >= s.MinScore && slices.Contains(s.Sites, site)
}

// Validate checks a subscription before it is stored: a name like a user
// name, an absolute http(s) URL, 1–100 sites, a minimum score in [0, 100]
// and a secret.
func (s Subscription) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadSubscription, fmt.Sprintf(format, args...))
	}
	if !ValidUserName(s.Name) {
		return bad("name must be 1 to %d letters, digits, '.', '-', '_' or '@'", MaxUserName)
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s.URL) > MaxWebhookURL || u.User != nil {
		return bad("url must be an absolute http or https URL without credentials, at most %d bytes", MaxWebhookURL)
	}
	if len(s.Sites) == 0 || len(s.Sites) > MaxSubscriptionSites {
		return bad("a subscription covers 1 to %d sites", MaxSubscriptionSites)
	}
	for _, site := range s.Sites {
		if site == "" || len(site) > MaxSiteName || strings.ContainsAny(site, " \t\r\n,") {
			return bad("site %q: 1 to %d bytes without spaces or commas", site, MaxSiteName)
		}
	}
	if s.MinScore < 0 || s.MinScore > 100 {
		return bad("min_score must be from 0 to 100")
	}
	if len(s.Secret) < 16 {
		return bad("secret must be at least 16 bytes")
	}
	return nil
}

// CreateSubscription stores a new subscription and returns it with its ID.
func (w *Webhooks) CreateSubscription(ctx context.Context, sub Subscription) (Subscription, error) {
	if err := sub.Validate(); err != nil {
		return Subscription{}, err
	}
	sites, err := json.Marshal(sub.Sites)
	if err != nil {
		return Subscription{}, wrap("create subscription", err)
	}
	now := time.Now().UTC()
	res, err := w.db.ExecContext(ctx, `INSERT INTO webhook_subscriptions
		(name, url, sites, min_score, secret, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.Name, sub.URL, string(sites), sub.MinScore, sub.Secret, sub.Disabled, formatTime(now), formatTime(now))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return Subscription{}, fmt.Errorf("%w: %q", ErrSubscriptionExists, sub.Name)
		}
		return Subscription{}, wrap("create subscription", err)
	}
	sub.ID, _ = res.LastInsertId()
	sub.CreatedAt = now
	return sub, nil
}

const subscriptionCols = `id, name, url, sites, min_score, secret, disabled, created_at`

func scanSubscription(sc interface{ Scan(...any) error }) (Subscription, error) {
	var sub Subscription
	var sites, created string
	if err := sc.Scan(&sub.ID, &sub.Name, &sub.URL, &sites, &sub.MinScore, &sub.Secret, &sub.Disabled, &created); err != nil {
		return Subscription{}, err
	}
	if err := json.Unmarshal([]byte(sites), &sub.Sites); err != nil {
		return Subscription{}, fmt.Errorf("subscription %d: sites: %w", sub.ID, err)
	}
	sub.CreatedAt = parseTime(created)
	return sub, nil
}

// Subscriptions lists every subscription, newest first, with secrets.
func (w *Webhooks) Subscriptions(ctx context.Context) ([]Subscription, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT `+subscriptionCols+` FROM webhook_subscriptions ORDER BY id DESC`)
	if err != nil {
		return nil, wrap("subscriptions", err)
	}
	defer rows.Close()
	out := []Subscription{}
	for rows.Next() {
		sub, err := scanSubscription(rows)
		if err != nil {
			return nil, wrap("subscriptions", err)
		}
		out = append(out, sub)
	}
	return out, wrap("subscriptions", rows.Err())
}

// Subscription returns one subscription by ID, or an error wrapping
// ErrNoSubscription.
func (w *Webhooks) Subscription(ctx context.Context, id int64) (Subscription, error) {
	sub, err := scanSubscription(w.db.QueryRowContext(ctx, `SELECT `+subscriptionCols+` FROM webhook_subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Subscription{}, fmt.Errorf("%w: %d", ErrNoSubscription, id)
	}
	return sub, wrap("subscription", err)
}

// SetSubscriptionDisabled disables or re-enables a subscription. Pending
// deliveries of a disabled subscription wait until it is enabled again.
func (w *Webhooks) SetSubscriptionDisabled(ctx context.Context, id int64, disabled bool) error {
	res, err := w.db.ExecContext(ctx, `UPDATE webhook_subscriptions SET disabled = ?, updated_at = ? WHERE id = ?`,
		disabled, formatTime(time.Now()), id)
	if err != nil {
		return wrap("set subscription disabled", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %d", ErrNoSubscription, id)
	}
	return nil
}

// Delivery is one event for one subscription and its delivery state.
type Delivery struct {
	ID             int64     `json:"id"`
	EventID        string    `json:"event_id"`
	SubscriptionID int64     `json:"subscription_id"`
	Subscription   string    `json:"subscription"`
	AdID           string    `json:"ad_id"`
	ContentHash    string    `json:"content_hash"`
	Status         string    `json:"status"`
	Attempts       int       `json:"attempts"`
	NextAt         time.Time `json:"next_at,omitzero"`
	LastCode       int       `json:"last_code,omitempty"`
	LastError      string    `json:"last_error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	DeliveredAt    time.Time `json:"delivered_at,omitzero"`
	// Payload is the event body, URL and Secret the subscription's; they
	// are filled by DueDeliveries only.
	Payload []byte `json:"-"`
	URL     string `json:"-"`
	Secret  string `json:"-"`
}

// EnqueueDelivery records a pending event due at d.NextAt (now if zero).
// It is idempotent: an event for the same subscription, ad and content
// hash (or the same event ID) is recorded once; created reports whether
// this call recorded it.
func (w *Webhooks) EnqueueDelivery(ctx context.Context, d Delivery) (created bool, err error) {
	if d.EventID == "" || d.SubscriptionID == 0 || d.AdID == "" || len(d.Payload) == 0 {
		return false, errors.New("store: enqueue delivery: event id, subscription, ad id and payload are required")
	}
	now := formatTime(time.Now())
	next := now
	if !d.NextAt.IsZero() {
		next = formatTime(d.NextAt)
	}
	res, err := w.db.ExecContext(ctx, `INSERT INTO webhook_deliveries
		(event_id, subscription_id, ad_id, content_hash, payload, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		d.EventID, d.SubscriptionID, d.AdID, d.ContentHash, string(d.Payload), next, now, now)
	if err != nil {
		return false, wrap("enqueue delivery", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("enqueue delivery", err)
}

const deliveryCols = `d.id, d.event_id, d.subscription_id, w.name, d.ad_id, d.content_hash, d.status, d.attempts,
	d.next_at, d.last_code, d.last_error, d.created_at, d.updated_at, d.delivered_at`

func scanDelivery(sc interface{ Scan(...any) error }, extra ...any) (Delivery, error) {
	var d Delivery
	var next, created, updated string
	var delivered sql.NullString
	dest := append([]any{&d.ID, &d.EventID, &d.SubscriptionID, &d.Subscription, &d.AdID, &d.ContentHash,
		&d.Status, &d.Attempts, &next, &d.LastCode, &d.LastError, &created, &updated, &delivered}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return Delivery{}, err
	}
	d.NextAt, d.CreatedAt, d.UpdatedAt = parseTime(next), parseTime(created), parseTime(updated)
	if delivered.Valid {
		d.DeliveredAt = parseTime(delivered.String)
	}
	if d.Status != DeliveryPending {
		d.NextAt = time.Time{}
	}
	return d, nil
}

// DueDeliveries returns up to limit pending deliveries due at now of
// enabled subscriptions, oldest due first, with payload, URL and secret.
func (w *Webhooks) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := w.db.QueryContext(ctx, `SELECT `+deliveryCols+`, d.payload, w.url, w.secret
		FROM webhook_deliveries d JOIN webhook_subscriptions w ON w.id = d.subscription_id
		WHERE d.status = 'pending' AND d.next_at <= ? AND w.disabled = 0
		ORDER BY d.next_at, d.id LIMIT ?`, formatTime(now), limit)
	if err != nil {
		return nil, wrap("due deliveries", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var payload, u, secret string
		d, err := scanDelivery(rows, &payload, &u, &secret)
		if err != nil {
			return nil, wrap("due deliveries", err)
		}
		d.Payload, d.URL, d.Secret = []byte(payload), u, secret
		out = append(out, d)
	}
	return out, wrap("due deliveries", rows.Err())
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	At   time.Time
	Code int    // HTTP status, 0 when no response
	Err  string // why it failed; "" on success
	// Status is the delivery's new status; when pending, NextAt is
	// when to try again.
	Status string
	NextAt time.Time
}

// RecordAttempt counts one attempt of delivery id and sets its new state.
func (w *Webhooks) RecordAttempt(ctx context.Context, id int64, a Attempt) error {
	switch a.Status {
	case DeliveryPending, DeliveryDelivered, DeliveryFailed:
	default:
		return fmt.Errorf("store: record attempt: status %q", a.Status)
	}
	if len(a.Err) > MaxDeliveryError {
		a.Err = strings.ToValidUTF8(a.Err[:MaxDeliveryError], "")
	}
	next := a.NextAt
	if next.IsZero() {
		next = a.At
	}
	var delivered any
	if a.Status == DeliveryDelivered {
		delivered = formatTime(a.At)
	}
	res, err := w.db.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?,
		next_at = ?, last_code = ?, last_error = ?, updated_at = ?, delivered_at = COALESCE(?, delivered_at)
		WHERE id = ?`, a.Status, formatTime(next), a.Code, a.Err, formatTime(a.At), delivered, id)
	if err != nil {
		return wrap("record attempt", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: record attempt: no delivery %d", id)
	}
	return nil
}

// DeliveryFilter selects deliveries: of one subscription (0: all), in one
// status ("": all), newest first, at most Limit (default 50, at most 500).
type DeliveryFilter struct {
	SubscriptionID int64
	Status         string
	Limit          int
}

// Deliveries lists recent deliveries, newest first, without payloads.
func (w *Webhooks) Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries d JOIN webhook_subscriptions w ON w.id = d.subscription_id WHERE 1 = 1`
	var args []any
	if f.SubscriptionID != 0 {
		q += ` AND d.subscription_id = ?`
		args = append(args, f.SubscriptionID)
	}
	if f.Status != "" {
		q += ` AND d.status = ?`
		args = append(args, f.Status)
	}
	q += ` ORDER BY d.id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := w.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("deliveries", err)
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, wrap("deliveries", err)
		}
		out = append(out, d)
	}
	return out, wrap("deliveries", rows.Err())
}

// PurgeDeliveries deletes delivered and failed deliveries last updated
// before before, and returns how many; pending ones are kept.
func (w *Webhooks) PurgeDeliveries(ctx context.Context, before time.Time) (int, error) {
	res, err := w.db.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND updated_at < ?`,
		formatTime(before))
	if err != nil {
		return 0, wrap("purge deliveries", err)
	}
	n, err := res.RowsAffected()
	return int(n), wrap("purge deliveries", err)
}
