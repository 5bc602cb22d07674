package stream

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.1:19092", true},
		{"127.1.2.3:0", true},
		{"localhost:0", true},
		{"[::1]:0", true},
		{"0.0.0.0:0", false},
		{":0", false},
		{"[::]:0", false},
		{"192.0.2.10:9092", false},
		{"10.0.0.1:9092", false},
		{"example.com:9092", false},
		{"127.0.0.1", false},
		{"127.0.0.1:notaport", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := checkLoopback(tt.addr)
			if (err == nil) != tt.ok {
				t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "stream: embedded: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestStartEmbeddedRejectsNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		e, err := StartEmbedded(EmbeddedOptions{Addr: addr})
		if err == nil {
			e.Close()
			t.Fatalf("StartEmbedded(%q) succeeded", addr)
		}
	}
}

func TestEmbeddedListensOnLoopback(t *testing.T) {
	e, err := StartEmbedded(EmbeddedOptions{Addr: "localhost:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	host, _, err := net.SplitHostPort(e.Brokers()[0])
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("broker address %s is not loopback", e.Brokers()[0])
	}
	if err := e.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestEmbeddedRestartResumes is the "second lure run picks up where the
// first stopped" requirement: records and committed group offsets survive
// a broker restart on the same data directory, whether it comes back on
// the same port or another.
func TestEmbeddedRestartResumes(t *testing.T) {
	for _, samePort := range []bool{true, false} {
		t.Run("same port "+strconv.FormatBool(samePort), func(t *testing.T) {
			dir := t.TempDir()
			const first, second, stopAfter = 30, 10, 12

			// Run 1: produce, handle some, stop.
			e1, err := StartEmbedded(EmbeddedOptions{DataDir: dir, Logger: testLogger()})
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Brokers: e1.Brokers(), Partitions: 3}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := EnsureTopics(ctx, cfg); err != nil {
				t.Fatal(err)
			}
			p := NewProducer(cfg, nil)
			produceN(t, p, cfg.Topic(Raw), 0, first)
			p.Close()

			handled1 := map[string]bool{}
			var n atomic.Int32
			col1 := newCollector(func(m Message) error {
				if n.Add(1) > stopAfter {
					return errors.New("pretend the store is down") // retried, never committed
				}
				return nil
			})
			_, stop := runConsumer(t, ConsumerOptions{
				Config: cfg, Topic: cfg.Topic(Raw), Group: "classifier", Handler: col1,
				MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
			})
			for _, m := range col1.wait(t, stopAfter, 20*time.Second) {
				handled1[string(m.Value)] = true
			}
			if err := stop(); err != nil {
				t.Fatalf("Run 1: %v", err)
			}
			if err := e1.Close(); err != nil {
				t.Fatalf("Close 1: %v", err)
			}

			// Run 2: same directory; the group resumes after its commits.
			opts := EmbeddedOptions{DataDir: dir, Logger: testLogger()}
			if samePort {
				opts.Addr = e1.Brokers()[0]
			}
			e2, err := StartEmbedded(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := e2.Close(); err != nil {
					t.Errorf("Close 2: %v", err)
				}
			}()
			if samePort != (e2.Brokers()[0] == e1.Brokers()[0]) {
				t.Fatalf("restart address %s, first %s, same port %v", e2.Brokers()[0], e1.Brokers()[0], samePort)
			}
			cfg.Brokers = e2.Brokers()
			if err := EnsureTopics(ctx, cfg); err != nil {
				t.Fatalf("EnsureTopics on existing topics: %v", err)
			}
			if got := topicEnd(t, cfg, cfg.Topic(Raw)); got != first {
				t.Fatalf("after restart the topic holds %d messages, want %d", got, first)
			}
			p2 := NewProducer(cfg, nil)
			defer p2.Close()
			produceN(t, p2, cfg.Topic(Raw), first, second)

			col2 := newCollector(nil)
			_, stop2 := runConsumer(t, ConsumerOptions{Config: cfg, Topic: cfg.Topic(Raw), Group: "classifier", Handler: col2})
			want := first + second - len(handled1)
			got := col2.wait(t, want, 20*time.Second)
			select {
			case m := <-col2.ch:
				t.Errorf("extra message %s", m.Value)
			case <-time.After(500 * time.Millisecond):
			}
			if err := stop2(); err != nil {
				t.Fatalf("Run 2: %v", err)
			}
			all := map[string]bool{}
			for v := range handled1 {
				all[v] = true
			}
			for _, m := range got {
				v := string(m.Value)
				if handled1[v] {
					t.Errorf("%s was handled and committed in run 1 but delivered again", v)
				}
				all[v] = true
			}
			if len(all) != first+second {
				t.Errorf("handled %d distinct messages over both runs, want %d (lost some)", len(all), first+second)
			}
		})
	}
}

func TestEmbeddedDataDirIsExclusive(t *testing.T) {
	dir := t.TempDir()
	e1, err := StartEmbedded(EmbeddedOptions{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if e2, err := StartEmbedded(EmbeddedOptions{DataDir: dir}); err == nil {
		e2.Close()
		t.Fatal("second broker started on a data dir in use")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Errorf("err = %v, want 'in use'", err)
	}
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	e3, err := StartEmbedded(EmbeddedOptions{DataDir: dir})
	if err != nil {
		t.Fatalf("start after the first closed: %v", err)
	}
	if err := e3.Close(); err != nil {
		t.Fatal(err)
	}
}
