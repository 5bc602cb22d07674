// Package crawler fetches ad pages from the sites described by site
// profiles (YAML, see crawler/sites) with Colly, reads each ad with goquery
// selectors (or, for Telegram channel previews, the built-in post layout)
// into an ad.Ad, and hands new or changed ads to a Sink. Sites that
// publish machine-readable data need no selectors: a sitemap profile
// takes its ad pages from the site's sitemaps (ReadSitemap: robots.txt,
// nested and gzipped indexes, streamed), a feed profile from its RSS or
// Atom feeds (ReadFeed), and both read each page's schema.org JobPosting,
// OpenGraph tags and main text (ExtractStructured), recrawling by
// lastmod and conditional GET. Discover looks at a site and suggests such
// a profile (`lure sites add`). It is polite
// (robots.txt, per-host delay and parallelism, an identifying User-Agent,
// bounded retries that honour Retry-After), bounds every page in time and
// size, decodes legacy charsets to UTF-8, and remembers what it sent in a
// SQLite State: unchanged ads are not sent twice, and ads that disappear
// (404/410, or gone from a complete listing) are reported to a
// RemovalSink. Where absence proves nothing (an incomplete listing, a
// Telegram preview), live ads a crawl did not see are fetched again at
// their own URLs, a bounded number per site and crawl. Pages of sent ads are kept as compressed, content-addressed
// Snapshots for evidence. Schedule runs crawl passes again at each site's
// recrawl interval; producing to Kafka and scoring are left to its
// callers.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Defaults of Options.
const (
	DefaultUserAgent      = "lure/0.1 (+https://github.com/lurewatch/lure)"
	DefaultTimeout        = 20 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultMaxBodyBytes   = 4 << 20
	DefaultMaxRetries     = 2
	DefaultRetryBackoff   = 500 * time.Millisecond
	DefaultMaxRetryWait   = 30 * time.Second
	DefaultMaxRedirects   = 10
)

// maxItemsPerPage bounds the ad links taken from one list page.
const maxItemsPerPage = 1000

// Sink receives the ads a crawl found new or changed. Run never calls Put
// concurrently. An error means the ad was not accepted: it is counted,
// and it will be offered again on the next crawl.
type Sink interface {
	Put(ctx context.Context, a ad.Ad) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(ctx context.Context, a ad.Ad) error

// Put calls f.
func (f SinkFunc) Put(ctx context.Context, a ad.Ad) error { return f(ctx, a) }

// RemovalSink receives the ads a crawl found removed. Run never calls it
// concurrently with itself or with Sink. An error means the removal was
// not accepted: State keeps the ad live, so it is detected again next time.
type RemovalSink interface {
	Removed(ctx context.Context, r ad.Removal) error
}

// RemovalSinkFunc adapts a function to a RemovalSink.
type RemovalSinkFunc func(ctx context.Context, r ad.Removal) error

// Removed calls f.
func (f RemovalSinkFunc) Removed(ctx context.Context, r ad.Removal) error { return f(ctx, r) }

// Options configure Run.
type Options struct {
	// Profiles are the sites to crawl (required, each must validate).
	Profiles []Profile
	// Sink receives new and changed ads (required).
	Sink Sink
	// Removals receives removed ads. Nil means removals are recorded in
	// State only. Removals are detected only with a State.
	Removals RemovalSink
	// State remembers what was sent. Nil means no memory: every ad found
	// is sent.
	State *State
	// Snapshots, if set, keeps the page of every ad sent; the ad's
	// Snapshot field names it.
	Snapshots *Snapshots
	// Metrics, if nil, are created unregistered.
	Metrics *Metrics
	// Progress, if set, is updated as the crawl goes (see Report).
	Progress *Progress
	// Logger, if nil, discards.
	Logger *slog.Logger
	// UserAgent identifies lure to the sites, with a contact URL; default
	// DefaultUserAgent. A profile's user_agent overrides it.
	UserAgent string
	// Timeout bounds each request, redirects included; default
	// DefaultTimeout. A profile's timeout overrides it.
	Timeout time.Duration
	// ConnectTimeout bounds connecting (TCP and TLS); default
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxBodyBytes bounds each page; larger pages fail as too_large.
	// Default DefaultMaxBodyBytes.
	MaxBodyBytes int
	// MaxRetries bounds the retries of a request answered 429 or 5xx;
	// default DefaultMaxRetries, negative means none.
	MaxRetries int
	// RetryBackoff is the wait before the first retry, doubled for each
	// further one, unless the answer has a Retry-After header; default
	// DefaultRetryBackoff.
	RetryBackoff time.Duration
	// MaxRetryWait bounds one wait: a Retry-After asking for longer gives
	// up on the page; default DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// MaxRedirects bounds the redirects followed per request; default
	// DefaultMaxRedirects.
	MaxRedirects int
}

func (o *Options) setDefaults() {
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = new(Progress)
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = DefaultMaxRetryWait
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
}

// Run crawls every profile once, the sites in parallel, and returns when
// all are done or ctx is cancelled. Failed pages are counted in Metrics
// and logged once; they do not stop the crawl. Run returns an error for
// bad options or profiles, or ctx's error when it was cancelled.
func Run(ctx context.Context, opts Options) error {
	if opts.Sink == nil {
		return errors.New("crawler: no sink")
	}
	if len(opts.Profiles) == 0 {
		return errors.New("crawler: no profiles")
	}
	seen := map[string]bool{}
	for i := range opts.Profiles {
		p := &opts.Profiles[i]
		if err := p.Validate(); err != nil {
			return fmt.Errorf("crawler: profile %s: %w", p.Site, err)
		}
		if seen[p.Site] {
			return fmt.Errorf("crawler: profile %s: given twice", p.Site)
		}
		seen[p.Site] = true
	}
	opts.setDefaults()
	for _, p := range opts.Profiles {
		opts.Metrics.initSite(p.Site)
	}
	var (
		wg     sync.WaitGroup
		sinkMu sync.Mutex
	)
	for _, p := range opts.Profiles {
		wg.Go(func() {
			s := newSiteCrawl(ctx, &opts, p.withDefaults(), &sinkMu)
			s.run()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	return nil
}
