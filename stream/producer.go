package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/segmentio/kafka-go"
)

// Producer writes messages to Kafka synchronously. It is safe for
// concurrent use.
type Producer struct {
	cfg     Config
	cfgErr  error
	w       *kafka.Writer
	metrics *Metrics
	// slots holds one token per Produce call waiting for the brokers.
	slots chan struct{}
}

// Retry delays of Produce.
const (
	produceBackoffMin = 100 * time.Millisecond
	produceBackoffMax = 5 * time.Second
)

// NewProducer returns a producer for cfg. A nil m counts nothing. An
// invalid cfg makes every Produce fail with the validation error.
func NewProducer(cfg Config, m *Metrics) *Producer {
	cfg = cfg.withDefaults()
	m = m.orNop()
	m.init(cfg.TopicPrefix)
	cfgErr := cfg.Validate()
	var sec security
	if cfgErr == nil {
		sec, cfgErr = cfg.security()
	}
	p := &Producer{
		cfg:     cfg,
		cfgErr:  cfgErr,
		metrics: m,
		slots:   make(chan struct{}, max(cfg.MaxInFlight, 1)),
		w: &kafka.Writer{
			Addr:     kafka.TCP(cfg.Brokers...),
			Balancer: &kafka.Hash{},
			// One write waits for every in-sync replica.
			RequiredAcks: kafka.RequireAll,
			Compression:  kafka.Snappy,
			// Produce is synchronous: a short linger keeps one caller
			// fast while concurrent callers still share batches.
			BatchTimeout:           2 * time.Millisecond,
			BatchSize:              500,
			BatchBytes:             4 << 20,
			AllowAutoTopicCreation: false,
			MaxAttempts:            3,
			WriteBackoffMin:        50 * time.Millisecond,
			WriteBackoffMax:        time.Second,
			Transport:              sec.transport(cfg),
		},
	}
	m.stats.addWriter(p.w)
	return p
}

// Produce writes msgs to topic (a full topic name, such as
// cfg.Topic(Raw)) and returns once the brokers acknowledged all of them
// (acks=all). At most Config.MaxInFlight calls wait for the brokers at
// once; the others block until a slot frees or ctx ends, so a slow cluster
// slows producers down instead of filling memory. Messages to lure's
// topics get the HeaderSchema header of their topic unless they carry one.
// Each message goes to the partition its Key hashes to, so one
// ad ID always lands in one partition. Transient failures are retried with
// backoff until ctx ends; a message the brokers reject for good (too large,
// say) fails at once. On error some of msgs may have been written.
func (p *Producer) Produce(ctx context.Context, topic string, msgs ...Message) error {
	if p.cfgErr != nil {
		return p.cfgErr
	}
	if topic == "" {
		return errors.New("stream: produce: empty topic")
	}
	if len(msgs) == 0 {
		return nil
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return fmt.Errorf("stream: produce to %s: waiting for an in-flight slot: %w", topic, context.Cause(ctx))
	}
	label := topicLabel(p.cfg.TopicPrefix, topic)
	schema := schemaOfTopic(p.cfg.TopicPrefix, topic)
	pending := make([]kafka.Message, len(msgs))
	for i, m := range msgs {
		if _, ok := m.Headers[HeaderSchema]; schema != "" && !ok {
			h := make(map[string]string, len(m.Headers)+1)
			for k, v := range m.Headers {
				h[k] = v
			}
			h[HeaderSchema] = schema
			m.Headers = h
		}
		pending[i] = toKafka(topic, m)
	}
	bo := newBackoff(produceBackoffMin, produceBackoffMax)
	for {
		err := p.w.WriteMessages(ctx, pending...)
		if err == nil {
			p.metrics.Produced.WithLabelValues(label).Add(float64(len(pending)))
			return nil
		}
		p.metrics.ProduceErrors.WithLabelValues(label).Inc()
		var werrs kafka.WriteErrors
		if errors.As(err, &werrs) && len(werrs) == len(pending) {
			failed := pending[:0:0]
			for i, e := range werrs {
				if e == nil {
					continue
				}
				if !transient(e) {
					return fmt.Errorf("stream: produce to %s: %w", topic, e)
				}
				failed = append(failed, pending[i])
			}
			p.metrics.Produced.WithLabelValues(label).Add(float64(len(pending) - len(failed)))
			pending = failed
		} else if !transient(err) {
			return fmt.Errorf("stream: produce to %s: %w", topic, err)
		}
		if ctx.Err() != nil || !bo.wait(ctx) {
			return fmt.Errorf("stream: produce to %s: %w (last error: %w)", topic, context.Cause(ctx), err)
		}
	}
}

// transient reports whether a write error may go away on retry.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrClosedPipe) {
		return false
	}
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return false
	}
	var kerr kafka.Error
	if errors.As(err, &kerr) {
		return kerr.Temporary()
	}
	// Network and protocol errors: the broker may come back.
	return true
}

// Close flushes and closes the producer.
func (p *Producer) Close() error {
	err := p.w.Close()
	p.metrics.stats.removeWriter(p.w)
	if err != nil {
		return fmt.Errorf("stream: close producer: %w", err)
	}
	return nil
}
