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

// BatchHandler processes the messages of a batch, in the order they were
// fetched: messages of one partition are in offset order, and a batch may
// hold messages of the partitions one worker reads.
//
// HandleBatch returns nil when every message was handled, or one error
// per message (nil for a message handled). A message whose error is
// marked with Permanent is dead-lettered alone; the rest of the batch is
// not. A retryable error (any other) fails that message and every message
// after it in the batch: the consumer commits the messages before it
// (handled or dead-lettered), waits with backoff and hands the rest to
// HandleBatch again, so a handler must be idempotent (the messages after
// the failed one may have been handled already; a permanent error after
// it is decided on the retry). A panic makes the
// consumer hand the batch over again one message at a time, so that only
// the message that panics is dead-lettered.
type BatchHandler interface {
	HandleBatch(ctx context.Context, ms []Message) []error
}

// BatchHandlerFunc adapts a function to BatchHandler.
type BatchHandlerFunc func(ctx context.Context, ms []Message) []error

// HandleBatch calls f(ctx, ms).
func (f BatchHandlerFunc) HandleBatch(ctx context.Context, ms []Message) []error { return f(ctx, ms) }

// single adapts a Handler to BatchHandler; the consumer hands it batches
// of one message.
type single struct{ h Handler }

func (s single) HandleBatch(ctx context.Context, ms []Message) []error {
	var errs []error
	for i, m := range ms {
		if err := s.h.Handle(ctx, m); err != nil {
			if errs == nil {
				errs = make([]error, len(ms))
			}
			errs[i] = err
		}
	}
	return errs
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
	DefaultMaxWait        = time.Second
	DefaultConcurrency    = 1
	DefaultSessionTimeout = 10 * time.Second
	DefaultStallTimeout   = 20 * time.Second
	DefaultBatchSize      = 500
	DefaultBatchWait      = 50 * time.Millisecond
)

// workerQueue is how many fetched messages may wait for each worker; a
// full queue stops fetching (back-pressure).
const workerQueue = 64

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
	// Handler processes each message. Exactly one of Handler and Batch is
	// required.
	Handler Handler
	// Batch processes messages in batches of up to BatchSize. Exactly one
	// of Handler and Batch is required.
	Batch BatchHandler
	// BatchSize is the most messages one HandleBatch call gets. A worker
	// hands over what it has when BatchSize messages are queued or
	// BatchWait has passed since the first. Ignored with Handler, which
	// gets one message at a time. Default 500.
	BatchSize int
	// BatchWait is how long a worker waits for more messages before it
	// hands over a batch smaller than BatchSize. Negative hands over what
	// is queued at once. Default 50ms.
	BatchWait time.Duration
	// Dead writes dead letters to Config.Topic(Dead). Default: a producer
	// of the consumer's own, closed when Run returns.
	Dead *Producer
	// Metrics counts consumed messages, errors, dead letters and lag.
	// Default: counted nowhere.
	Metrics *Metrics
	// Logger receives retries, dead letters and shutdown. Message keys
	// and values are never logged. Default: discarded.
	Logger *slog.Logger

	// HandlerTimeout bounds one Handle or HandleBatch call. The in-flight
	// message or batch gets this long to finish after Run's context is
	// cancelled. Default 30s.
	HandlerTimeout time.Duration
	// CommitInterval is how often handled offsets are committed; Run
	// commits the rest before it returns. Negative commits synchronously
	// after every message. Default 1s.
	CommitInterval time.Duration
	// MinBackoff and MaxBackoff bound the exponential delay between
	// retries of a failing message. Defaults 100ms and 10s.
	MinBackoff, MaxBackoff time.Duration
	// MaxWait is how long one fetch waits for new messages; it is also
	// how long the client waits for a fetch response, so it must cover a
	// busy broker's answer time. Default 1s.
	MaxWait time.Duration
	// Concurrency is how many workers handle messages (or batches) at
	// once; more than the partitions the consumer holds leaves some idle.
	// Messages of one partition always go to the same worker, so they are
	// still handled in order. The handler must then be safe for concurrent
	// use. Default 1: one message or batch at a time.
	Concurrency int
	// Schema is the HeaderSchema value this consumer accepts. A message
	// whose header names another schema is dead-lettered unread; one
	// without the header is handed on. Default: SchemaOf the topic
	// (nothing is checked on a topic without a schema).
	Schema string
	// JoinGroupBackoff is how long to wait before retrying a failed group
	// join (on a fresh cluster the first join fails while the offsets
	// topic is created). Default 500ms.
	JoinGroupBackoff time.Duration
	// SessionTimeout is how long the group waits for a silent member
	// (one that was killed, say) before giving its partitions to the
	// others. Brokers refuse values below their
	// group.min.session.timeout.ms (6s by default). Default 10s.
	SessionTimeout time.Duration
	// StallTimeout restarts the kafka-go reader (leaving and rejoining the
	// group) when it fetched nothing for this long while nothing was being
	// handled and the group's committed offsets lag behind the topic: the
	// reader can hang after the brokers restarted. Negative disables it.
	// Default 20s.
	StallTimeout time.Duration
}

