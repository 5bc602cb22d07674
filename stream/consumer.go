package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
)

// Handler processes one message. Returning nil lets the consumer commit
// past it; an error marked with Permanent sends it to the dead-letter
// topic; any other error makes the consumer retry it.
type Handler interface {
	Handle(ctx context.Context, m Message) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m Message) error

// Handle calls f(ctx, m).
func (f HandlerFunc) Handle(ctx context.Context, m Message) error { return f(ctx, m) }

// Defaults for the zero fields of ConsumerOptions.
const (
	DefaultHandlerTimeout = 30 * time.Second
	DefaultCommitInterval = time.Second
	DefaultMinBackoff     = 100 * time.Millisecond
	DefaultMaxBackoff     = 10 * time.Second
	DefaultMaxWait        = 250 * time.Millisecond
)

// maxErrorHeader bounds the lure-error header of a dead letter.
const maxErrorHeader = 1024

// ConsumerOptions configures a Consumer.
type ConsumerOptions struct {
	// Config says how to reach Kafka. Required.
	Config Config
	// Topic is the full topic name to consume, such as Config.Topic(Raw).
	// Required.
	Topic string
	// Group is the consumer group ID; consumers of one group share the
	// topic's partitions. A new group starts at the oldest message.
	// Required.
	Group string
	// Handler processes each message. Required.
	Handler Handler
	// Dead writes dead letters to Config.Topic(Dead). Default: a producer
	// of the consumer's own, closed when Run returns.
	Dead *Producer
	// Metrics counts consumed messages, errors, dead letters and lag.
	// Default: counted nowhere.
	Metrics *Metrics
	// Logger receives retries, dead letters and shutdown. Message keys
	// and values are never logged. Default: discarded.
	Logger *slog.Logger

	// HandlerTimeout bounds one Handle call. The in-flight message gets
	// this long to finish after Run's context is cancelled. Default 30s.
	HandlerTimeout time.Duration
	// CommitInterval is how often handled offsets are committed; Run
	// commits the rest before it returns. Negative commits synchronously
	// after every message. Default 1s.
	CommitInterval time.Duration
	// MinBackoff and MaxBackoff bound the exponential delay between
	// retries of a failing message. Defaults 100ms and 10s.
	MinBackoff, MaxBackoff time.Duration
	// MaxWait is how long one fetch waits for new messages. Default 250ms.
	MaxWait time.Duration
}

// Consumer reads a topic as a member of a consumer group and hands each
// message to a Handler, one at a time. Messages of one partition are
// handled in order; a message that cannot be handled goes to the
// dead-letter topic and never blocks its partition. Delivery is
// at-least-once: offsets are committed only after the handler succeeded
// or the message was dead-lettered.
type Consumer struct {
	opts    ConsumerOptions
	cfg     Config
	metrics *Metrics
	log     *slog.Logger
	label   string
	lag     prometheus.Gauge
	started atomic.Bool
	// stopping quiets kafka-go's errors about connections cut by shutdown.
	stopping atomic.Bool

	mu   sync.Mutex
	lags map[int]int64
}

