package stream

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestConsumerHandlesEverythingAndCommits(t *testing.T) {
	for _, tt := range []struct {
		name     string
		interval time.Duration
	}{
		{"async commits flushed on shutdown", 0},
		{"async commits with long interval", time.Hour},
		{"sync commits", -1},
	} {
		t.Run(tt.name, func(t *testing.T) { testConsumeAndResume(t, tt.interval) })
	}
}

func testConsumeAndResume(t *testing.T, commitInterval time.Duration) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	produceN(t, p, cfg.Topic(Raw), 0, 40)

	col := newCollector(nil)
	c, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "g", Handler: col, CommitInterval: commitInterval})
	got := col.wait(t, 40, 20*time.Second)
	values := map[string]bool{}
	for _, m := range got {
		values[string(m.Value)] = true
		if m.Topic != cfg.Topic(Raw) {
			t.Errorf("Topic = %q", m.Topic)
		}
	}
	if len(values) != 40 {
		t.Errorf("got %d distinct values, want 40", len(values))
	}
	// Lag is updated after the commit that follows the last handler call.
	waitFor(t, "lag 0 after consuming everything", func() bool { return c.Lag() == 0 })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	// The same group starts after what was committed: only new messages.
	produceN(t, p, cfg.Topic(Raw), 40, 5)
	col2 := newCollector(nil)
	_, stop2 := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "g", Handler: col2, CommitInterval: commitInterval})
	got = col2.wait(t, 5, 20*time.Second)
	for _, m := range got {
		n, _ := strconv.Atoi(strings.TrimPrefix(string(m.Value), "value-"))
		if n < 40 {
			t.Errorf("redelivered %s after a clean shutdown", m.Value)
		}
	}
	select {
	case m := <-col2.ch:
		t.Errorf("unexpected extra message %s", m.Value)
	case <-time.After(300 * time.Millisecond):
	}
	if err := stop2(); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// deadLetters reads everything in the dead-letter topic.
func deadLetters(t *testing.T, cfg Config, n int) []Message {
	t.Helper()
	col := newCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Dead), Group: "dead-reader-" + t.Name(), Handler: col})
	defer stop()
	return col.wait(t, n, 20*time.Second)
}

