package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// Queue is where subscriptions and deliveries are kept. *store.Webhooks
// implements it.
type Queue interface {
	Subscriptions(ctx context.Context) ([]store.Subscription, error)
	EnqueueDelivery(ctx context.Context, d store.Delivery) (bool, error)
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error)
	RecordAttempt(ctx context.Context, id int64, a store.Attempt) error
	PurgeDeliveries(ctx context.Context, before time.Time) (int, error)
}

// Defaults of Options.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxAttempts      = 8
	DefaultBaseDelay        = 10 * time.Second
	DefaultMaxDelay         = time.Hour
	DefaultPoll             = 2 * time.Second
	DefaultBatch            = 20
	DefaultParallel         = 4
	DefaultRetention        = 30 * 24 * time.Hour
	DefaultMaxResponseBytes = 4 << 10
)

// Options configure a Worker. Queue is required; every other zero value
// takes the default named.
type Options struct {
	Queue Queue
	// Client sends the requests; it never follows redirects (a 3xx is a
	// failed attempt). Default: a new http.Client on the default transport.
	// Unless AllowPrivate is set, its Transport must be nil or an
	// *http.Transport: the worker uses a copy that connects directly (no
	// proxy) and only to public addresses.
	Client *http.Client
	// Timeout bounds each request, response included. DefaultTimeout.
	Timeout time.Duration
	// MaxAttempts before a delivery is given up. DefaultMaxAttempts.
	MaxAttempts int
	// BaseDelay is the wait after the first failure; it doubles after
	// each further one, up to MaxDelay. DefaultBaseDelay, DefaultMaxDelay.
	BaseDelay, MaxDelay time.Duration
	// Jitter turns a backoff delay into the actual wait. Default: uniform
	// in [d/2, d].
	Jitter func(d time.Duration) time.Duration
	// Poll is how often Run looks for due deliveries. DefaultPoll.
	Poll time.Duration
	// Batch is how many due deliveries one pass takes. DefaultBatch.
	Batch int
	// Retention is how long Run keeps delivered and failed deliveries in
	// the log; it purges older ones hourly. DefaultRetention.
	Retention time.Duration
	// Parallel is how many subscriptions are served at once.
	// DefaultParallel.
	Parallel int
	// MaxResponseBytes of a receiver's answer are read (for the log).
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// UserAgent of the requests. Default "lure-webhook/1".
	UserAgent string
	// Metrics, if set, counts deliveries.
	Metrics *Metrics
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AllowPrivate lets deliveries go to loopback, private, link-local,
	// unspecified and multicast addresses (see ErrPrivateAddress). By
	// default every connection is checked on its resolved address and
	// such addresses are refused, so that a subscription cannot reach
	// services inside the node's network.
	AllowPrivate bool
}

// Worker enqueues and delivers events. It is safe for concurrent use;
// run one Run loop per store.
type Worker struct {
	opts   Options
	client *http.Client
	wake   chan struct{}
}