// NewConsumer checks opts and returns a consumer ready to Run.
func NewConsumer(opts ConsumerOptions) (*Consumer, error) {
	if err := opts.Config.Validate(); err != nil {
		return nil, err
	}
	switch {
	case opts.Topic == "":
		return nil, errors.New("stream: consumer: no topic")
	case opts.Group == "":
		return nil, errors.New("stream: consumer: no group")
	case opts.Handler == nil:
		return nil, errors.New("stream: consumer: no handler")
	case opts.HandlerTimeout < 0 || opts.MinBackoff < 0 || opts.MaxBackoff < 0 || opts.MaxWait < 0:
		return nil, errors.New("stream: consumer: negative duration")
	}
	if opts.HandlerTimeout == 0 {
		opts.HandlerTimeout = DefaultHandlerTimeout
	}
	if opts.CommitInterval == 0 {
		opts.CommitInterval = DefaultCommitInterval
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	opts.MaxBackoff = max(opts.MaxBackoff, opts.MinBackoff)
	if opts.MaxWait == 0 {
		opts.MaxWait = DefaultMaxWait
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := opts.Config.withDefaults()
	m := opts.Metrics.orNop()
	m.init(cfg.TopicPrefix)
	label := topicLabel(cfg.TopicPrefix, opts.Topic)
	c := &Consumer{
		opts:    opts,
		cfg:     cfg,
		metrics: m,
		log:     opts.Logger.With("topic", opts.Topic, "group", opts.Group),
		label:   label,
		lag:     m.ConsumerLag.WithLabelValues(label, opts.Group),
		lags:    make(map[int]int64),
	}
	return c, nil
}

func (c *Consumer) readerConfig() kafka.ReaderConfig {
	commit := c.opts.CommitInterval
	if commit < 0 {
		commit = 0 // kafka-go: synchronous commits
	}
	return kafka.ReaderConfig{
		Brokers: c.cfg.Brokers,
		GroupID: c.opts.Group,
		Topic:   c.opts.Topic,
		Dialer: &kafka.Dialer{
			ClientID:  c.cfg.ClientID,
			Timeout:   10 * time.Second,
			DualStack: true,
		},
		MinBytes:          1,
		MaxBytes:          16 << 20,
		MaxWait:           c.opts.MaxWait,
		CommitInterval:    commit,
		StartOffset:       kafka.FirstOffset,
		HeartbeatInterval: 3 * time.Second,
		SessionTimeout:    30 * time.Second,
		RebalanceTimeout:  30 * time.Second,
		JoinGroupBackoff:  500 * time.Millisecond,
		ReadBackoffMin:    50 * time.Millisecond,
		ReadBackoffMax:    time.Second,
		Logger: kafka.LoggerFunc(func(format string, args ...any) {
			c.log.Debug("kafka reader: " + fmt.Sprintf(format, args...))
		}),
		ErrorLogger: kafka.LoggerFunc(func(format string, args ...any) {
			level := slog.LevelWarn
			if c.stopping.Load() {
				level = slog.LevelDebug
			}
			c.log.Log(context.Background(), level, "kafka reader: "+fmt.Sprintf(format, args...))
		}),
	}
}

// Run consumes until ctx is cancelled. It then lets the in-flight message
// finish (within HandlerTimeout), commits the offsets of everything
// handled, leaves the group and returns nil. It returns an error only if
// the consumer cannot go on. Run may be called once.
func (c *Consumer) Run(ctx context.Context) (err error) {
	if !c.started.CompareAndSwap(false, true) {
		return errors.New("stream: consumer: Run called twice")
	}
	dead := c.opts.Dead
	if dead == nil {
		dead = NewProducer(c.cfg, c.metrics)
		defer func() {
			if cerr := dead.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
	}
	r := kafka.NewReader(c.readerConfig())
	stopWatch := context.AfterFunc(ctx, func() { c.stopping.Store(true) })
	defer stopWatch()
	defer func() {
		// Close commits what is pending and leaves the group.
		if cerr := r.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("stream: consumer %s: close: %w", c.opts.Topic, cerr)
		}
		c.log.Info("consumer stopped")
	}()

	for {
		km, ferr := r.FetchMessage(ctx)
		if ferr != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("stream: consumer %s: fetch: %w", c.opts.Topic, ferr)
		}
		c.metrics.Consumed.WithLabelValues(c.label).Inc()
		if !c.process(ctx, dead, km) {
			return nil // ctx ended while retrying; not committed
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.HandlerTimeout)
		cerr := r.CommitMessages(cctx, km)
		cancel()
		if cerr != nil {
			// The message will be delivered again: at-least-once.
			c.log.Warn("commit failed", "partition", km.Partition, "offset", km.Offset, "err", cerr)
		}
		c.setLag(km.Partition, km.HighWaterMark-km.Offset-1)
	}
}

// process handles km until it succeeded or was dead-lettered (true), or
// ctx ended while it was being retried (false).
func (c *Consumer) process(ctx context.Context, dead *Producer, km kafka.Message) bool {
	m := fromKafka(km)
	bo := newBackoff(c.opts.MinBackoff, c.opts.MaxBackoff)
	for attempt := 1; ; attempt++ {
		err := c.handle(ctx, m)
		if err == nil {
			return true
		}
		c.metrics.HandlerErrors.WithLabelValues(c.label).Inc()
		if IsPermanent(err) {
			return c.deadLetter(ctx, dead, m, err)
		}
		c.log.Warn("handler failed, will retry", "partition", m.Partition, "offset", m.Offset, "attempt", attempt, "err", err)
		if !bo.wait(ctx) {
			return false
		}
	}
}

// handle calls the handler once, with a context that shutdown does not
// cancel but HandlerTimeout bounds, and turns a panic into a permanent
// error.
func (c *Consumer) handle(ctx context.Context, m Message) (err error) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.HandlerTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("handler panic", "partition", m.Partition, "offset", m.Offset, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = panicError(v)
		}
	}()
	return c.opts.Handler.Handle(hctx, m)
}

// deadLetter writes m to the dead-letter topic with the reason, retrying
// until it is written (true) or ctx ends (false).
func (c *Consumer) deadLetter(ctx context.Context, dead *Producer, m Message, cause error) bool {
	msg := cause.Error()
	if len(msg) > maxErrorHeader {
		msg = msg[:maxErrorHeader]
	}
	headers := make(map[string]string, len(m.Headers)+4)
	for k, v := range m.Headers {
		headers[k] = v
	}
	headers[HeaderError] = msg
	headers[HeaderSourceTopic] = m.Topic
	headers[HeaderSourcePartition] = strconv.Itoa(m.Partition)
	headers[HeaderSourceOffset] = strconv.FormatInt(m.Offset, 10)
	dl := Message{Key: m.Key, Value: m.Value, Headers: headers, Time: m.Time}
	topic := c.cfg.Topic(Dead)
	bo := newBackoff(c.opts.MinBackoff, c.opts.MaxBackoff)
	for {
		// A dead letter under way finishes even if shutdown began.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.HandlerTimeout)
		err := dead.Produce(pctx, topic, dl)
		cancel()
		if err == nil {
			c.metrics.DeadLetters.WithLabelValues(c.label).Inc()
			c.log.Warn("message dead-lettered", "partition", m.Partition, "offset", m.Offset, "err", msg)
			return true
		}
		c.log.Error("dead letter failed, will retry", "partition", m.Partition, "offset", m.Offset, "err", err)
		if !bo.wait(ctx) {
			return false
		}
	}
}

func (c *Consumer) setLag(partition int, lag int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lags[partition] = max(lag, 0)
	var sum int64
	for _, l := range c.lags {
		sum += l
	}
	c.lag.Set(float64(sum))
}

// Lag returns how many messages this consumer is behind, summed over the
// partitions it has read from, as of the last message it handled (each
// fetched message carries its partition's high watermark). It is 0 before
// the first message.
func (c *Consumer) Lag() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum int64
	for _, l := range c.lags {
		sum += l
	}
	return sum
}
