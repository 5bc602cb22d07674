package dashboard

import (
	"context"
	"runtime"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/rules"
)

// Route labels of the screening API and the webhook administration.
const (
	routeAPIScore    = "api_score"
	routeAPIOpenAPI  = "api_openapi"
	routeWebhooks    = "webhooks"
	routeAPIWebhooks = "api_webhooks"
)

// screenRouteLabels are the route labels of lure_dashboard_requests_total
// that screenRoutes uses.
var screenRouteLabels = []string{routeAPIScore, routeAPIOpenAPI, routeWebhooks, routeAPIWebhooks}

// Scorer scores one ad. classifier.Holder and *classifier.Classifier
// implement it. Score must return promptly once ctx is done.
type Scorer interface {
	Score(ctx context.Context, a ad.Ad) ad.Verdict
}

// packer is implemented by a Scorer that knows its rule pack
// (*classifier.Classifier, *classifier.Holder); the score API then takes rule descriptions
// from it rather than from Options.Rules.
type packer interface{ Pack() *rules.Pack }

// Defaults of ScreenLimits.
const (
	DefaultScoreRate     = 10.0
	DefaultScoreBurst    = 50
	DefaultScoreMaxAds   = 50
	DefaultScoreMaxBytes = 2 << 20
	DefaultScoreTimeout  = 5 * time.Second
	DefaultScoreSlotWait = 2 * time.Second
)

// ScreenLimits bound the screening API. Rate limits are per API token (or
// per logged-in user) and count ads: a single ad costs one token of the
// bucket, a batch of n ads costs n.
type ScreenLimits struct {
	// Rate is how many ads per second a token may score, sustained.
	// DefaultScoreRate.
	Rate float64
	// Burst is how many ads a token may score at once after being idle;
	// it also caps a batch. DefaultScoreBurst.
	Burst int
	// MaxAds per request. DefaultScoreMaxAds (and at most Burst).
	MaxAds int
	// MaxBodyBytes of a request body. DefaultScoreMaxBytes.
	MaxBodyBytes int64
	// Timeout bounds the scoring of one request. DefaultScoreTimeout.
	Timeout time.Duration
	// Concurrency caps the requests being scored at once, across all
	// tokens and users (a batch is scored on one slot). Default
	// 2×GOMAXPROCS.
	Concurrency int
	// SlotWait is how long a request waits for a scoring slot (at most
	// until its context ends) before it is answered 503.
	// DefaultScoreSlotWait.
	SlotWait time.Duration
}

func (l ScreenLimits) withDefaults() ScreenLimits {
	if l.Rate <= 0 {
		l.Rate = DefaultScoreRate
	}
	if l.Burst <= 0 {
		l.Burst = DefaultScoreBurst
	}
	if l.MaxAds <= 0 {
		l.MaxAds = DefaultScoreMaxAds
	}
	l.MaxAds = min(l.MaxAds, l.Burst)
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultScoreMaxBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultScoreTimeout
	}
	if l.Concurrency <= 0 {
		l.Concurrency = 2 * runtime.GOMAXPROCS(0)
	}
	if l.SlotWait <= 0 {
		l.SlotWait = DefaultScoreSlotWait
	}
	return l
}

// screenAPI is the screening API: the server with its limits, rate
// buckets and scoring slots.
type screenAPI struct {
	*server
	limits  ScreenLimits
	buckets *auth.RateLimits
	slots   chan struct{}
}

// acquire takes a scoring slot, waiting at most SlotWait or until ctx
// ends; release gives it back.
func (sa *screenAPI) acquire(ctx context.Context) bool {
	select {
	case sa.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(sa.limits.SlotWait)
	defer t.Stop()
	select {
	case sa.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (sa *screenAPI) release() { <-sa.slots }

func (s *server) screenRoutes(rs routeSet) {
	l := s.opts.Screening.withDefaults()
	sa := &screenAPI{server: s, limits: l, buckets: auth.NewRateLimits(l.Rate, l.Burst), slots: make(chan struct{}, l.Concurrency)}
	const viewer, admin = "viewer", "admin"
	rs.handle("POST /api/v1/score", routeAPIScore, rs.api(viewer, sa.handleScore))
	rs.handle("GET /api/v1/openapi.json", routeAPIOpenAPI, s.handleOpenAPI)
	rs.handle("GET /api/v1/webhooks", routeAPIWebhooks, rs.api(admin, s.handleAPIWebhooks))
	rs.handle("POST /api/v1/webhooks", routeAPIWebhooks, rs.api(admin, s.handleAPICreateWebhook))
	rs.handle("POST /api/v1/webhooks/{id}", routeAPIWebhooks, rs.api(admin, s.handleAPIUpdateWebhook))
	rs.handle("GET /api/v1/webhooks/deliveries", routeAPIWebhooks, rs.api(admin, s.handleAPIDeliveries))
	rs.handle("GET /admin/webhooks", routeWebhooks, rs.page(admin, s.handleWebhooks))
	rs.handle("POST /admin/webhooks", routeWebhooks, rs.page(admin, s.handleCreateWebhook))
	rs.handle("POST /admin/webhooks/{id}", routeWebhooks, rs.page(admin, s.handleUpdateWebhook))
}
