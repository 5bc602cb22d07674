// Package app wires lure's stages into runnable roles: the crawler role
// produces ads to Kafka, the classifier role turns ads into verdicts, the
// indexer role writes verdicts to the store and the search index, and the
// serve role runs the dashboard. `lure run` starts them all in one process
// with an embedded broker and the demo sites. The stages themselves live in
// their own packages; app only connects them and orders start-up and
// shutdown.
package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"time"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// Role is one part of the pipeline that a process can run.
type Role string

// Roles a process can run.
const (
	RoleCrawl    Role = "crawl"
	RoleClassify Role = "classify"
	RoleServe    Role = "serve" // indexer + dashboard: the stateful node
)

// AllRoles is what `lure run` starts.
var AllRoles = []Role{RoleCrawl, RoleClassify, RoleServe}

// Options configure a lure process. The zero value of each field documents
// its default.
type Options struct {
	// Roles to run. Empty means all.
	Roles []Role
	// DataDir holds the embedded broker's log, crawl state, the store and
	// the index, laid out as Paths says. Default "./data".
	DataDir string
	// Brokers of an external Kafka cluster. Empty starts the embedded broker.
	Brokers []string
	// BrokerAddr is where the embedded broker listens. Default
	// "127.0.0.1:0" (a free port); set a fixed port so separate processes
	// on this machine can share it.
	BrokerAddr string
	// TopicPrefix for all topics. Default "lure.".
	TopicPrefix string
	// Partitions of the topics lure creates. Default 4.
	Partitions int
	// ReplicationFactor of the topics lure creates. Default 1.
	ReplicationFactor int
	// KafkaClientID identifies this process to the brokers. Default "lure".
	KafkaClientID string
	// KafkaSASL authenticates to an external cluster. Default: none.
	KafkaSASL stream.SASL
	// KafkaTLS encrypts connections to an external cluster. Default:
	// plaintext.
	KafkaTLS stream.TLS
	// ClassifierGroup and IndexerGroup are the consumer-group IDs of the
	// classifier and indexer roles. Defaults "lure-classifier" and
	// "lure-indexer".
	ClassifierGroup, IndexerGroup string
	// KafkaSessionTimeout is how long a consumer group waits for a silent
	// member before reassigning its partitions. Default 10s.
	KafkaSessionTimeout time.Duration
	// BatchSize is the most messages the classifier and the indexer take
	// at once: the classifier produces a batch's verdicts in one call, the
	// indexer writes them in one store transaction and one index batch.
	// 1 handles one message at a time. Default stream.DefaultBatchSize.
	BatchSize int
	// HTTPAddr of the dashboard, API, /metrics and /healthz. Default
	// "127.0.0.1:8080".
	HTTPAddr string
	// Demo serves the bundled demo sites and crawls them.
	Demo bool
	// DemoAddr is where the demo sites listen. Default "127.0.0.1:8090".
	DemoAddr string
	// SitesDir, if set, loads site profiles from this directory instead of
	// the embedded defaults.
	SitesDir string
	// RulesDir, if set, loads rule packs from this directory instead of the
	// embedded defaults.
	RulesDir string
	// Recrawl is how often the crawler starts another pass of a site
	// whose profile sets no interval, and of the demo sites (with Demo).
	// Default 10m.
	Recrawl time.Duration
	// DrainTimeout bounds how long shutdown waits for queued ads to be
	// classified and indexed. Default 15s.
	DrainTimeout time.Duration
	// UserAgent the crawler identifies itself with; it should carry a
	// contact URL. Default crawler.DefaultUserAgent.
	UserAgent string
	// Progress, with ProgressTTY set, receives a live one-line crawl status
	// redrawn every second (for a terminal). Otherwise progress goes to the
	// log every 10 s.
	Progress    io.Writer
	ProgressTTY bool
	// Logger, default slog.Default().
	Logger *slog.Logger
	// NotifierName and NotifierEmail identify who sends takedown notices
	// (DSA Article 16(2)(c)); notices cannot be marked sent without them.
	NotifierName, NotifierEmail string
	// NoticeOverdue is how long a sent notice may stay open before the
	// dashboard marks it overdue. Default DefaultNoticeOverdue (7 days).
	NoticeOverdue time.Duration
	// ScoreRate and ScoreBurst are the screening API's per-token rate
	// limit in ads per second and its burst. Default
	// DefaultScoreRate and DefaultScoreBurst.
	ScoreRate  float64
	ScoreBurst int
	// ScoreConcurrency caps the score API's requests being scored at
	// once across all callers. Default 2×GOMAXPROCS.
	ScoreConcurrency int
	// WebhookAllowPrivate lets webhook subscriptions and deliveries reach
	// loopback, private, link-local, unspecified and multicast addresses
	// (webhook.Options.AllowPrivate); by default they are refused.
	WebhookAllowPrivate bool
	// Retention is how long the serve role keeps each class of personal
	// data (store.Retention); it applies it at start and then daily. The
	// zero value keeps everything; lure run passes store.DefaultRetention
	// unless told otherwise.
	Retention store.Retention
	// ShareKey is the key shared with partner organisations (lure
	// indicators): with it, ads are matched against partners' hashed
	// contacts as they are indexed; without it, only against their
	// templates and plain contacts. At least exchange.KeyMin bytes.
	ShareKey []byte
}

