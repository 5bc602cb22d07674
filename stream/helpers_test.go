package stream

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// testLogger writes warnings and above to stderr so a failing test shows
// what the consumer saw.
func testLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// startBroker starts an embedded broker in dir (a fresh temp dir if "")
// with lure's topics created, and closes it at the end of the test.
func startBroker(t *testing.T, dir string) (*Embedded, Config) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	e, err := StartEmbedded(EmbeddedOptions{DataDir: dir, Logger: testLogger()})
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	cfg := Config{Brokers: e.Brokers(), Partitions: 3}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := EnsureTopics(ctx, cfg); err != nil {
		t.Fatalf("EnsureTopics: %v", err)
	}
	return e, cfg
}

// collector is a Handler that records what it saw.
type collector struct {
	mu   sync.Mutex
	seen []Message
	ch   chan Message
	fn   func(m Message) error // optional behaviour before recording
}

func newCollector(fn func(Message) error) *collector {
	return &collector{ch: make(chan Message, 1000), fn: fn}
}

func (c *collector) Handle(_ context.Context, m Message) error {
	if c.fn != nil {
		if err := c.fn(m); err != nil {
			return err
		}
	}
	c.mu.Lock()
	c.seen = append(c.seen, m)
	c.mu.Unlock()
	c.ch <- m
	return nil
}

// wait returns the next n handled messages, failing the test after d.
func (c *collector) wait(t *testing.T, n int, d time.Duration) []Message {
	t.Helper()
	var out []Message
	timeout := time.After(d)
	for len(out) < n {
		select {
		case m := <-c.ch:
			out = append(out, m)
		case <-timeout:
			t.Fatalf("got %d of %d messages within %v", len(out), n, d)
		}
	}
	return out
}

// runConsumer runs a consumer in the background; the returned stop cancels
// it and returns Run's error.
func runConsumer(t *testing.T, opts ConsumerOptions) (*Consumer, func() error) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger()
	}
	c, err := NewConsumer(opts)
	if err != nil {
		t.Fatalf("NewConsumer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(20 * time.Second):
				runErr = fmt.Errorf("Run did not return within 20s of cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return c, stop
}

func produceN(t *testing.T, p *Producer, topic string, from, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs := make([]Message, 0, n)
	for i := from; i < from+n; i++ {
		msgs = append(msgs, Message{Key: fmt.Appendf(nil, "ad-%d", i), Value: fmt.Appendf(nil, "value-%d", i)})
	}
	if err := p.Produce(ctx, topic, msgs...); err != nil {
		t.Fatalf("Produce: %v", err)
	}
}

// topicEnd returns the number of messages written to topic (the sum of
// its partitions' end offsets).
func topicEnd(t *testing.T, cfg Config, topic string) int64 {
	t.Helper()
	cfg = cfg.withDefaults()
	client := mustClient(t, cfg)
	defer closeTransport(client)
	var reqs []kafka.OffsetRequest
	for p := range cfg.Partitions {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		t.Fatalf("ListOffsets %s: %v", topic, err)
	}
	var sum int64
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			t.Fatalf("ListOffsets %s/%d: %v", topic, po.Partition, po.Error)
		}
		sum += po.LastOffset
	}
	return sum
}

// waitFor polls cond for up to 10s and fails the test if it never holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// mustClient returns an admin client for cfg or fails the test.
func mustClient(t *testing.T, cfg Config) *kafka.Client {
	t.Helper()
	c, err := newClient(cfg)
	if err != nil {
		t.Fatalf("newClient: %v", err)
	}
	return c
}
