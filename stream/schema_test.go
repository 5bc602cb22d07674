package stream

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestSchemaOf(t *testing.T) {
	tests := []struct{ name, want string }{
		{Raw, SchemaAd}, {Scored, SchemaVerdict}, {Removed, SchemaRemoved}, {Dead, ""}, {"other", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SchemaOf(tt.name); got != tt.want {
				t.Errorf("SchemaOf(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestConsumerRejectsUnknownSchema checks that Produce stamps the schema
// header and that a consumer dead-letters messages of a schema it does
// not know, unread, while handling the rest.
func TestConsumerRejectsUnknownSchema(t *testing.T) {
	_, cfg := startBroker(t, "")
	m := NewMetrics(prometheus.NewRegistry())
	p := NewProducer(cfg, m)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs := []Message{
		{Key: []byte("current"), Value: []byte("v1 body")},
		{Key: []byte("future"), Value: []byte("v9 body"), Headers: map[string]string{HeaderSchema: "ad/v9"}},
		{Key: []byte("explicit"), Value: []byte("v1 body"), Headers: map[string]string{HeaderSchema: SchemaAd}},
	}
	if err := p.Produce(ctx, cfg.Topic(Raw), msgs...); err != nil {
		t.Fatal(err)
	}
	handled := newCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "schema", Handler: handled, Metrics: m, Dead: p})
	got := handled.wait(t, 2, 15*time.Second)
	for _, g := range got {
		if g.Headers[HeaderSchema] != SchemaAd {
			t.Errorf("handled %s with schema %q, want %q", g.Key, g.Headers[HeaderSchema], SchemaAd)
		}
		if string(g.Key) == "future" {
			t.Error("the ad/v9 message reached the handler")
		}
	}
	dead := newCollector(nil)
	_, stopDead := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Dead), Group: "schema-dead", Handler: dead})
	dl := dead.wait(t, 1, 15*time.Second)[0]
	if string(dl.Key) != "future" || string(dl.Value) != "v9 body" || !strings.Contains(dl.Headers[HeaderError], `unknown schema "ad/v9"`) {
		t.Errorf("dead letter %s %q headers %v", dl.Key, dl.Value, dl.Headers)
	}
	if err := stopDead(); err != nil {
		t.Error(err)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
	if n := testutil.ToFloat64(m.SchemaRejected.WithLabelValues(cfg.Topic(Raw))); n != 1 {
		t.Errorf("schema_rejected_total = %v, want 1", n)
	}
}

// TestKafkaStatsCollector checks that kafka-go's Stats() reach Prometheus
// and keep counting after the clients closed.
func TestKafkaStatsCollector(t *testing.T) {
	_, cfg := startBroker(t, "")
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	p := NewProducer(cfg, m)
	produceN(t, p, cfg.Topic(Raw), 0, 20)
	handled := newCollector(nil)
	_, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "stats", Handler: handled, Metrics: m})
	handled.wait(t, 20, 15*time.Second)
	waitFor(t, "partition lag series", func() bool { return testutil.CollectAndCount(m.PartitionLag) > 0 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	raw := cfg.Topic(Raw)
	if n := testutil.ToFloat64(m.stats.writeMsgs); n < 20 {
		t.Errorf("lure_kafka_writer_messages_total = %v, want >= 20", n)
	}
	if n := testutil.ToFloat64(m.stats.readMsgs.WithLabelValues(raw, "stats")); n < 20 {
		t.Errorf("lure_kafka_reader_messages_total = %v, want >= 20", n)
	}
	if n := testutil.ToFloat64(m.stats.rebalances.WithLabelValues(raw, "stats")); n < 1 {
		t.Errorf("lure_kafka_reader_rebalances_total = %v, want >= 1 (the first join)", n)
	}
	// The collector is registered and its names are lure's.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, want := range []string{"lure_kafka_writer_messages_total", "lure_kafka_reader_rebalances_total", "lure_stream_partition_lag", "lure_stream_schema_rejected_total"} {
		if !names[want] {
			t.Errorf("metric %s not registered", want)
		}
	}
}

// TestProduceBackPressure checks that a producer with every in-flight
// slot taken blocks new Produce calls until their context ends.
func TestProduceBackPressure(t *testing.T) {
	_, cfg := startBroker(t, "")
	cfg.MaxInFlight = 1
	p := NewProducer(cfg, nil)
	defer p.Close()
	p.slots <- struct{}{} // a call in flight
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := p.Produce(ctx, cfg.Topic(Raw), Message{Key: []byte("k"), Value: []byte("v")})
	if err == nil || !strings.Contains(err.Error(), "in-flight slot") {
		t.Fatalf("Produce with no free slot = %v, want an in-flight slot error", err)
	}
	<-p.slots
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel2()
	if err := p.Produce(ctx2, cfg.Topic(Raw), Message{Key: []byte("k"), Value: []byte("v")}); err != nil {
		t.Fatalf("Produce with a free slot: %v", err)
	}
}

// TestGroupLag checks the broker-side lag the stall watchdog relies on.
func TestGroupLag(t *testing.T) {
	_, cfg := startBroker(t, "")
	p := NewProducer(cfg, nil)
	defer p.Close()
	produceN(t, p, cfg.Topic(Raw), 0, 7)
	handled := newCollector(nil)
	c, stop := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "lag", Handler: handled, CommitInterval: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	handled.wait(t, 7, 15*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if lag, err := c.groupLag(ctx); err != nil || lag != 0 {
		t.Errorf("groupLag after consuming everything = %d, %v; want 0", lag, err)
	}
	produceN(t, p, cfg.Topic(Raw), 7, 3)
	if lag, err := c.groupLag(ctx); err != nil || lag != 3 {
		t.Errorf("groupLag with 3 new messages = %d, %v; want 3", lag, err)
	}
}
