package crawler

import "github.com/prometheus/client_golang/prometheus"

// Failure reasons, the only values of the reason label.
const (
	ReasonTimeout      = "timeout"
	ReasonBadStatus    = "bad_status"
	ReasonTooLarge     = "too_large"
	ReasonMissingField = "missing_field"
	ReasonSink         = "sink"
	ReasonOther        = "other"
)

var reasons = []string{ReasonTimeout, ReasonBadStatus, ReasonTooLarge, ReasonMissingField, ReasonSink, ReasonOther}

// Metrics are the crawler's Prometheus metrics, labelled by site.
type Metrics struct {
	PagesFetched *prometheus.CounterVec
	AdsProduced  *prometheus.CounterVec
	AdsUnchanged *prometheus.CounterVec
	Failures     *prometheus.CounterVec
}

// NewMetrics creates the crawler metrics and registers them with reg,
// which may be nil to leave them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		PagesFetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "pages_fetched_total",
			Help: "Pages fetched with a success status, list and ad pages.",
		}, []string{"site"}),
		AdsProduced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "ads_produced_total",
			Help: "Ads new or changed since the last crawl, handed to the sink.",
		}, []string{"site"}),
		AdsUnchanged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "ads_unchanged_total",
			Help: "Ads found unchanged since they were last sent, not sent again.",
		}, []string{"site"}),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "crawler", Name: "failures_total",
			Help: "Pages that failed, by reason: timeout, bad_status, too_large, missing_field, sink, other.",
		}, []string{"site", "reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.PagesFetched, m.AdsProduced, m.AdsUnchanged, m.Failures)
	}
	return m
}

// initSite creates every series of a site, so they read 0 before the
// first event.
func (m *Metrics) initSite(site string) {
	m.PagesFetched.WithLabelValues(site)
	m.AdsProduced.WithLabelValues(site)
	m.AdsUnchanged.WithLabelValues(site)
	for _, r := range reasons {
		m.Failures.WithLabelValues(site, r)
	}
}
