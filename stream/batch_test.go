package stream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// batchCollector is a BatchHandler that records the batches it saw; fn,
// if set, gives the error of each message before it is recorded.
type batchCollector struct {
	mu      sync.Mutex
	batches [][]string
	handled chan string
	fn      func(m Message) error
}

func newBatchCollector(fn func(Message) error) *batchCollector {
	return &batchCollector{handled: make(chan string, 1000), fn: fn}
}

func (b *batchCollector) HandleBatch(_ context.Context, ms []Message) []error {
	var errs []error
	var values []string
	for i, m := range ms {
		values = append(values, string(m.Value))
		if b.fn != nil {
			if err := b.fn(m); err != nil {
				if errs == nil {
					errs = make([]error, len(ms))
				}
				errs[i] = err
				continue
			}
		}
		b.handled <- string(m.Value)
	}
	b.mu.Lock()
	b.batches = append(b.batches, values)
	b.mu.Unlock()
	return errs
}

func (b *batchCollector) sizes() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []int
	for _, x := range b.batches {
		out = append(out, len(x))
	}
	return out
}

// wait returns the next n values handled, failing the test after d.
func (b *batchCollector) wait(t *testing.T, n int, d time.Duration) []string {
	t.Helper()
	var out []string
	timeout := time.After(d)
	for len(out) < n {
		select {
		case v := <-b.handled:
			out = append(out, v)
		case <-timeout:
			t.Fatalf("handled %d of %d messages within %v: %v", len(out), n, d, out)
		}
	}
	return out
}

// produceKeyed writes values under one key, so they land in one partition
// in order.
func produceKeyed(t *testing.T, p *Producer, topic, key string, values ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs := make([]Message, len(values))
	for i, v := range values {
		msgs[i] = Message{Key: []byte(key), Value: []byte(v)}
	}
	if err := p.Produce(ctx, topic, msgs...); err != nil {
		t.Fatalf("Produce: %v", err)
	}
}

func values(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%02d", prefix, i)
	}
	return out
}

func TestBatchCutAtSize(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Raw)
	want := values("v", 25)
	produceKeyed(t, p, topic, "k", want...)

	b := newBatchCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "size", Batch: b, BatchSize: 10, BatchWait: 2 * time.Second})
	got := b.wait(t, 25, 20*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v in order", got, want)
	}
	if s := b.sizes(); !slices.Equal(s, []int{10, 10, 5}) {
		t.Errorf("batch sizes %v, want [10 10 5] (cut at BatchSize, the rest after BatchWait)", s)
	}
}

func TestBatchCutAtWait(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Raw)
	produceKeyed(t, p, topic, "k", "a", "b", "c")

	b := newBatchCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "wait", Batch: b, BatchSize: 1000, BatchWait: 100 * time.Millisecond})
	b.wait(t, 3, 20*time.Second)
	produceKeyed(t, p, topic, "k", "d", "e")
	start := time.Now()
	b.wait(t, 2, 5*time.Second)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a batch of 2 (of at most 1000) took %v to be handed over", d)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if s := b.sizes(); !slices.Equal(s, []int{3, 2}) {
		t.Errorf("batch sizes %v, want [3 2]", s)
	}
}