// Consumer reads a topic as a member of a consumer group and hands each
// message to a Handler, or batches of them to a BatchHandler, up to
// Concurrency at a time. Messages of one
// partition are handled in order; a message that cannot be handled goes to the
// dead-letter topic and never blocks its partition. Delivery is
// at-least-once: offsets are committed only after the handler succeeded
// or the message was dead-lettered (for a batch: after HandleBatch
// returned and its dead letters were written).
type Consumer struct {
	opts    ConsumerOptions
	handler BatchHandler
	cfg     Config
	sec     security
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
	case opts.Handler == nil && opts.Batch == nil:
		return nil, errors.New("stream: consumer: no handler")
	case opts.Handler != nil && opts.Batch != nil:
		return nil, errors.New("stream: consumer: both a handler and a batch handler")
	case opts.BatchSize < 0:
		return nil, fmt.Errorf("stream: consumer: negative batch size %d", opts.BatchSize)
	case opts.HandlerTimeout < 0 || opts.MinBackoff < 0 || opts.MaxBackoff < 0 || opts.MaxWait < 0 || opts.JoinGroupBackoff < 0 || opts.SessionTimeout < 0:
		return nil, errors.New("stream: consumer: negative duration")
	case opts.Concurrency < 0:
		return nil, fmt.Errorf("stream: consumer: negative concurrency %d", opts.Concurrency)
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency
	}
	var handler BatchHandler = single{opts.Handler}
	if opts.Batch != nil {
		handler = opts.Batch
		if opts.BatchSize == 0 {
			opts.BatchSize = DefaultBatchSize
		}
		if opts.BatchWait == 0 {
			opts.BatchWait = DefaultBatchWait
		}
	} else {
		opts.BatchSize, opts.BatchWait = 1, -1
	}
	if opts.StallTimeout == 0 {
		opts.StallTimeout = DefaultStallTimeout
	}
	if opts.SessionTimeout == 0 {
		opts.SessionTimeout = DefaultSessionTimeout
	}
	if opts.JoinGroupBackoff == 0 {
		opts.JoinGroupBackoff = 500 * time.Millisecond
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
	sec, err := cfg.security()
	if err != nil {
		return nil, err
	}
	if opts.Schema == "" {
		opts.Schema = schemaOfTopic(cfg.TopicPrefix, opts.Topic)
	}
	m := opts.Metrics.orNop()
	m.init(cfg.TopicPrefix)
	label := topicLabel(cfg.TopicPrefix, opts.Topic)
	c := &Consumer{
		opts:    opts,
		handler: handler,
		cfg:     cfg,
		sec:     sec,
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
		Brokers:  c.cfg.Brokers,
		GroupID:  c.opts.Group,
		Topic:    c.opts.Topic,
		Dialer:   c.sec.dialer(c.cfg),
		MinBytes: 1,
		// Small fetches: a broker answers them quickly, and a reader holds
		// little memory. Kafka returns a larger single message anyway.
		MaxBytes:          1 << 20,
		MaxWait:           c.opts.MaxWait,
		CommitInterval:    commit,
		StartOffset:       kafka.FirstOffset,
		HeartbeatInterval: min(3*time.Second, c.opts.SessionTimeout/4),
		SessionTimeout:    c.opts.SessionTimeout,
		RebalanceTimeout:  max(c.opts.SessionTimeout, 10*time.Second),
		JoinGroupBackoff:  c.opts.JoinGroupBackoff,
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
// handled, leaves the group and returns nil. When its reader fails (the
// brokers are down) or stalls, Run starts a new one and rejoins the group,
// with backoff, so a broker restart never ends it. Run may be called once.
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
	stopWatch := context.AfterFunc(ctx, func() { c.stopping.Store(true) })
	defer stopWatch()
	defer c.log.Info("consumer stopped")
	bo := newBackoff(c.opts.MinBackoff, c.opts.MaxBackoff)
	for {
		stalled, err := c.consume(ctx, dead)
		switch {
		case ctx.Err() != nil:
			return nil
		case stalled:
			// kafka-go's group reader can stop fetching for good after
			// the brokers went away (segmentio/kafka-go#387).
			c.log.Warn("consumer stalled with messages waiting; rejoining the group", "stall_timeout", c.opts.StallTimeout)
		case err != nil:
			// A reader fails when the brokers are gone for a while; they
			// may come back, so a new reader rejoins the group.
			c.log.Warn("consumer reader failed; rejoining the group", "err", err)
			if !bo.wait(ctx) {
				return nil
			}
		default:
			return nil
		}
		c.metrics.ReaderRestarts.WithLabelValues(c.label).Inc()
	}
}

// errStalled ends a consume whose reader fetched nothing for StallTimeout
// while the group had messages to read.
var errStalled = errors.New("stream: consumer stalled")

// consume runs one kafka-go reader until ctx ends (false, nil), the reader
// fails (false, err) or it stalled (true, nil). Before it returns, the
// in-flight messages finish, handled offsets are committed and the reader
// leaves the group.
func (c *Consumer) consume(ctx context.Context, dead *Producer) (stalled bool, err error) {
	r := kafka.NewReader(c.readerConfig())
	c.metrics.stats.addReader(r, c.label, c.opts.Group)
	defer func() {
		// Close commits what is pending and leaves the group.
		cerr := r.Close()
		c.metrics.stats.removeReader(r)
		if cerr != nil && err == nil && !stalled {
			err = fmt.Errorf("stream: consumer %s: close: %w", c.opts.Topic, cerr)
		}
	}()
	fetchCtx, stopFetch := context.WithCancelCause(ctx)
	defer stopFetch(nil)
	var pending atomic.Int64 // fetched and not yet handled
	var lastFetch atomic.Int64
	lastFetch.Store(time.Now().UnixNano())
	if c.opts.StallTimeout > 0 {
		go c.watchStall(fetchCtx, stopFetch, &pending, &lastFetch)
	}

	n := c.opts.Concurrency
	queues := make([]chan kafka.Message, n)
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan kafka.Message, max(workerQueue, c.opts.BatchSize))
		wg.Go(func() { c.work(ctx, r, dead, queues[i], &pending) })
	}
	defer func() {
		for _, q := range queues {
			close(q)
		}
		wg.Wait() // the in-flight messages finish before the reader closes
	}()
	for {
		km, ferr := r.FetchMessage(fetchCtx)
		if ferr != nil {
			switch {
			case ctx.Err() != nil:
				return false, nil
			case errors.Is(context.Cause(fetchCtx), errStalled):
				return true, nil
			}
			return false, fmt.Errorf("stream: consumer %s: fetch: %w", c.opts.Topic, ferr)
		}
		lastFetch.Store(time.Now().UnixNano())
		pending.Add(1)
		c.metrics.Consumed.WithLabelValues(c.label).Inc()
		select {
		case queues[km.Partition%n] <- km:
		case <-ctx.Done():
			return false, nil // not handled, not committed
		}
	}
}

