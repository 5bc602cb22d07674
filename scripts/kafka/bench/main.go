// Command bench measures lure's Kafka pipeline: ads/s through producer →
// classifier (lure's classify role, in this process) → indexer-equivalent
// consumer (each batch's store upserts in one transaction and its index
// puts in one batch, as the serve role does), and the p50/p95 latency
// from produce to indexed, twice: at saturation (every ad produced at
// once) and at a fixed offered rate (-rate ads/s), beside the raw broker
// limit measured in the same run (the same messages produced and consumed
// with no work between). It runs on the embedded broker and, with -kafka
// (or LURE_TEST_KAFKA), on a real Kafka broker too, and prints a Markdown
// table, or with -json one JSON object (bench.PipelineReport: the
// embedded broker's ads_per_s, broker_msgs_per_s, p95_s_at_rate, … and
// every broker under "brokers").
//
//	go run ./scripts/kafka/bench -n 5000
//	go run ./scripts/kafka/bench -n 5000 -rate 1000 -json
//	scripts/kafka/bench.sh            # also starts real Apache Kafka 3.9.1
package main

import (
	"context"
	"encoding/json"
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
	"github.com/lurewatch/lure/bench"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/internal/pipelinetest"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

func main() {
	n := flag.Int("n", 5000, "ads per run")
	rate := flag.Float64("rate", 1000, "offered rate (ads/s) of the fixed-rate run; 0 skips it")
	asJSON := flag.Bool("json", false, "print one JSON object instead of the table")
	kafka := flag.String("kafka", os.Getenv("LURE_TEST_KAFKA"), "host:port of a real Kafka broker to measure too")
	kafkaName := flag.String("kafka-name", envOr("LURE_TEST_KAFKA_VERSION", "kafka"), "name of the real broker in the table")
	flag.Parse()
	if err := run(*n, *rate, *asJSON, *kafka, *kafkaName); err != nil {
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

func run(n int, rate float64, asJSON bool, kafka, kafkaName string) error {
	tmp, err := os.MkdirTemp("", "lure-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var results []bench.PipelineResult
	emb, err := pipelinetest.StartEmbedded(filepath.Join(tmp, "broker"))
	if err != nil {
		return err
	}
	r, err := measureBroker(emb.Brokers(), "embedded", n, rate, filepath.Join(tmp, "embedded"))
	if cerr := emb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	results = append(results, r)
	if kafka != "" {
		r, err := measureBroker([]string{kafka}, "Apache Kafka "+kafkaName, n, rate, filepath.Join(tmp, "kafka"))
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(bench.PipelineReport{PipelineResult: results[0], Brokers: results})
	}
	fmt.Println("| broker | ads | ads/s | broker msgs/s | ads/s ÷ broker | p50 / p95 produce→indexed | offered ads/s | p50 / p95 at that rate |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Printf("| %s | %d | %.0f | %.0f | %.2f | %v / %v | %.0f | %v / %v |\n", r.Broker, r.Ads, r.AdsPerS, r.BrokerMsgsPerS,
			r.AdsPerS/r.BrokerMsgsPerS, bench.Seconds(r.P50S), bench.Seconds(r.P95S), r.Rate,
			bench.Seconds(r.P50SAtRate), bench.Seconds(r.P95SAtRate))
	}
	return nil
}

// measureBroker measures one broker: its raw limit, the pipeline at
// saturation and, when rate > 0, the pipeline at that offered rate.
func measureBroker(brokers []string, name string, n int, rate float64, dir string) (bench.PipelineResult, error) {
	ads, err := pipelinetest.GenerateAds(n, time.Time{})
	if err != nil {
		return bench.PipelineResult{}, err
	}
	limit, err := brokerLimit(brokers, ads)
	if err != nil {
		return bench.PipelineResult{}, fmt.Errorf("%s: broker limit: %w", name, err)
	}
	sat, err := measure(brokers, name, ads, 0, filepath.Join(dir, "saturation"))
	if err != nil {
		return bench.PipelineResult{}, err
	}
	res := bench.PipelineResult{Broker: name, Ads: n, AdsPerS: float64(n) / sat.elapsed.Seconds(),
		P50S: sat.p50.Seconds(), P95S: sat.p95.Seconds(), BrokerMsgsPerS: limit}
	if rate > 0 {
		at, err := measure(brokers, name, ads, rate, filepath.Join(dir, "rate"))
		if err != nil {
			return bench.PipelineResult{}, err
		}
		res.Rate, res.P50SAtRate, res.P95SAtRate = at.offered, at.p50.Seconds(), at.p95.Seconds()
	}
	return res, nil
}

type result struct {
	elapsed  time.Duration
	offered  float64 // ads/s actually produced
	p50, p95 time.Duration
}

// brokerLimit produces the ads' messages to a fresh topic and consumes
// them with a consumer group that does nothing else, and returns the
// messages per second from the first produce to the last consumed.
func brokerLimit(brokers []string, ads []ad.Ad) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	prefix := fmt.Sprintf("limit%d.", time.Now().UnixNano())
	cfg := stream.Config{Brokers: brokers, TopicPrefix: prefix, Partitions: 4}
	if err := stream.EnsureTopics(ctx, cfg); err != nil {
		return 0, err
	}
	msgs := make([]stream.Message, len(ads))
	for i, x := range ads {
		b, err := ad.Encode(x)
		if err != nil {
			return 0, err
		}
		msgs[i] = stream.Message{Key: []byte(x.ID), Value: b}
	}
	var mu sync.Mutex
	got := 0
	done := make(chan struct{})
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	c, err := stream.NewConsumer(stream.ConsumerOptions{
		Config: cfg, Topic: cfg.Topic(stream.Raw), Group: prefix + "limit", JoinGroupBackoff: 100 * time.Millisecond,
		Batch: stream.BatchHandlerFunc(func(ctx context.Context, ms []stream.Message) []error {
			mu.Lock()
			defer mu.Unlock()
			if got += len(ms); got >= len(msgs) && got-len(ms) < len(msgs) {
				close(done)
			}
			return make([]error, len(ms))
		}),
	})
	if err != nil {
		return 0, err
	}
	cerr := make(chan error, 1)
	go func() { cerr <- c.Run(cctx) }()
	p := stream.NewProducer(cfg, nil)
	defer p.Close()
	start := time.Now()
	for i := 0; i < len(msgs); i += 100 {
		if err := p.Produce(ctx, cfg.Topic(stream.Raw), msgs[i:min(i+100, len(msgs))]...); err != nil {
			return 0, err
		}
	}
	select {
	case <-done:
	case <-ctx.Done():
		return 0, fmt.Errorf("only %d of %d messages consumed", got, len(msgs))
	}
	elapsed := time.Since(start)
	stop()
	if err := <-cerr; err != nil {
		return 0, err
	}
	return float64(len(msgs)) / elapsed.Seconds(), nil
}

// measure runs one pipeline: the classify role of package app, and a
// consumer of verdicts that does what the indexer does and records, for
// each ad, the time from its produce (ad.Crawled) to indexed.
// rate 0 produces every ad at once (saturation); rate > 0 produces them
// in ticks of 10 ms at that offered rate.
func measure(brokers []string, name string, ads []ad.Ad, rate float64, dir string) (result, error) {
	n := len(ads)
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

	p := stream.NewProducer(cfg, nil)
	defer p.Close()
	start := time.Now()
	chunk := 100
	const tick = 10 * time.Millisecond
	if rate > 0 {
		chunk = max(1, int(rate*tick.Seconds()))
	}
	for i, k := 0, 0; i < n; i, k = i+chunk, k+1 {
		if rate > 0 {
			time.Sleep(time.Until(start.Add(time.Duration(k) * time.Duration(float64(chunk)/rate*float64(time.Second)))))
		}
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
	offered := float64(n) / time.Since(start).Seconds()
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
	return result{elapsed: elapsed, offered: offered, p50: lat[len(lat)/2], p95: lat[len(lat)*95/100]}, nil
}
