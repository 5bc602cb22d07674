package stream

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"

	"github.com/twmb/franz-go/pkg/kfake"
)

// EmbeddedOptions configures StartEmbedded.
type EmbeddedOptions struct {
	// DataDir is where the broker keeps topics, records and committed
	// group offsets, so a restart on the same directory continues where
	// the last run stopped. One broker at a time may use a directory (an
	// advisory lock guards it). Empty keeps everything in memory.
	DataDir string
	// Addr is the loopback host:port to listen on. Default "127.0.0.1:0"
	// (a free port). Addresses that are not loopback are rejected: the
	// embedded broker has no authentication.
	Addr string
	// Partitions is the default partition count of topics created without
	// one. Default 4.
	Partitions int
	// Logger receives the broker's warnings and errors. Default: discarded.
	Logger *slog.Logger
}

// Embedded is a single-node Kafka-protocol broker running in this process.
// Clients reach it over TCP at Brokers(), exactly as they reach a real
// cluster.
type Embedded struct {
	cluster *kfake.Cluster
	addr    string
	log     *errorLog
	unlock  func()

	closeOnce sync.Once
	closeErr  error
}

// StartEmbedded starts an embedded broker and, if opts.DataDir holds state
// from an earlier run, reloads it.
func StartEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Partitions == 0 {
		opts.Partitions = DefaultPartitions
	}
	if opts.Partitions < 0 {
		return nil, fmt.Errorf("stream: embedded: negative partitions %d", opts.Partitions)
	}
	if err := checkLoopback(opts.Addr); err != nil {
		return nil, err
	}
	unlock := func() {}
	if opts.DataDir != "" {
		if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("stream: embedded: data dir: %w", err)
		}
		var err error
		if unlock, err = lockDir(opts.DataDir); err != nil {
			return nil, err
		}
	}
	elog := &errorLog{slog: opts.Logger}
	var bound string
	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.DefaultNumPartitions(opts.Partitions),
		kfake.WithLogger(elog),
		// kfake asks for 127.0.0.1:<port>; we listen where we were told.
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			ln, err := net.Listen(network, opts.Addr)
			if err == nil {
				bound = ln.Addr().String()
			}
			return ln, err
		}),
	}
	if opts.DataDir != "" {
		kopts = append(kopts, kfake.DataDir(opts.DataDir))
	}
	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("stream: embedded: start: %w", err)
	}
	return &Embedded{cluster: c, addr: bound, log: elog, unlock: unlock}, nil
}

// checkLoopback accepts host:port where host is localhost or a loopback IP.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("stream: embedded: address %q: %w", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("stream: embedded: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("stream: embedded: address %q is not loopback", addr)
}

// Brokers returns the address clients bootstrap from.
func (e *Embedded) Brokers() []string { return []string{e.addr} }

// Close stops the broker. With a DataDir it first writes all state (topic
// metadata, segment indexes, group offsets) to disk and syncs it; records
// and offset commits were already appended while running. It returns any
// error the broker reported while persisting.
func (e *Embedded) Close() error {
	e.closeOnce.Do(func() {
		e.cluster.Close()
		e.unlock()
		if errs := e.log.errors(); len(errs) > 0 {
			e.closeErr = fmt.Errorf("stream: embedded: close: %w", errors.Join(errs...))
		}
	})
	return e.closeErr
}

// errorLog adapts kfake's logger: it keeps errors for Close to return and
// passes warnings and errors on to slog.
type errorLog struct {
	slog *slog.Logger
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) Logf(level kfake.LogLevel, format string, args ...any) {
	switch level {
	case kfake.LogLevelError:
		err := fmt.Errorf(format, args...)
		l.mu.Lock()
		l.errs = append(l.errs, err)
		l.mu.Unlock()
		if l.slog != nil {
			l.slog.Error("embedded broker", "err", err)
		}
	case kfake.LogLevelWarn:
		if l.slog != nil {
			l.slog.Warn("embedded broker", "msg", fmt.Sprintf(format, args...))
		}
	}
}

func (l *errorLog) errors() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}