// New returns a Worker.
func New(opts Options) (*Worker, error) {
	if opts.Queue == nil {
		return nil, errors.New("webhook: Options.Queue is required")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.Jitter == nil {
		opts.Jitter = func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) }
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.Parallel <= 0 {
		opts.Parallel = DefaultParallel
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "lure-webhook/1"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &http.Client{}
	if opts.Client != nil {
		cc := *opts.Client
		c = &cc
	}
	if !opts.AllowPrivate {
		t, err := guardTransport(c.Transport)
		if err != nil {
			return nil, err
		}
		c.Transport = t
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Worker{opts: opts, client: c, wake: make(chan struct{}, 1)}, nil
}

// Enqueue queues the event of a flagged verdict for every enabled
// subscription covering its site and score, and wakes Run. It is
// idempotent: the same subscription, ad and content hash (the ad's
// ContentHash, which decoded and converted ads carry: ad.WithHash) are
// queued once. It returns how many deliveries this call queued.
func (w *Worker) Enqueue(ctx context.Context, v ad.Verdict) (int, error) {
	if !v.Flagged {
		return 0, nil
	}
	subs, err := w.opts.Queue.Subscriptions(ctx)
	if err != nil {
		return 0, fmt.Errorf("webhook: enqueue %s: %w", v.Ad.ID, err)
	}
	n := 0
	for _, sub := range subs {
		if !sub.Covers(v.Ad.Site, v.Score) {
			continue
		}
		e := NewEvent(sub.ID, v, w.opts.Now())
		body, err := e.Marshal()
		if err != nil {
			return n, err
		}
		created, err := w.opts.Queue.EnqueueDelivery(ctx, store.Delivery{EventID: e.ID, SubscriptionID: sub.ID,
			AdID: v.Ad.ID, ContentHash: v.Ad.ContentHash, Payload: body, NextAt: w.opts.Now()})
		if err != nil {
			return n, fmt.Errorf("webhook: enqueue %s for %s: %w", v.Ad.ID, sub.Name, err)
		}
		if created {
			n++
		}
	}
	if n > 0 {
		w.opts.Metrics.enqueued(n)
		w.Notify()
	}
	return n, nil
}

// Notify wakes Run to look for due deliveries now.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers due events until ctx is cancelled, looking every Poll and
// whenever Notify is called. It returns nil when ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.Poll)
	defer t.Stop()
	var purged time.Time
	for {
		if now := w.opts.Now(); now.Sub(purged) >= time.Hour {
			purged = now
			if n, err := w.opts.Queue.PurgeDeliveries(ctx, now.Add(-w.opts.Retention)); err != nil && ctx.Err() == nil {
				w.opts.Logger.Error("webhook: purge the delivery log", "err", err)
			} else if n > 0 {
				w.opts.Logger.Info("webhook: purged old deliveries", "deliveries", n)
			}
		}
		for {
			n, err := w.Flush(ctx)
			if err != nil && ctx.Err() == nil {
				w.opts.Logger.Error("webhook: deliver", "err", err)
			}
			if err != nil || n < w.opts.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.wake:
		}
	}
}

// Flush makes one attempt at the deliveries due now (up to Batch) and
// records the outcomes; it returns how many it attempted. Subscriptions
// are served in parallel (up to Parallel at a time), each one's events in
// order; after a failed attempt the rest of that subscription's events
// wait for the next pass, so a receiver that is down gets one request per
// pass, and does not hold up the others.
func (w *Worker) Flush(ctx context.Context) (int, error) {
	due, err := w.opts.Queue.DueDeliveries(ctx, w.opts.Now(), w.opts.Batch)
	if err != nil {
		return 0, fmt.Errorf("webhook: due deliveries: %w", err)
	}
	var order []int64
	bySub := map[int64][]store.Delivery{}
	for _, d := range due {
		if bySub[d.SubscriptionID] == nil {
			order = append(order, d.SubscriptionID)
		}
		bySub[d.SubscriptionID] = append(bySub[d.SubscriptionID], d)
	}
	var (
		mu        sync.Mutex
		attempted int
		firstErr  error
		wg        sync.WaitGroup
		sem       = make(chan struct{}, w.opts.Parallel)
	)
	for _, id := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(ds []store.Delivery) {
			defer func() { <-sem; wg.Done() }()
			for _, d := range ds {
				if ctx.Err() != nil {
					return
				}
				ok, err := w.deliver(ctx, d)
				mu.Lock()
				if err == nil || ctx.Err() == nil {
					attempted++
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				if err != nil || !ok {
					return
				}
			}
		}(bySub[id])
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return attempted, firstErr
}

// deliver makes one attempt and records it; ok reports a 2xx answer.
func (w *Worker) deliver(ctx context.Context, d store.Delivery) (ok bool, err error) {
	start := w.opts.Now()
	code, failure := w.post(ctx, d)
	if ctx.Err() != nil {
		return false, ctx.Err() // shutting down: do not count the attempt
	}
	now := w.opts.Now()
	a := store.Attempt{At: now, Code: code, Err: failure, Status: store.DeliveryDelivered}
	outcome := OutcomeDelivered
	switch {
	case failure == "":
	case d.Attempts+1 >= w.opts.MaxAttempts:
		a.Status, outcome = store.DeliveryFailed, OutcomeFailed
		w.opts.Logger.Warn("webhook: delivery given up", "event", d.EventID, "subscription", d.Subscription,
			"attempts", d.Attempts+1, "err", failure)
	default:
		a.Status, a.NextAt, outcome = store.DeliveryPending, now.Add(w.backoff(d.Attempts+1)), OutcomeRetry
	}
	w.opts.Metrics.outcome(outcome, now.Sub(start).Seconds())
	if err := w.opts.Queue.RecordAttempt(ctx, d.ID, a); err != nil {
		return false, fmt.Errorf("webhook: record attempt of %s: %w", d.EventID, err)
	}
	return failure == "", nil
}

// backoff is the wait after the n-th failed attempt (n ≥ 1).
func (w *Worker) backoff(n int) time.Duration {
	d := w.opts.BaseDelay
	for i := 1; i < n && d < w.opts.MaxDelay; i++ {
		d *= 2
	}
	return w.opts.Jitter(min(d, w.opts.MaxDelay))
}

// post sends one signed request; it returns the HTTP status (0 without
// an answer) and why it failed ("" for a 2xx).
func (w *Worker) post(ctx context.Context, d store.Delivery) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, "bad request: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.opts.UserAgent)
	req.Header.Set(EventIDHeader, d.EventID)
	req.Header.Set(SignatureHeader, Sign(d.Secret, w.opts.Now(), d.Payload))
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, w.opts.MaxResponseBytes))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	msg := fmt.Sprintf("HTTP %d", resp.StatusCode)
	if len(b) > 0 {
		msg += ": " + string(bytes.ToValidUTF8(bytes.TrimSpace(b[:min(len(b), 200)]), nil))
	}
	return resp.StatusCode, msg
}