// One message of a batch fails for good: it alone is dead-lettered, the
// others are handled, and the whole batch is committed.
func TestBatchBadMessageDeadLetteredAlone(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Scored)
	produceKeyed(t, p, topic, "k", "ok-1", "ok-2", "bad", "ok-3", "ok-4")

	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	b := newBatchCollector(func(m Message) error {
		if string(m.Value) == "bad" {
			return Permanent(errors.New("cannot decode verdict"))
		}
		return nil
	})
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "bad", Batch: b, Dead: p, Metrics: metrics,
		BatchWait: 300 * time.Millisecond, CommitInterval: -1})
	got := b.wait(t, 4, 20*time.Second)
	waitFor(t, "one dead letter", func() bool { return topicEnd(t, cfg, cfg.Topic(Dead)) == 1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ok-1", "ok-2", "ok-3", "ok-4"}; !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v", got, want)
	}
	if s := b.sizes(); !slices.Equal(s, []int{5}) {
		t.Errorf("batch sizes %v, want [5] (a permanent error is not retried)", s)
	}
	if got := testutil.ToFloat64(metrics.DeadLetters.WithLabelValues(topic)); got != 1 {
		t.Errorf("dead letters metric = %v, want 1", got)
	}
	if got := testutil.ToFloat64(metrics.HandlerErrors.WithLabelValues(topic)); got != 1 {
		t.Errorf("handler errors = %v, want 1", got)
	}
	dls := deadLetters(t, cfg, 1)
	if string(dls[0].Value) != "bad" || !strings.Contains(dls[0].Headers[HeaderError], "cannot decode verdict") ||
		dls[0].Headers[HeaderSourceOffset] != "2" {
		t.Errorf("dead letter %q with headers %v, want bad at offset 2", dls[0].Value, dls[0].Headers)
	}

	// Everything was committed: the group sees only new messages.
	produceKeyed(t, p, topic, "k", "new")
	b2 := newBatchCollector(nil)
	_, stop2 := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "bad", Batch: b2})
	if got := b2.wait(t, 1, 20*time.Second); got[0] != "new" {
		t.Errorf("got %s after a clean shutdown, want only new", got[0])
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

// A retryable error commits the messages before the failed one and hands
// the failed one and those after it over again.
func TestBatchRetriesFromTransientError(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Scored)
	produceKeyed(t, p, topic, "k", "a", "b", "flaky", "c", "bad")

	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	var attempts atomic.Int32
	b := newBatchCollector(func(m Message) error {
		switch string(m.Value) {
		case "flaky":
			if attempts.Add(1) <= 2 {
				return errors.New("store busy")
			}
		case "bad":
			return Permanent(errors.New("cannot decode verdict"))
		}
		return nil
	})
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "retry", Batch: b, Dead: p, Metrics: metrics,
		BatchWait: 300 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	// c is handled by the first two attempts too: a handler may handle
	// what follows a failed message, so it must be idempotent.
	got := b.wait(t, 6, 20*time.Second)
	waitFor(t, "one dead letter", func() bool { return topicEnd(t, cfg, cfg.Topic(Dead)) == 1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "c", "flaky", "c"}; !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v", got, want)
	}
	if s := b.sizes(); !slices.Equal(s, []int{5, 3, 3}) {
		t.Errorf("batch sizes %v, want [5 3 3] (retried from the failed message on)", s)
	}
	// Two transient failures, then bad once (it is dead-lettered only when
	// nothing before it is to be retried).
	if got := testutil.ToFloat64(metrics.HandlerErrors.WithLabelValues(topic)); got != 5 {
		t.Errorf("handler errors = %v, want 5 (flaky twice, bad on each of three attempts)", got)
	}
	if got := testutil.ToFloat64(metrics.DeadLetters.WithLabelValues(topic)); got != 1 {
		t.Errorf("dead letters = %v, want 1", got)
	}
}

// Offsets are committed only once the batch handler has returned.
func TestBatchCommitsAfterHandler(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Raw)
	produceKeyed(t, p, topic, "k", values("v", 5)...)

	entered := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	h := BatchHandlerFunc(func(ctx context.Context, ms []Message) []error {
		once.Do(func() { close(entered) })
		<-release
		return nil
	})
	c, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "commit", Batch: h, CommitInterval: -1})
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("handler not called")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if lag, err := c.groupLag(ctx); err != nil || lag != 5 {
		t.Fatalf("group lag while the handler runs = %d, %v; want 5 (nothing committed)", lag, err)
	}
	close(release)
	waitFor(t, "commit after the handler returned", func() bool {
		lag, err := c.groupLag(ctx)
		return err == nil && lag == 0
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// A panic hands the batch over again one message at a time: only the
// message that panics is dead-lettered.
func TestBatchPanicIsolatesMessage(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Scored)
	produceKeyed(t, p, topic, "k", "a", "boom", "b")

	b := newBatchCollector(func(m Message) error {
		if string(m.Value) == "boom" {
			panic("boom")
		}
		return nil
	})
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "panic", Batch: b, Dead: p, BatchWait: 300 * time.Millisecond})
	got := b.wait(t, 3, 20*time.Second) // a before the panic, then a and b alone
	waitFor(t, "one dead letter", func() bool { return topicEnd(t, cfg, cfg.Topic(Dead)) == 1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v", got, want)
	}
	if dls := deadLetters(t, cfg, 1); string(dls[0].Value) != "boom" {
		t.Errorf("dead letter %q, want boom", dls[0].Value)
	}
}
