package stream

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what this package moves. The topic label is one of the
// four lure topics or "other"; their series are created up front (for the
// default prefix by NewMetrics, for another prefix by the first Producer or
// Consumer that uses it), so dashboards see zeros rather than gaps.
type Metrics struct {
	Produced      *prometheus.CounterVec
	ProduceErrors *prometheus.CounterVec
	Consumed      *prometheus.CounterVec
	HandlerErrors *prometheus.CounterVec
	DeadLetters   *prometheus.CounterVec
	ConsumerLag   *prometheus.GaugeVec
	// PartitionLag is ConsumerLag per partition.
	PartitionLag *prometheus.GaugeVec
	// SchemaRejected counts messages dead-lettered because their
	// lure-schema header named a schema the consumer does not know.
	SchemaRejected *prometheus.CounterVec
	// ReaderRestarts counts consumers that rejoined their group because
	// their reader had failed or stalled.
	ReaderRestarts *prometheus.CounterVec

	// stats exports kafka-go's Stats() of live writers and readers.
	stats *statsCollector
}

// NewMetrics creates the metrics and registers them with reg. A nil reg
// leaves them unregistered, which is what a caller that does not export
// metrics wants.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "stream", Name: name, Help: help,
		}, []string{"topic"})
	}
	m := &Metrics{
		Produced:      counter("produced_total", "Messages acknowledged by the brokers, by topic."),
		ProduceErrors: counter("produce_errors_total", "Failed produce attempts, by topic (each retry counts)."),
		Consumed:      counter("consumed_total", "Messages fetched by consumers, by topic."),
		HandlerErrors: counter("handler_errors_total", "Handler errors and panics, by topic (each retry counts)."),
		DeadLetters:   counter("dead_letters_total", "Messages sent to the dead-letter topic, by source topic."),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "lure", Subsystem: "stream", Name: "consumer_lag",
			Help: "Messages behind the high watermark on the partitions a consumer owns, by topic and group.",
		}, []string{"topic", "group"}),
		PartitionLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "lure", Subsystem: "stream", Name: "partition_lag",
			Help: "Messages behind the high watermark, by topic, group and partition, as of the last message handled.",
		}, []string{"topic", "group", "partition"}),
		SchemaRejected: counter("schema_rejected_total", "Messages dead-lettered for an unknown lure-schema header, by topic."),
		ReaderRestarts: counter("reader_restarts_total", "Consumer readers restarted after failing or stalling, by topic."),
		stats:          newStatsCollector(),
	}
	m.init(DefaultTopicPrefix)
	if reg != nil {
		reg.MustRegister(m.Produced, m.ProduceErrors, m.Consumed, m.HandlerErrors, m.DeadLetters, m.ConsumerLag,
			m.PartitionLag, m.SchemaRejected, m.ReaderRestarts, m.stats)
	}
	return m
}

// init creates the counter series of the four lure topics under prefix.
func (m *Metrics) init(prefix string) {
	if m == nil {
		return
	}
	labels := []string{otherTopic}
	for _, name := range Topics {
		labels = append(labels, prefix+name)
	}
	for _, t := range labels {
		m.Produced.WithLabelValues(t)
		m.ProduceErrors.WithLabelValues(t)
		m.Consumed.WithLabelValues(t)
		m.HandlerErrors.WithLabelValues(t)
		m.DeadLetters.WithLabelValues(t)
		m.SchemaRejected.WithLabelValues(t)
		m.ReaderRestarts.WithLabelValues(t)
	}
}

// otherTopic is the label of every topic that is not one of lure's four.
const otherTopic = "other"

// topicLabel keeps label values in a fixed set: a lure topic under prefix
// is its own label, any other topic is "other".
func topicLabel(prefix, topic string) string {
	for _, name := range Topics {
		if topic == prefix+name {
			return topic
		}
	}
	return otherTopic
}

// orNop returns m, or unregistered metrics when m is nil, so callers never
// check for nil.
func (m *Metrics) orNop() *Metrics {
	if m != nil {
		return m
	}
	return NewMetrics(nil)
}
