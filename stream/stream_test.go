package stream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"defaults", Config{Brokers: []string{"127.0.0.1:9092"}}, ""},
		{"several brokers", Config{Brokers: []string{"k1:9092", "k2:9092"}, TopicPrefix: "prod-lure.", Partitions: 12, ReplicationFactor: 3}, ""},
		{"no brokers", Config{}, "no brokers"},
		{"broker without port", Config{Brokers: []string{"kafka"}}, "not host:port"},
		{"broker with empty port", Config{Brokers: []string{"kafka:"}}, "not host:port"},
		{"negative partitions", Config{Brokers: []string{"k:1"}, Partitions: -1}, "partitions"},
		{"negative replication", Config{Brokers: []string{"k:1"}, ReplicationFactor: -1}, "replication"},
		{"bad prefix", Config{Brokers: []string{"k:1"}, TopicPrefix: "lure/"}, "topic prefix"},
		{"long prefix", Config{Brokers: []string{"k:1"}, TopicPrefix: strings.Repeat("a", 250)}, "longer"},
		{"port out of range", Config{Brokers: []string{"k:70000"}}, "1..65535"},
		{"ipv6 broker", Config{Brokers: []string{"[::1]:9092"}}, ""},
		{"negative in-flight", Config{Brokers: []string{"k:1"}, MaxInFlight: -1}, "in-flight"},
		{"long client id", Config{Brokers: []string{"k:1"}, ClientID: strings.Repeat("c", 256)}, "client ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "stream: config: ") {
				t.Errorf("Validate() = %v, want stream: config: ...%q", err, tt.want)
			}
		})
	}
}

func TestConfigTopic(t *testing.T) {
	if got := (Config{}).Topic(Raw); got != "lure.ads.raw" {
		t.Errorf("default Topic(Raw) = %q", got)
	}
	if got := (Config{TopicPrefix: "staging."}).Topic(Dead); got != "staging.ads.dead" {
		t.Errorf("Topic(Dead) = %q", got)
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("bad json")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", base, false},
		{"marked", Permanent(base), true},
		{"wrapped after marking", fmt.Errorf("classifier: %w", Permanent(base)), true},
		{"marked twice", Permanent(Permanent(base)), true},
		{"panic", panicError("x"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPermanent(tt.err); got != tt.want {
				t.Errorf("IsPermanent = %v, want %v", got, tt.want)
			}
		})
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	if !errors.Is(Permanent(base), base) {
		t.Error("Permanent hides the cause from errors.Is")
	}
	if Permanent(base).Error() != "bad json" {
		t.Errorf("Error() = %q", Permanent(base).Error())
	}
}

func TestMetricsCreatedUpFront(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	// four lure topics + "other" per counter
	for name, c := range map[string]prometheus.Collector{
		"produced": m.Produced, "produce errors": m.ProduceErrors, "consumed": m.Consumed,
		"handler errors": m.HandlerErrors, "dead letters": m.DeadLetters,
	} {
		if n := testutil.CollectAndCount(c); n != 5 {
			t.Errorf("%s: %d series, want 5", name, n)
		}
	}
	want := []string{
		"lure_stream_produced_total", "lure_stream_produce_errors_total", "lure_stream_consumed_total",
		"lure_stream_handler_errors_total", "lure_stream_dead_letters_total",
	}
	if n, err := testutil.GatherAndCount(reg, want...); err != nil || n != 25 {
		t.Errorf("gathered %d series (err %v), want 25", n, err)
	}
	if topicLabel("lure.", "lure.ads.raw") != "lure.ads.raw" || topicLabel("lure.", "elsewhere") != "other" {
		t.Error("topic labels not from the fixed set")
	}
	// A producer with another prefix adds that prefix's series.
	NewProducer(Config{Brokers: []string{"127.0.0.1:1"}, TopicPrefix: "x."}, m).Close()
	if n := testutil.CollectAndCount(m.Produced); n != 9 {
		t.Errorf("produced: %d series after a second prefix, want 9", n)
	}
	if NewMetrics(nil) == nil {
		t.Error("NewMetrics(nil) = nil")
	}
}

func TestConsumerLag(t *testing.T) {
	_, cfg := startBroker(t, "")
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	p := NewProducer(cfg, m)
	defer p.Close()
	topic := cfg.Topic(Raw)
	// One key, one partition: while handling message i the consumer has
	// finished i messages and is 10-i behind.
	var msgs []Message
	for i := range 10 {
		msgs = append(msgs, Message{Key: []byte("same-ad"), Value: []byte(strconv.Itoa(i))})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Produce(ctx, topic, msgs...); err != nil {
		t.Fatal(err)
	}

	var c *Consumer
	type obs struct{ lag, gauge float64 }
	seen := make(chan obs, 10)
	h := HandlerFunc(func(context.Context, Message) error {
		seen <- obs{float64(c.Lag()), testutil.ToFloat64(m.ConsumerLag.WithLabelValues(topic, "lag"))}
		return nil
	})
	c, err := NewConsumer(ConsumerOptions{Config: cfg, Topic: topic, Group: "lag", Handler: h, Metrics: m, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx) }()
	for i := range 10 {
		select {
		case o := <-seen:
			want := float64(10 - i)
			if i == 0 {
				want = 0 // nothing handled yet
			}
			if o.lag != want || o.gauge != want {
				t.Errorf("message %d: Lag %v, gauge %v, want %v", i, o.lag, o.gauge, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("message %d not handled", i)
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c.Lag() != 0 {
		t.Errorf("Lag = %d after all consumed", c.Lag())
	}
	if got := testutil.ToFloat64(m.Consumed.WithLabelValues(topic)); got != 10 {
		t.Errorf("consumed = %v, want 10", got)
	}
	if got := testutil.ToFloat64(m.Produced.WithLabelValues(topic)); got != 10 {
		t.Errorf("produced = %v, want 10", got)
	}
}
