package stream

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
)

// statsCollector exports kafka-go's own Stats() of every live Writer and
// Reader as Prometheus metrics. kafka-go resets its counters on each
// Stats() call, so the collector is their only caller: it adds each
// snapshot to cumulative counters and keeps them when a client closes.
type statsCollector struct {
	mu      sync.Mutex
	writers map[*kafka.Writer]struct{}
	readers map[*kafka.Reader][2]string // topic label, group

	writes, writeMsgs, writeBytes, writeErrors, writeRetries prometheus.Counter
	writeSeconds                                             prometheus.Counter

	fetches, readMsgs, readBytes, rebalances, timeouts, readErrors *prometheus.CounterVec
	queue                                                          *prometheus.GaugeVec
}

func newStatsCollector() *statsCollector {
	wc := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "lure", Subsystem: "kafka_writer", Name: name, Help: help})
	}
	rc := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "lure", Subsystem: "kafka_reader", Name: name, Help: help}, []string{"topic", "group"})
	}
	return &statsCollector{
		writers:      make(map[*kafka.Writer]struct{}),
		readers:      make(map[*kafka.Reader][2]string),
		writes:       wc("writes_total", "Produce requests sent by kafka-go writers."),
		writeMsgs:    wc("messages_total", "Messages written by kafka-go writers."),
		writeBytes:   wc("written_bytes", "Message bytes written by kafka-go writers (a counter)."),
		writeErrors:  wc("errors_total", "Write errors reported by kafka-go writers."),
		writeRetries: wc("retries_total", "Write retries made by kafka-go writers."),
		writeSeconds: wc("write_time_seconds", "Time kafka-go writers spent in produce requests (a counter)."),
		fetches:      rc("fetches_total", "Fetch requests of kafka-go readers, by topic and group."),
		readMsgs:     rc("messages_total", "Messages read by kafka-go readers, by topic and group."),
		readBytes:    rc("read_bytes", "Message bytes read by kafka-go readers, by topic and group (a counter)."),
		rebalances:   rc("rebalances_total", "Consumer-group rebalances seen by kafka-go readers, by topic and group."),
		timeouts:     rc("timeouts_total", "Fetch timeouts of kafka-go readers, by topic and group."),
		readErrors:   rc("errors_total", "Errors reported by kafka-go readers, by topic and group."),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "lure", Subsystem: "kafka_reader", Name: "queue_length",
			Help: "Messages fetched by kafka-go readers and not yet handed out, by topic and group."}, []string{"topic", "group"}),
	}
}

// initReader creates the series of topic and group up front.
func (s *statsCollector) initReader(topic, group string) {
	for _, v := range []*prometheus.CounterVec{s.fetches, s.readMsgs, s.readBytes, s.rebalances, s.timeouts, s.readErrors} {
		v.WithLabelValues(topic, group)
	}
	s.queue.WithLabelValues(topic, group)
}

func (s *statsCollector) addWriter(w *kafka.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writers[w] = struct{}{}
}

// removeWriter folds w's last stats in and forgets it; call it after
// w.Close.
func (s *statsCollector) removeWriter(w *kafka.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.writers[w]; ok {
		s.foldWriter(w)
		delete(s.writers, w)
	}
}

func (s *statsCollector) addReader(r *kafka.Reader, topic, group string) {
	s.initReader(topic, group)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readers[r] = [2]string{topic, group}
}

// removeReader folds r's last stats in and forgets it; call it after
// r.Close.
func (s *statsCollector) removeReader(r *kafka.Reader) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.readers[r]; ok {
		s.foldReader(r, l)
		s.queue.WithLabelValues(l[0], l[1]).Set(0)
		delete(s.readers, r)
	}
}

func (s *statsCollector) foldWriter(w *kafka.Writer) {
	st := w.Stats()
	s.writes.Add(float64(st.Writes))
	s.writeMsgs.Add(float64(st.Messages))
	s.writeBytes.Add(float64(st.Bytes))
	s.writeErrors.Add(float64(st.Errors))
	s.writeRetries.Add(float64(st.Retries))
	s.writeSeconds.Add(st.WriteTime.Sum.Seconds())
}

func (s *statsCollector) foldReader(r *kafka.Reader, l [2]string) {
	st := r.Stats()
	s.fetches.WithLabelValues(l[0], l[1]).Add(float64(st.Fetches))
	s.readMsgs.WithLabelValues(l[0], l[1]).Add(float64(st.Messages))
	s.readBytes.WithLabelValues(l[0], l[1]).Add(float64(st.Bytes))
	s.rebalances.WithLabelValues(l[0], l[1]).Add(float64(st.Rebalances))
	s.timeouts.WithLabelValues(l[0], l[1]).Add(float64(st.Timeouts))
	s.readErrors.WithLabelValues(l[0], l[1]).Add(float64(st.Errors))
	s.queue.WithLabelValues(l[0], l[1]).Set(float64(st.QueueLength))
}

func (s *statsCollector) collectors() []prometheus.Collector {
	return []prometheus.Collector{s.writes, s.writeMsgs, s.writeBytes, s.writeErrors, s.writeRetries, s.writeSeconds,
		s.fetches, s.readMsgs, s.readBytes, s.rebalances, s.timeouts, s.readErrors, s.queue}
}

// Describe implements prometheus.Collector.
func (s *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range s.collectors() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector: it folds in the stats of every
// live client, then reports the cumulative values.
func (s *statsCollector) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	for w := range s.writers {
		s.foldWriter(w)
	}
	for r, l := range s.readers {
		s.foldReader(r, l)
	}
	s.mu.Unlock()
	for _, c := range s.collectors() {
		c.Collect(ch)
	}
}
