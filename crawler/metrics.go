package crawler

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
)

// Failure reasons, the only values of the reason label.
const (
	ReasonTimeout      = "timeout"       // connect, header or whole-request timeout
	ReasonTooLarge     = "too_large"     // body above MaxBodyBytes
	ReasonBadStatus    = "bad_status"    // a status other than 2xx, after retries
	ReasonRedirectLoop = "redirect_loop" // a loop or more than MaxRedirects redirects
	ReasonUnparseable  = "unparseable"   // not HTML, or undecodable
	ReasonMissingField = "missing_field" // an ad page without title or body
	ReasonSink         = "sink"          // the sink refused an ad or removal
	ReasonOther        = "other"
)

// Reasons lists every failure reason.
var Reasons = []string{ReasonTimeout, ReasonTooLarge, ReasonBadStatus, ReasonRedirectLoop,
	ReasonUnparseable, ReasonMissingField, ReasonSink, ReasonOther}

// Ad outcomes, the only values of the outcome label.
const (
	OutcomeNew       = "new"
	OutcomeChanged   = "changed"
	OutcomeUnchanged = "unchanged"
	OutcomeRemoved   = "removed"
)

// Outcomes lists every ad outcome.
var Outcomes = []string{OutcomeNew, OutcomeChanged, OutcomeUnchanged, OutcomeRemoved}

// Metrics are the crawler's Prometheus metrics, labelled by site.
type Metrics struct {
	PagesFetched     *prometheus.CounterVec
	BytesFetched     *prometheus.CounterVec
	FetchSeconds     *prometheus.HistogramVec
	CrawlSeconds     *prometheus.HistogramVec
	Ads              *prometheus.CounterVec
	AdsProduced      *prometheus.CounterVec
	AdsUnchanged     *prometheus.CounterVec
	Removals         *prometheus.CounterVec
	Failures         *prometheus.CounterVec
	Retries          *prometheus.CounterVec
	RobotsBlocked    *prometheus.CounterVec
	SnapshotFailures *prometheus.CounterVec
	Rechecks         *prometheus.CounterVec
}

// NewMetrics creates the crawler metrics and registers them with reg,
// which may be nil to leave them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "lure", Subsystem: "crawler", Name: name, Help: help}, labels)
	}
	m := &Metrics{
		PagesFetched: counter("pages_fetched_total", "Pages fetched with a success status, list and ad pages.", "site"),
		BytesFetched: counter("fetched_bytes_total", "Bytes of pages fetched with a success status.", "site"),
		FetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "fetch_seconds",
			Help:    "Time from sending a request to having its whole answer, per attempt.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 11),
		}, []string{"site"}),
		CrawlSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "site_crawl_seconds",
			Help:    "Time one crawl of one site took.",
			Buckets: prometheus.ExponentialBuckets(0.5, 2, 12),
		}, []string{"site"}),
		Ads:          counter("ads_total", "Ads by outcome of a crawl: new, changed, unchanged, removed.", "site", "outcome"),
		AdsProduced:  counter("ads_produced_total", "Ads new or changed since the last crawl, handed to the sink.", "site"),
		AdsUnchanged: counter("ads_unchanged_total", "Ads found unchanged since they were last sent, not sent again.", "site"),
		Removals:     counter("ads_removed_total", "Ads found removed, by reason: gone_404, gone_410, delisted.", "site", "reason"),
		Failures: counter("failures_total",
			"Pages that failed, by reason: timeout, too_large, bad_status, redirect_loop, unparseable, missing_field, sink, other.",
			"site", "reason"),
		Retries:          counter("retries_total", "Requests retried after a 429 or 5xx answer.", "site"),
		RobotsBlocked:    counter("robots_blocked_total", "Links not followed because robots.txt disallows them.", "site"),
		SnapshotFailures: counter("snapshot_failures_total", "Ads sent without a snapshot because storing it failed.", "site"),
		Rechecks: counter("rechecks_total",
			"Live ads a crawl did not see, fetched again from their own URL, by outcome: live, gone, failed.", "site", "outcome"),
	}
	if reg != nil {
		reg.MustRegister(m.PagesFetched, m.BytesFetched, m.FetchSeconds, m.CrawlSeconds, m.Ads, m.AdsProduced,
			m.AdsUnchanged, m.Removals, m.Failures, m.Retries, m.RobotsBlocked, m.SnapshotFailures, m.Rechecks)
	}
	return m
}

// initSite creates every series of a site, so they read 0 before the
// first event.
func (m *Metrics) initSite(site string) {
	m.PagesFetched.WithLabelValues(site)
	m.BytesFetched.WithLabelValues(site)
	m.AdsProduced.WithLabelValues(site)
	m.AdsUnchanged.WithLabelValues(site)
	m.Retries.WithLabelValues(site)
	m.RobotsBlocked.WithLabelValues(site)
	m.SnapshotFailures.WithLabelValues(site)
	for _, o := range Outcomes {
		m.Ads.WithLabelValues(site, o)
	}
	for _, r := range ad.RemovalReasons {
		m.Removals.WithLabelValues(site, r)
	}
	for _, r := range Reasons {
		m.Failures.WithLabelValues(site, r)
	}
	for _, o := range recheckOutcomes {
		m.Rechecks.WithLabelValues(site, o)
	}
}