// watchStall cancels fetchCtx with errStalled when nothing was fetched for
// StallTimeout, nothing is being handled, and the group's committed
// offsets are behind the end of the topic.
func (c *Consumer) watchStall(fetchCtx context.Context, stop context.CancelCauseFunc, pending, lastFetch *atomic.Int64) {
	tick := time.NewTicker(max(c.opts.StallTimeout/4, 100*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-fetchCtx.Done():
			return
		case <-tick.C:
		}
		if pending.Load() > 0 || time.Since(time.Unix(0, lastFetch.Load())) < c.opts.StallTimeout {
			continue
		}
		lag, err := c.groupLag(fetchCtx)
		if err != nil {
			c.log.Debug("stall check failed", "err", err)
			continue
		}
		if lag > 0 {
			stop(errStalled)
			return
		}
		lastFetch.Store(time.Now().UnixNano()) // idle, not stalled: check again later
	}
}

// groupLag returns how many messages of the topic lie past the group's
// committed offsets, asking the brokers.
func (c *Consumer) groupLag(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ends, err := EndOffsets(ctx, c.cfg, c.opts.Topic)
	if err != nil {
		return 0, err
	}
	client, err := newClient(c.cfg)
	if err != nil {
		return 0, err
	}
	defer closeTransport(client)
	parts := make([]int, 0, len(ends))
	for p := range ends {
		parts = append(parts, p)
	}
	resp, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.opts.Group, Topics: map[string][]int{c.opts.Topic: parts}})
	if err != nil {
		return 0, err
	}
	if resp.Error != nil {
		return 0, resp.Error
	}
	committed := map[int]int64{}
	for _, p := range resp.Topics[c.opts.Topic] {
		if p.Error != nil {
			return 0, p.Error
		}
		committed[p.Partition] = p.CommittedOffset
	}
	var lag int64
	for p, end := range ends {
		if off := committed[p]; off >= 0 {
			lag += max(end-off, 0)
		} else if end > 0 {
			lag += end // nothing committed yet (an upper bound)
		}
	}
	return lag, nil
}

