package webhook

import "github.com/prometheus/client_golang/prometheus"

// Delivery outcomes, the label values of lure_webhook_deliveries_total.
const (
	OutcomeDelivered = "delivered" // 2xx answer
	OutcomeRetry     = "retry"     // failed attempt, will be retried
	OutcomeFailed    = "failed"    // failed last attempt: given up
)

var outcomes = []string{OutcomeDelivered, OutcomeRetry, OutcomeFailed}

// Metrics count deliveries. A nil *Metrics records nothing.
type Metrics struct {
	Deliveries *prometheus.CounterVec
	Enqueued   prometheus.Counter
	Duration   prometheus.Histogram
}

// NewMetrics creates the webhook metrics, with every series up front, and
// registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "webhook", Name: "deliveries_total",
			Help: "Webhook delivery attempts by outcome (delivered, retry, failed).",
		}, []string{"outcome"}),
		Enqueued: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "webhook", Name: "enqueued_total",
			Help: "Webhook events queued for delivery (one per subscription, ad and content).",
		}),
		Duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "lure", Subsystem: "webhook", Name: "request_duration_seconds",
			Help:    "Duration of webhook HTTP requests.",
			Buckets: prometheus.DefBuckets,
		}),
	}
	for _, o := range outcomes {
		m.Deliveries.WithLabelValues(o)
	}
	if reg != nil {
		reg.MustRegister(m.Deliveries, m.Enqueued, m.Duration)
	}
	return m
}

func (m *Metrics) outcome(o string, seconds float64) {
	if m == nil {
		return
	}
	m.Deliveries.WithLabelValues(o).Inc()
	m.Duration.Observe(seconds)
}

func (m *Metrics) enqueued(n int) {
	if m != nil {
		m.Enqueued.Add(float64(n))
	}
}