// Defaults of the zero fields of Options.
const (
	DefaultDataDir      = "./data"
	DefaultBrokerAddr   = "127.0.0.1:0"
	DefaultHTTPAddr     = "127.0.0.1:8080"
	DefaultDemoAddr     = "127.0.0.1:8090"
	DefaultRecrawl      = 10 * time.Minute
	DefaultDrainTimeout = 15 * time.Second
)

// Defaults the dashboard and notices apply, named here so that commands
// take them from the wiring rather than from the web UI.
const (
	DefaultNoticeOverdue = notice.DefaultOverdue
	DefaultScoreRate     = dashboard.DefaultScoreRate
	DefaultScoreBurst    = dashboard.DefaultScoreBurst
	DefaultScoreSlotWait = dashboard.DefaultScoreSlotWait
)

func (o *Options) setDefaults() {
	if len(o.Roles) == 0 {
		o.Roles = AllRoles
	}
	if o.DataDir == "" {
		o.DataDir = DefaultDataDir
	}
	if o.BrokerAddr == "" {
		o.BrokerAddr = DefaultBrokerAddr
	}
	if o.HTTPAddr == "" {
		o.HTTPAddr = DefaultHTTPAddr
	}
	if o.DemoAddr == "" {
		o.DemoAddr = DefaultDemoAddr
	}
	if o.Recrawl == 0 {
		o.Recrawl = DefaultRecrawl
	}
	if o.DrainTimeout == 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Validate reports the first problem with the options.
func (o *Options) Validate() error {
	for _, r := range o.Roles {
		switch r {
		case RoleCrawl, RoleClassify, RoleServe:
		default:
			return fmt.Errorf("app: unknown role %q (want crawl, classify or serve)", r)
		}
	}
	for name, addr := range map[string]string{"http address": o.HTTPAddr, "demo address": o.DemoAddr, "broker address": o.BrokerAddr} {
		if addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("app: %s %q: %w", name, addr, err)
		}
	}
	if o.NotifierEmail != "" {
		if a, err := mail.ParseAddress(o.NotifierEmail); err != nil || a.Address != o.NotifierEmail {
			return fmt.Errorf("app: notifier e-mail %q is not a plain e-mail address", o.NotifierEmail)
		}
	}
	if o.BatchSize < 0 {
		return fmt.Errorf("app: negative batch size %d", o.BatchSize)
	}
	if o.Recrawl < 0 || o.DrainTimeout < 0 || o.NoticeOverdue < 0 {
		return errors.New("app: durations must not be negative")
	}
	if err := o.Retention.Validate(); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	if o.ScoreRate < 0 || o.ScoreBurst < 0 || o.ScoreConcurrency < 0 {
		return errors.New("app: score rate, burst and concurrency must not be negative")
	}
	return nil
}

func (o *Options) has(r Role) bool {
	for _, x := range o.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Default consumer-group IDs of the classifier and indexer roles, and of
// the serve role's removal consumer.
const (
	DefaultClassifierGroup = "lure-classifier"
	DefaultIndexerGroup    = "lure-indexer"
	defaultRemovalsGroup   = "lure-removals"
)

// group returns the configured consumer-group ID for a role's default one.
func (o *Options) group(def string) string {
	switch {
	case def == DefaultClassifierGroup && o.ClassifierGroup != "":
		return o.ClassifierGroup
	case def == DefaultIndexerGroup && o.IndexerGroup != "":
		return o.IndexerGroup
	case def == defaultRemovalsGroup && o.IndexerGroup != "" && o.IndexerGroup != DefaultIndexerGroup:
		// The removal consumer belongs to the indexer's node: a
		// deployment that names the indexer's group names this one too.
		return o.IndexerGroup + "-removals"
	}
	return def
}
