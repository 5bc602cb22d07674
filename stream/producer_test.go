package stream

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
)

func TestProduceKeepsKeyInOnePartition(t *testing.T) {
	_, cfg := startBroker(t, "")
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	p := NewProducer(cfg, m)
	defer p.Close()
	topic := cfg.Topic(Raw)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	const keys, perKey = 8, 5
	for round := range perKey {
		var msgs []Message
		for k := range keys {
			msgs = append(msgs, Message{
				Key:     fmt.Appendf(nil, "ad-%d", k),
				Value:   fmt.Appendf(nil, "%d/%d", k, round),
				Headers: map[string]string{"lure-round": fmt.Sprint(round)},
			})
		}
		if err := p.Produce(ctx, topic, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	if got := testutil.ToFloat64(m.Produced.WithLabelValues(topic)); got != keys*perKey {
		t.Errorf("produced metric = %v, want %d", got, keys*perKey)
	}

	col := newCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: topic, Group: "keys", Handler: col})
	got := col.wait(t, keys*perKey, 20*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	partOf := map[string]int{}
	lastRound := map[string]int{}
	partitions := map[int]bool{}
	for _, msg := range got {
		k := string(msg.Key)
		partitions[msg.Partition] = true
		if p, ok := partOf[k]; ok && p != msg.Partition {
			t.Errorf("key %s in partitions %d and %d", k, p, msg.Partition)
		}
		partOf[k] = msg.Partition
		var kn, round int
		if _, err := fmt.Sscanf(string(msg.Value), "%d/%d", &kn, &round); err != nil {
			t.Fatalf("value %q: %v", msg.Value, err)
		}
		if r, ok := lastRound[k]; ok && round != r+1 {
			t.Errorf("key %s: round %d after %d, want in order", k, round, r)
		}
		lastRound[k] = round
		if msg.Headers["lure-round"] != fmt.Sprint(round) {
			t.Errorf("header lure-round = %q, want %d", msg.Headers["lure-round"], round)
		}
		if msg.Time.IsZero() {
			t.Error("message has no timestamp")
		}
	}
	if len(partitions) < 2 {
		t.Errorf("%d keys all went to partitions %v; want them spread", keys, partitions)
	}
}

func TestProduceErrors(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()

	t.Run("missing topic is not auto-created", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
		defer cancel()
		err := p.Produce(ctx, "lure.nope", Message{Key: []byte("k"), Value: []byte("v")})
		if err == nil || !strings.HasPrefix(err.Error(), "stream: produce to lure.nope") {
			t.Fatalf("err = %v", err)
		}
		client := mustClient(t, cfg.withDefaults())
		defer closeTransport(client)
		md, err := client.Metadata(context.Background(), &kafka.MetadataRequest{Topics: []string{"lure.nope"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range md.Topics {
			if tp.Error == nil {
				t.Errorf("topic %s was created", tp.Name)
			}
		}
	})
	t.Run("too large fails at once", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		err := p.Produce(ctx, cfg.Topic(Raw), Message{Key: []byte("k"), Value: bytes.Repeat([]byte("x"), 5<<20)})
		if err == nil {
			t.Fatal("5 MiB message accepted")
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v: a permanent error was retried", d)
		}
	})
	t.Run("invalid config", func(t *testing.T) {
		bad := NewProducer(Config{}, nil)
		defer bad.Close()
		err := bad.Produce(context.Background(), "lure.ads.raw", Message{Value: []byte("v")})
		if err == nil || !strings.Contains(err.Error(), "no brokers") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("empty topic", func(t *testing.T) {
		if err := p.Produce(context.Background(), "", Message{Value: []byte("v")}); err == nil {
			t.Error("empty topic accepted")
		}
	})
	t.Run("nothing to send", func(t *testing.T) {
		if err := p.Produce(context.Background(), cfg.Topic(Raw)); err != nil {
			t.Error(err)
		}
	})
}

func TestProduceRetriesUntilBrokerIsBack(t *testing.T) {
	dir := t.TempDir()
	e1, cfg := startBroker(t, dir)
	addr := e1.Brokers()[0]
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	p := NewProducer(cfg, nil)
	defer p.Close()

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		done <- p.Produce(ctx, cfg.Topic(Raw), Message{Key: []byte("k"), Value: []byte("while down")})
	}()
	time.Sleep(300 * time.Millisecond) // a few failed attempts
	e2, err := StartEmbedded(EmbeddedOptions{DataDir: dir, Addr: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if err := <-done; err != nil {
		t.Fatalf("Produce across a broker restart: %v", err)
	}
	if n := topicEnd(t, cfg, cfg.Topic(Raw)); n != 1 {
		t.Errorf("topic holds %d messages, want 1", n)
	}
}
