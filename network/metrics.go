package network

import "github.com/prometheus/client_golang/prometheus"

// Metrics count what the engine does.
type Metrics struct {
	// Ads counts verdicts by outcome: new, changed, replay.
	Ads *prometheus.CounterVec
	// Links counts links made, by kind: contact, template.
	Links *prometheus.CounterVec
}

// NewMetrics creates the engine's metrics with every series, registered
// with reg when it is not nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Ads: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "lure", Subsystem: "network",
			Name: "ads_total", Help: "Verdicts the network engine assigned, by outcome (new, changed, replay)."}, []string{"outcome"}),
		Links: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "lure", Subsystem: "network",
			Name: "links_total", Help: "Links that joined two clusters, by kind (contact, template)."}, []string{"via"}),
	}
	for _, o := range []string{"new", "changed", "replay"} {
		m.Ads.WithLabelValues(o)
	}
	for _, v := range []string{"contact", "template"} {
		m.Links.WithLabelValues(v)
	}
	if reg != nil {
		reg.MustRegister(m.Ads, m.Links)
	}
	return m
}

func (m *Metrics) observe(a Assignment, known bool) {
	if m == nil {
		return
	}
	switch {
	case a.Replay:
		m.Ads.WithLabelValues("replay").Inc()
	case known:
		m.Ads.WithLabelValues("changed").Inc()
	default:
		m.Ads.WithLabelValues("new").Inc()
	}
	for _, l := range a.Links {
		m.Links.WithLabelValues(l.Via).Inc()
	}
}