// work handles the messages of its queue in order, in batches of up to
// BatchSize, and commits each batch after it was handled. Once ctx has
// ended it drops what is queued: those messages are not committed and will
// be delivered again.
func (c *Consumer) work(ctx context.Context, r *kafka.Reader, dead *Producer, q <-chan kafka.Message, pending *atomic.Int64) {
	batch := make([]kafka.Message, 0, c.opts.BatchSize)
	for {
		batch = c.gather(q, batch[:0])
		if len(batch) == 0 {
			return // q closed
		}
		if ctx.Err() != nil {
			pending.Add(-int64(len(batch)))
			continue
		}
		c.process(ctx, r, dead, batch)
		pending.Add(-int64(len(batch)))
	}
}

// gather appends to batch the next message of q, then whatever else
// arrives until the batch holds BatchSize messages or BatchWait has
// passed. It returns an empty batch once q is closed and drained.
func (c *Consumer) gather(q <-chan kafka.Message, batch []kafka.Message) []kafka.Message {
	km, ok := <-q
	if !ok {
		return batch
	}
	batch = append(batch, km)
	if c.opts.BatchSize <= 1 {
		return batch
	}
	var timeout <-chan time.Time
	if c.opts.BatchWait > 0 {
		t := time.NewTimer(c.opts.BatchWait)
		defer t.Stop()
		timeout = t.C
	}
	for len(batch) < c.opts.BatchSize {
		// What is queued already is taken without waiting.
		select {
		case km, ok := <-q:
			if !ok {
				return batch
			}
			batch = append(batch, km)
			continue
		default:
		}
		if timeout == nil {
			return batch
		}
		select {
		case km, ok := <-q:
			if !ok {
				return batch
			}
			batch = append(batch, km)
		case <-timeout:
			return batch
		}
	}
	return batch
}

// process handles batch until every message succeeded or was
// dead-lettered, committing as it goes, or ctx ended while it was being
// retried (the rest is then not committed and will be delivered again).
func (c *Consumer) process(ctx context.Context, r *kafka.Reader, dead *Producer, batch []kafka.Message) {
	todo := make([]Message, len(batch))
	for i, km := range batch {
		todo[i] = fromKafka(km)
	}
	bo := newBackoff(c.opts.MinBackoff, c.opts.MaxBackoff)
	for attempt := 1; ; attempt++ {
		errs := c.handleBatch(ctx, todo)
		// The messages before the first retryable error are settled.
		settled := len(todo)
		for i, err := range errs {
			if err != nil && !IsPermanent(err) {
				settled = i
				break
			}
		}
		start := len(batch) - len(todo) // todo is what is left of batch
		for i := range settled {
			if errs[i] == nil {
				continue
			}
			if errors.Is(errs[i], errUnknownSchema) {
				c.metrics.SchemaRejected.WithLabelValues(c.label).Inc()
			}
			if !c.deadLetter(ctx, dead, todo[i], errs[i]) {
				c.commit(ctx, r, batch[start:start+i])
				return
			}
		}
		c.commit(ctx, r, batch[start:start+settled])
		if settled == len(todo) {
			return
		}
		m := todo[settled]
		c.log.Warn("handler failed, will retry", "partition", m.Partition, "offset", m.Offset, "attempt", attempt,
			"batch", len(todo)-settled, "err", errs[settled])
		todo = todo[settled:]
		if !bo.wait(ctx) {
			return // not committed
		}
	}
}