func TestConsumerFailures(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()

	tests := []struct {
		name string
		// handler behaviour for the value "bad"; attempt counts from 1
		bad       func(attempt int) error
		wantDead  bool
		wantError string // substring of lure-error
		wantErrs  float64
		ownDead   bool // consumer makes its own dead-letter producer
	}{
		{
			name:      "permanent error is dead-lettered",
			bad:       func(int) error { return Permanent(errors.New("cannot decode ad")) },
			wantDead:  true,
			wantError: "cannot decode ad",
			wantErrs:  1,
		},
		{
			name:      "panic is dead-lettered",
			bad:       func(int) error { panic("boom") },
			wantDead:  true,
			wantError: "handler panic: boom",
			wantErrs:  1,
			ownDead:   true,
		},
		{
			name: "transient error is retried until it succeeds",
			bad: func(attempt int) error {
				if attempt <= 3 {
					return errors.New("store busy")
				}
				return nil
			},
			wantErrs: 3,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic := cfg.Topic(Scored)
			deadBefore := topicEnd(t, cfg, cfg.Topic(Dead))
			// One key: all four land in one partition, in order.
			key := []byte("ad-" + strconv.Itoa(i))
			values := []string{"ok-1", "bad", "ok-2", "ok-3"}
			var msgs []Message
			for _, v := range values {
				msgs = append(msgs, Message{Key: key, Value: []byte(v), Headers: map[string]string{"case": tt.name}})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := p.Produce(ctx, topic, msgs...); err != nil {
				t.Fatal(err)
			}

			var attempts atomic.Int32
			col := newCollector(func(m Message) error {
				if string(m.Value) == "bad" && m.Headers["case"] == tt.name {
					return tt.bad(int(attempts.Add(1)))
				}
				return nil
			})
			reg := prometheus.NewRegistry()
			metrics := NewMetrics(reg)
			group := "failures-" + strconv.Itoa(i)
			dead := p
			if tt.ownDead {
				dead = nil
			}
			_, stop := runConsumer(t, ConsumerOptions{
				Config: cfg, Topic: topic, Group: group, Handler: col, Dead: dead, Metrics: metrics,
				MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
			})
			// Only this case's messages: earlier cases' groups consumed theirs,
			// but this group starts from the beginning, so filter by header.
			want := []string{"ok-1", "ok-2", "ok-3"}
			if !tt.wantDead {
				want = []string{"ok-1", "bad", "ok-2", "ok-3"}
			}
			var got []string
			deadline := time.After(20 * time.Second)
			for len(got) < len(want) {
				select {
				case m := <-col.ch:
					if m.Headers["case"] == tt.name {
						got = append(got, string(m.Value))
					}
				case <-deadline:
					t.Fatalf("handled %v, want %v", got, want)
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("handled %v, want %v (in partition order)", got, want)
			}
			if err := stop(); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := testutil.ToFloat64(metrics.HandlerErrors.WithLabelValues(topic)); got != tt.wantErrs {
				t.Errorf("handler errors = %v, want %v", got, tt.wantErrs)
			}

			deadAfter := topicEnd(t, cfg, cfg.Topic(Dead))
			if !tt.wantDead {
				if deadAfter != deadBefore {
					t.Errorf("dead-letter topic grew from %d to %d", deadBefore, deadAfter)
				}
				if got := testutil.ToFloat64(metrics.DeadLetters.WithLabelValues(topic)); got != 0 {
					t.Errorf("dead letters metric = %v, want 0", got)
				}
				return
			}
			if deadAfter != deadBefore+1 {
				t.Fatalf("dead-letter topic grew from %d to %d, want +1", deadBefore, deadAfter)
			}
			if got := testutil.ToFloat64(metrics.DeadLetters.WithLabelValues(topic)); got != 1 {
				t.Errorf("dead letters metric = %v, want 1", got)
			}
			var dl *Message
			for _, m := range deadLetters(t, cfg, int(deadAfter)) {
				if m.Headers["case"] == tt.name {
					dl = &m
				}
			}
			if dl == nil {
				t.Fatal("dead letter not found")
			}
			if string(dl.Key) != string(key) || string(dl.Value) != "bad" {
				t.Errorf("dead letter key/value = %q/%q, want original %q/%q", dl.Key, dl.Value, key, "bad")
			}
			if !strings.Contains(dl.Headers[HeaderError], tt.wantError) {
				t.Errorf("%s = %q, want it to contain %q", HeaderError, dl.Headers[HeaderError], tt.wantError)
			}
			if dl.Headers[HeaderSourceTopic] != topic {
				t.Errorf("%s = %q", HeaderSourceTopic, dl.Headers[HeaderSourceTopic])
			}
			if _, err := strconv.Atoi(dl.Headers[HeaderSourcePartition]); err != nil {
				t.Errorf("%s = %q", HeaderSourcePartition, dl.Headers[HeaderSourcePartition])
			}
			if off, err := strconv.ParseInt(dl.Headers[HeaderSourceOffset], 10, 64); err != nil || off < 1 {
				t.Errorf("%s = %q, want the offset after ok-1", HeaderSourceOffset, dl.Headers[HeaderSourceOffset])
			}
		})
	}
}

func TestConsumerShutdownFinishesInFlight(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Raw)
	produceN(t, p, topic, 0, 1)

	entered := make(chan struct{})
	release := make(chan struct{})
	ctxErr := make(chan error, 1)
	h := HandlerFunc(func(ctx context.Context, m Message) error {
		close(entered)
		<-release
		ctxErr <- ctx.Err()
		return nil
	})
	c, err := NewConsumer(ConsumerOptions{Config: cfg, Topic: topic, Group: "inflight", Handler: h, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("handler not called")
	}
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while the handler was still running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
	if e := <-ctxErr; e != nil {
		t.Errorf("handler context was cancelled by shutdown: %v", e)
	}
	if n := topicEnd(t, cfg, cfg.Topic(Dead)); n != 0 {
		t.Errorf("%d dead letters, want none", n)
	}

	// The in-flight message was committed: the group sees only new ones.
	produceN(t, p, topic, 1, 1)
	col := newCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "inflight", Handler: col})
	if got := col.wait(t, 1, 20*time.Second); string(got[0].Value) != "value-1" {
		t.Errorf("got %s, want value-1 (value-0 was committed before shutdown)", got[0].Value)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestConsumerShutdownWhileRetryingRedelivers(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	topic := cfg.Topic(Raw)
	produceN(t, p, topic, 0, 1)

	var attempts atomic.Int32
	failing := HandlerFunc(func(context.Context, Message) error {
		attempts.Add(1)
		return errors.New("index unavailable")
	})
	_, stop := runConsumer(t, ConsumerOptions{
		Config: cfg, Topic: topic, Group: "retry", Handler: failing,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
	})
	deadline := time.Now().Add(20 * time.Second)
	for attempts.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if attempts.Load() < 3 {
		t.Fatalf("handler tried %d times, want retries", attempts.Load())
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := topicEnd(t, cfg, cfg.Topic(Dead)); n != 0 {
		t.Errorf("transient failure was dead-lettered (%d dead letters)", n)
	}

	// Never committed, so the next member of the group gets it again.
	col := newCollector(nil)
	_, stop2 := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "retry", Handler: col})
	if got := col.wait(t, 1, 20*time.Second); string(got[0].Value) != "value-0" {
		t.Errorf("got %s, want value-0 again", got[0].Value)
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
}

func TestNewConsumerRejects(t *testing.T) {
	h := HandlerFunc(func(context.Context, Message) error { return nil })
	good := ConsumerOptions{Config: Config{Brokers: []string{"127.0.0.1:9092"}}, Topic: "lure.ads.raw", Group: "g", Handler: h}
	tests := []struct {
		name   string
		modify func(*ConsumerOptions)
		want   string
	}{
		{"no brokers", func(o *ConsumerOptions) { o.Config.Brokers = nil }, "no brokers"},
		{"no topic", func(o *ConsumerOptions) { o.Topic = "" }, "no topic"},
		{"no group", func(o *ConsumerOptions) { o.Group = "" }, "no group"},
		{"no handler", func(o *ConsumerOptions) { o.Handler = nil }, "no handler"},
		{"two handlers", func(o *ConsumerOptions) {
			o.Batch = BatchHandlerFunc(func(context.Context, []Message) []error { return nil })
		}, "both"},
		{"negative batch size", func(o *ConsumerOptions) { o.BatchSize = -1 }, "negative batch size"},
		{"negative timeout", func(o *ConsumerOptions) { o.HandlerTimeout = -time.Second }, "negative"},
	}
	if _, err := NewConsumer(good); err != nil {
		t.Fatalf("good options: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.modify(&o)
			_, err := NewConsumer(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "stream: ") {
				t.Errorf("err = %v, want stream: ... %q", err, tt.want)
			}
		})
	}
}
