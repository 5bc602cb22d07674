package classifier

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
)

// Metrics of a classifier. A nil *Metrics records nothing.
type Metrics struct {
	scored  *prometheus.CounterVec
	seconds prometheus.Histogram
	reloads *prometheus.CounterVec
}

// NewMetrics creates the classifier metrics and registers them with reg
// (nil: not registered). Every band series exists from the start.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		scored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "classifier", Name: "ads_scored_total",
			Help: "Ads scored, by band.",
		}, []string{"band"}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "lure", Subsystem: "classifier", Name: "score_seconds",
			Help:    "Time to score one ad.",
			Buckets: prometheus.ExponentialBuckets(0.00002, 2.5, 10),
		}),
	}
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "lure", Subsystem: "classifier", Name: "rule_reloads_total",
		Help: "Rule-pack reloads, by result (ok, rejected).",
	}, []string{"result"})
	for _, b := range ad.Bands {
		m.scored.WithLabelValues(string(b))
	}
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("rejected")
	if reg != nil {
		reg.MustRegister(m.scored, m.seconds, m.reloads)
	}
	return m
}

func (m *Metrics) observe(b ad.Band, seconds float64) {
	if m == nil {
		return
	}
	m.scored.WithLabelValues(string(b)).Inc()
	m.seconds.Observe(seconds)
}

func (m *Metrics) reload(ok bool) {
	if m == nil {
		return
	}
	r := "rejected"
	if ok {
		r = "ok"
	}
	m.reloads.WithLabelValues(r).Inc()
}