// commit commits kms (a prefix of a batch, in fetch order) and updates
// the lag of their partitions. A failed commit is logged: the messages
// will be delivered again (at-least-once).
func (c *Consumer) commit(ctx context.Context, r *kafka.Reader, kms []kafka.Message) {
	if len(kms) == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.HandlerTimeout)
	cerr := r.CommitMessages(cctx, kms...)
	cancel()
	if cerr != nil {
		last := kms[len(kms)-1]
		c.log.Warn("commit failed", "partition", last.Partition, "offset", last.Offset, "messages", len(kms), "err", cerr)
	}
	// The last message of each partition carries its lag.
	last := map[int]kafka.Message{}
	for _, km := range kms {
		last[km.Partition] = km
	}
	for p, km := range last {
		c.setLag(p, km.HighWaterMark-km.Offset-1)
	}
}

// errUnknownSchema is the error of a message whose lure-schema header
// names a schema the consumer does not read.
var errUnknownSchema = errors.New("stream: unknown schema")

// handleBatch hands ms to the handler and returns one error per message
// (nil when handled). A message whose lure-schema header names another
// schema is not handed over: it gets a permanent error. A panic makes it
// hand ms over again one message at a time; a message that panics alone
// gets a permanent error. Handler errors and panics are counted.
func (c *Consumer) handleBatch(ctx context.Context, ms []Message) []error {
	errs := make([]error, len(ms))
	accepted := make([]Message, 0, len(ms))
	at := make([]int, 0, len(ms)) // index in ms of each accepted message
	for i, m := range ms {
		if got, ok := m.Headers[HeaderSchema]; ok && c.opts.Schema != "" && got != c.opts.Schema {
			errs[i] = Permanent(fmt.Errorf("%w %q (this consumer reads %q)", errUnknownSchema, got, c.opts.Schema))
			continue
		}
		accepted = append(accepted, m)
		at = append(at, i)
	}
	if len(accepted) == 0 {
		return errs
	}
	got, perr := c.call(ctx, accepted)
	if perr != nil && len(accepted) > 1 {
		c.metrics.HandlerErrors.WithLabelValues(c.label).Inc()
		c.log.Warn("batch handler panicked; handling the batch one message at a time", "messages", len(accepted))
		got = make([]error, len(accepted))
		for i := range accepted {
			e, perr := c.call(ctx, accepted[i:i+1])
			if perr != nil {
				got[i] = perr
			} else if e != nil {
				got[i] = e[0]
			}
		}
	} else if perr != nil {
		got = []error{perr}
	}
	for i, err := range got {
		if err != nil {
			c.metrics.HandlerErrors.WithLabelValues(c.label).Inc()
			errs[at[i]] = err
		}
	}
	return errs
}

// call calls the handler once, with a context that shutdown does not
// cancel but HandlerTimeout bounds. It returns the handler's errors (nil
// or one per message) or, when the handler panicked, a permanent error.
func (c *Consumer) call(ctx context.Context, ms []Message) (errs []error, panicErr error) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.HandlerTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("handler panic", "partition", ms[0].Partition, "offset", ms[0].Offset, "messages", len(ms),
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			errs, panicErr = nil, panicError(v)
		}
	}()
	errs = c.handler.HandleBatch(hctx, ms)
	if errs != nil && len(errs) != len(ms) {
		err := Permanent(fmt.Errorf("stream: batch handler returned %d results for %d messages", len(errs), len(ms)))
		c.log.Error("batch handler broke its contract", "err", err)
		errs = make([]error, len(ms))
		for i := range errs {
			errs[i] = err
		}
	}
	return errs, nil
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
	c.metrics.PartitionLag.WithLabelValues(c.label, c.opts.Group, strconv.Itoa(partition)).Set(float64(max(lag, 0)))
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
