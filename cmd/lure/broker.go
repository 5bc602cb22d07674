package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/stream"
)

// cmdBroker runs only the embedded broker, on a fixed loopback port, so
// that separate `lure crawl`, `lure classify` and `lure serve` processes
// on this machine can share it with --brokers.
func cmdBroker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := dataDirFlag(fs, "directory of the broker's log (in "+app.Paths("DIR").Broker+", as `lure run` keeps it)")
	addr := fs.String("addr", "127.0.0.1:9092", "loopback address to listen on")
	partitions := fs.Int("partitions", stream.DefaultPartitions, "partitions of lure's topics")
	prefix := fs.String("topic-prefix", stream.DefaultTopicPrefix, "prefix of every Kafka topic")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %v", errUsage, fs.Args())
	}
	logger, err := newLogger(stderr, *level)
	if err != nil {
		return err
	}
	b, err := stream.StartEmbedded(stream.EmbeddedOptions{
		DataDir:    app.Paths(*dataDir).Broker,
		Addr:       *addr,
		Partitions: *partitions,
		Logger:     logger,
	})
	if err != nil {
		return err
	}
	cfg := stream.Config{Brokers: b.Brokers(), TopicPrefix: *prefix, Partitions: *partitions}
	if err := stream.EnsureTopics(ctx, cfg); err != nil {
		return fmt.Errorf("%w (close: %w)", err, b.Close())
	}
	// The address on stdout lets scripts start the broker on port 0.
	fmt.Fprintln(stdout, b.Brokers()[0])
	logger.Info("embedded broker listening", "addr", b.Brokers()[0], "data_dir", *dataDir)
	<-ctx.Done()
	logger.Info("embedded broker stopping")
	return b.Close()
}
