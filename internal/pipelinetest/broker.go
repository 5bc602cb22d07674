package pipelinetest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lurewatch/lure/stream"
)

// Broker is a Kafka broker the tests can restart.
type Broker interface {
	// Brokers returns the bootstrap address; it stays the same across
	// restarts.
	Brokers() []string
	// Restart stops the broker and starts it again on the same data.
	Restart(ctx context.Context) error
	// Close stops the broker (an external one is left running).
	Close() error
	// Name says which broker this is, for test names and tables.
	Name() string
}

// Embedded is lure's embedded broker on a fixed loopback port.
type Embedded struct {
	dir, addr string
	b         *stream.Embedded
}

// StartEmbedded starts an embedded broker persisted in dir on a free
// loopback port that it keeps across restarts.
func StartEmbedded(dir string) (*Embedded, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("pipelinetest: free port: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := &Embedded{dir: dir, addr: addr}
	if err := e.start(); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *Embedded) start() error {
	var err error
	for range 50 { // the port may linger briefly after a restart
		e.b, err = stream.StartEmbedded(stream.EmbeddedOptions{DataDir: e.dir, Addr: e.addr})
		if err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("pipelinetest: start embedded broker: %w", err)
}

// Brokers implements Broker.
func (e *Embedded) Brokers() []string { return []string{e.addr} }

// Name implements Broker.
func (e *Embedded) Name() string { return "embedded" }

// Restart implements Broker.
func (e *Embedded) Restart(context.Context) error {
	if err := e.b.Close(); err != nil {
		return fmt.Errorf("pipelinetest: stop embedded broker: %w", err)
	}
	return e.start()
}

// Close implements Broker.
func (e *Embedded) Close() error { return e.b.Close() }

// External is a real Apache Kafka broker run by scripts/kafka.
type External struct {
	addr, version, dir, scripts string
}

// ExternalFromEnv describes the broker scripts/kafka/test.sh started:
// LURE_TEST_KAFKA (host:port), LURE_TEST_KAFKA_VERSION and
// LURE_TEST_KAFKA_DIR (as given to scripts/kafka/start.sh). ok is false
// when LURE_TEST_KAFKA is unset.
func ExternalFromEnv(repoRoot string) (_ *External, ok bool, _ error) {
	addr := os.Getenv("LURE_TEST_KAFKA")
	if addr == "" {
		return nil, false, nil
	}
	e := &External{
		addr:    addr,
		version: os.Getenv("LURE_TEST_KAFKA_VERSION"),
		dir:     os.Getenv("LURE_TEST_KAFKA_DIR"),
		scripts: filepath.Join(repoRoot, "scripts", "kafka"),
	}
	if e.version == "" || e.dir == "" {
		return nil, true, fmt.Errorf("pipelinetest: LURE_TEST_KAFKA is set but LURE_TEST_KAFKA_VERSION or LURE_TEST_KAFKA_DIR is not")
	}
	return e, true, nil
}

// Brokers implements Broker.
func (e *External) Brokers() []string { return []string{e.addr} }

// Name implements Broker.
func (e *External) Name() string { return "kafka-" + e.version }

// Restart implements Broker: scripts/kafka/stop.sh, then start.sh on the
// same directory and port.
func (e *External) Restart(ctx context.Context) error {
	_, port, err := net.SplitHostPort(e.addr)
	if err != nil {
		return fmt.Errorf("pipelinetest: %w", err)
	}
	if out, err := exec.CommandContext(ctx, filepath.Join(e.scripts, "stop.sh"), e.dir).CombinedOutput(); err != nil {
		return fmt.Errorf("pipelinetest: stop kafka: %w: %s", err, out)
	}
	var stderr strings.Builder
	start := exec.CommandContext(ctx, filepath.Join(e.scripts, "start.sh"), e.version, port, e.dir)
	start.Stderr = &stderr
	out, err := start.Output()
	if err != nil {
		return fmt.Errorf("pipelinetest: start kafka: %w: %s", err, stderr.String())
	}
	if got := strings.TrimSpace(string(out)); got != e.addr {
		return fmt.Errorf("pipelinetest: kafka restarted at %q, want %q", got, e.addr)
	}
	return nil
}

// Close implements Broker; the script that started the broker stops it.
func (e *External) Close() error { return nil }
