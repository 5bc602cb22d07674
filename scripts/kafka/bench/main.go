// Command bench measures lure's Kafka pipeline: ads/s through producer →
// classifier (lure's classify role, in this process) → indexer-equivalent
// consumer (each batch's store upserts in one transaction and its index
// puts in one batch, as the serve role does), and the p50/p95 latency
// from produce to indexed. It runs on the embedded broker
// and, with -kafka (or LURE_TEST_KAFKA), on a real Kafka broker too, and
// prints a Markdown table.
//
//	go run ./scripts/kafka/bench -n 5000
//	scripts/kafka/bench.sh            # also starts real Apache Kafka 3.9.1
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/internal/pipelinetest"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

func main() {
	n := flag.Int("n", 5000, "ads per run")
	kafka := flag.String("kafka", os.Getenv("LURE_TEST_KAFKA"), "host:port of a real Kafka broker to measure too")
	kafkaName := flag.String("kafka-name", envOr("LURE_TEST_KAFKA_VERSION", "kafka"), "name of the real broker in the table")
	flag.Parse()
	if err := run(*n, *kafka, *kafkaName); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

type result struct {
	broker   string
	n        int
	elapsed  time.Duration
	p50, p95 time.Duration
}

func run(n int, kafka, kafkaName string) error {
	tmp, err := os.MkdirTemp("", "lure-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var results []result
	emb, err := pipelinetest.StartEmbedded(filepath.Join(tmp, "broker"))
	if err != nil {
		return err
	}
	r, err := measure(emb.Brokers(), "embedded", n, filepath.Join(tmp, "embedded"))
	if cerr := emb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	results = append(results, r)
	if kafka != "" {
		r, err := measure([]string{kafka}, "Apache Kafka "+kafkaName, n, filepath.Join(tmp, "kafka"))
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	fmt.Println("| broker | ads | ads/s | p50 produce→indexed | p95 produce→indexed |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Printf("| %s | %d | %.0f | %v | %v |\n", r.broker, r.n, float64(r.n)/r.elapsed.Seconds(),
			r.p50.Round(time.Millisecond), r.p95.Round(time.Millisecond))
	}
	return nil
}

// measure runs one pipeline: the classify role of package app, and a
// consumer of verdicts that does what the indexer does and records, for
// each ad, the time from its produce (ad.Crawled) to indexed.
func measure(brokers []string, name string, n int, dir string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	prefix := fmt.Sprintf("bench%d.", time.Now().UnixNano())
	cfg := stream.Config{Brokers: brokers, TopicPrefix: prefix, Partitions: 4}
	if err := stream.EnsureTopics(ctx, cfg); err != nil {
		return result{}, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	appCtx, stopApp := context.WithCancel(ctx)
	defer stopApp()
	a, err := app.Start(appCtx, app.Options{
		Roles: []app.Role{app.RoleClassify}, DataDir: filepath.Join(dir, "classify"), Brokers: brokers,
		TopicPrefix: prefix, ClassifierGroup: prefix + "classifier", Logger: quiet,
	})
	if err != nil {
		return result{}, err
	}
	st, err := store.Open(ctx, app.Paths(dir).Store)
	if err != nil {
		return result{}, err
	}
	defer st.Close()
	ix, err := index.Open(app.Paths(dir).Index)
	if err != nil {
		return result{}, err
	}
	defer ix.Close()

	var mu sync.Mutex
	lat := make([]time.Duration, 0, n)
	seen := make(map[string]bool, n)
	done := make(chan struct{})
	cctx, stopConsumer := context.WithCancel(ctx)
	defer stopConsumer()
	c, err := stream.NewConsumer(stream.ConsumerOptions{
		Config: cfg, Topic: cfg.Topic(stream.Scored), Group: prefix + "indexer", JoinGroupBackoff: 100 * time.Millisecond,
		Batch: stream.BatchHandlerFunc(func(ctx context.Context, ms []stream.Message) []error {
			vs := make([]ad.Verdict, 0, len(ms))
			errs := make([]error, len(ms))
			for i, m := range ms {
				v, err := ad.DecodeVerdict(m.Value)
				if err != nil {
					errs[i] = stream.Permanent(err)
					continue
				}
				vs = append(vs, v)
			}
			fail := func(err error) []error {
				for i := range errs {
					if errs[i] == nil {
						errs[i] = err
					}
				}
				return errs
			}
			if _, err := st.UpsertBatch(ctx, vs); err != nil {
				return fail(err)
			}
			if err := ix.PutAll(ctx, vs); err != nil {
				return fail(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, v := range vs {
				if !seen[v.Ad.ID] {
					seen[v.Ad.ID] = true
					lat = append(lat, time.Since(v.Ad.Crawled))
					if len(lat) == n {
						close(done)
					}
				}
			}
			return errs
		}),
	})
	if err != nil {
		return result{}, err
	}
	cerr := make(chan error, 1)
	go func() { cerr <- c.Run(cctx) }()

	ads, err := pipelinetest.GenerateAds(n, time.Time{})
	if err != nil {
		return result{}, err
	}
	p := stream.NewProducer(cfg, nil)
	defer p.Close()
	start := time.Now()
	const chunk = 100
	for i := 0; i < n; i += chunk {
		now := time.Now().UTC()
		msgs := make([]stream.Message, 0, chunk)
		for _, x := range ads[i:min(i+chunk, n)] {
			x.Crawled = now
			b, err := ad.Encode(x)
			if err != nil {
				return result{}, err
			}
			msgs = append(msgs, stream.Message{Key: []byte(x.ID), Value: b})
		}
		if err := p.Produce(ctx, cfg.Topic(stream.Raw), msgs...); err != nil {
			return result{}, err
		}
	}
	select {
	case <-done:
	case <-ctx.Done():
		return result{}, fmt.Errorf("%s: only %d of %d ads indexed", name, len(lat), n)
	}
	elapsed := time.Since(start)
	stopConsumer()
	if err := <-cerr; err != nil {
		return result{}, err
	}
	stopApp()
	if err := a.Wait(); err != nil && !strings.Contains(err.Error(), "context canceled") {
		return result{}, err
	}
	slices.Sort(lat)
	return result{broker: name, n: n, elapsed: elapsed, p50: lat[len(lat)/2], p95: lat[len(lat)*95/100]}, nil
}
