package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/crawler"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/demo"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/langid"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// defaultDemoBase is the base URL the embedded demo profiles are written
// for; when the demo sites listen elsewhere, those profiles are pointed
// there.
const defaultDemoBase = "http://" + DefaultDemoAddr

// App is a running lure process. Start it with Start, stop it by
// cancelling the context given to Start, and wait with Wait.
type App struct {
	opts     Options
	registry *prometheus.Registry

	broker    *stream.Embedded
	streamCfg stream.Config
	producer  *stream.Producer
	smetrics  *stream.Metrics
	demo      *demo.Server
	store     *store.Store
	index     *index.Live
	// stopRebuild stops a background index rebuild and waits for it.
	stopRebuild func()
	// unlockServe releases the data dir's serve lock.
	unlockServe func()
	http        *http.Server
	httpAddr    net.Addr

	crawlDone   chan struct{}
	passes      atomic.Int64
	consumers   []*stream.Consumer
	consumersWG sync.WaitGroup
	stopConsume context.CancelFunc
	consumeErr  chan error

	done chan struct{}
	err  error
}

// Run starts every configured role and blocks until ctx is cancelled and
// shutdown has finished.
func Run(ctx context.Context, opts Options) error {
	a, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	return a.Wait()
}

// Start brings up the configured roles and returns once they are running.
// Cancelling ctx begins an orderly shutdown: crawling stops, queued ads are
// drained through the classifier and indexer (bounded by DrainTimeout),
// offsets are committed, and the index, store and broker are closed.
func Start(ctx context.Context, opts Options) (_ *App, err error) {
	opts.setDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	a := &App{opts: opts, registry: prometheus.NewRegistry(), done: make(chan struct{}), consumeErr: make(chan error, 4)}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	defer func() {
		if err != nil {
			a.closeResources()
		}
	}()
	if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("app: data dir: %w", err)
	}
	if err := a.startStream(ctx); err != nil {
		return nil, err
	}
	consumeCtx, stopConsume := context.WithCancel(context.WithoutCancel(ctx))
	a.stopConsume = stopConsume
	if opts.has(RoleServe) {
		if err := a.startServe(ctx, consumeCtx); err != nil {
			return nil, err
		}
	}
	if opts.has(RoleClassify) {
		if err := a.startClassify(consumeCtx); err != nil {
			return nil, err
		}
	}
	crawlCtx, stopCrawl := context.WithCancel(ctx)
	a.crawlDone = make(chan struct{})
	if opts.has(RoleCrawl) {
		if err := a.startCrawl(crawlCtx); err != nil {
			stopCrawl()
			return nil, err
		}
	} else {
		close(a.crawlDone)
	}
	go func() {
		<-ctx.Done()
		stopCrawl()
		a.err = a.shutdown()
		close(a.done)
	}()
	return a, nil
}

// Wait blocks until the app has shut down and returns the first error.
func (a *App) Wait() error {
	<-a.done
	return a.err
}

// HTTPURL is the base URL of the dashboard and API, or "" when this process
// does not serve.
func (a *App) HTTPURL() string {
	if a.httpAddr == nil {
		return ""
	}
	return "http://" + a.httpAddr.String()
}

// Brokers returns the Kafka bootstrap addresses in use.
func (a *App) Brokers() []string { return a.streamCfg.Brokers }

// DemoURL is the base URL of the demo sites, or "" when they are not served.
func (a *App) DemoURL() string {
	if a.demo == nil {
		return ""
	}
	return a.demo.URL()
}

func (a *App) startStream(ctx context.Context) error {
	brokers := a.opts.Brokers
	if len(brokers) == 0 {
		b, err := stream.StartEmbedded(stream.EmbeddedOptions{
			DataDir:    Paths(a.opts.DataDir).Broker,
			Logger:     a.opts.Logger,
			Addr:       a.opts.BrokerAddr,
			Partitions: a.opts.Partitions,
		})
		if err != nil {
			return err
		}
		a.broker = b
		brokers = b.Brokers()
		a.opts.Logger.Info("embedded broker started", "brokers", strings.Join(brokers, ","))
	}
	a.streamCfg = stream.Config{
		Brokers:           brokers,
		TopicPrefix:       a.opts.TopicPrefix,
		ClientID:          a.opts.KafkaClientID,
		Partitions:        a.opts.Partitions,
		ReplicationFactor: a.opts.ReplicationFactor,
		SASL:              a.opts.KafkaSASL,
		TLS:               a.opts.KafkaTLS,
	}
	if err := a.streamCfg.Validate(); err != nil {
		return err
	}
	if err := stream.EnsureTopics(ctx, a.streamCfg); err != nil {
		return err
	}
	a.producer = stream.NewProducer(a.streamCfg, a.streamMetrics())
	return nil
}

func (a *App) startConsumer(ctx context.Context, topic, group string, h stream.Handler) error {
	return a.runConsumer(ctx, stream.ConsumerOptions{Topic: a.streamCfg.Topic(topic), Group: a.opts.group(group), Handler: h})
}

// startBatchConsumer consumes topic in batches of Options.BatchSize with
// up to concurrency batches (of different partitions) at once.
func (a *App) startBatchConsumer(ctx context.Context, topic, group string, h stream.BatchHandler, concurrency int) error {
	return a.runConsumer(ctx, stream.ConsumerOptions{Topic: a.streamCfg.Topic(topic), Group: a.opts.group(group), Batch: h,
		BatchSize: a.opts.BatchSize, Concurrency: concurrency})
}

// runConsumer completes opts with the app's stream settings and runs the
// consumer until ctx ends.
func (a *App) runConsumer(ctx context.Context, opts stream.ConsumerOptions) error {
	opts.Config = a.streamCfg
	opts.SessionTimeout = a.opts.KafkaSessionTimeout
	opts.Dead = a.producer
	opts.Metrics = a.streamMetrics()
	opts.Logger = a.opts.Logger
	c, err := stream.NewConsumer(opts)
	if err != nil {
		return err
	}
	a.consumers = append(a.consumers, c)
	a.consumersWG.Add(1)
	go func() {
		defer a.consumersWG.Done()
		if err := c.Run(ctx); err != nil {
			a.consumeErr <- err
		}
	}()
	return nil
}

func (a *App) startServe(ctx, consumeCtx context.Context) error {
	unlock, err := lockServe(Paths(a.opts.DataDir))
	if err != nil {
		return err
	}
	a.unlockServe = unlock
	st, err := store.Open(ctx, Paths(a.opts.DataDir).Store)
	if err != nil {
		return err
	}
	a.store = st
	ix, err := a.openIndex(ctx, st)
	if err != nil {
		return err
	}
	a.index = ix
	h := &indexer{store: st, index: ix, metrics: newIndexerMetrics(a.registry)}
	if path, err := dashboard.EnsureAdmin(ctx, st, a.opts.DataDir); err != nil {
		return err
	} else if path != "" {
		a.opts.Logger.Info("created the first user, admin; its password is in a file", "file", path)
	}
	pack, err := loadRules(a.opts.RulesDir)
	if err != nil {
		return err
	}
	// Read-only use of the crawler's archived pages (same data dir).
	snaps, err := crawler.OpenSnapshots(Paths(a.opts.DataDir).Snapshots, crawler.SnapshotOptions{})
	if err != nil {
		return err
	}
	dopts := dashboard.Options{
		Store:          st,
		Index:          ix,
		IndexState:     ix.State,
		Rules:          pack,
		Snapshots:      snaps,
		Metrics:        promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{Registry: a.registry}),
		Health:         st.Ping,
		RequestMetrics: dashboard.NewMetrics(a.registry),
		Logger:         a.opts.Logger,
	}
	// Each capability of the serve role wires itself in its own file: it
	// may add indexer hooks, set dashboard options and start consumers or
	// workers on consumeCtx.
	sc := serveContext{ctx: ctx, consumeCtx: consumeCtx, store: st, pack: pack, indexer: h, dashboard: &dopts}
	for _, start := range []func(serveContext) error{a.startNotices, a.startScreening, a.startCampaign, a.startNetwork, a.startRetention} {
		if err := start(sc); err != nil {
			return err
		}
	}
	// One batch at a time: SQLite has one writer, and the hooks are
	// serialised anyway.
	if err := a.startBatchConsumer(consumeCtx, stream.Scored, DefaultIndexerGroup, h, 1); err != nil {
		return err
	}
	handler, err := dashboard.New(dopts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.opts.HTTPAddr)
	if err != nil {
		return fmt.Errorf("app: dashboard: %w", err)
	}
	a.httpAddr = ln.Addr()
	a.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.opts.Logger.Error("dashboard stopped", "err", err)
		}
	}()
	a.opts.Logger.Info("dashboard listening", "url", a.HTTPURL())
	return nil
}

func (a *App) startClassify(consumeCtx context.Context) error {
	pack, err := loadRules(a.opts.RulesDir)
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{Metrics: classifier.NewMetrics(a.registry), SiteCountry: siteCountries(a.opts.SitesDir), SiteGenre: siteGenres(a.opts.SitesDir), DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}
	a.opts.Logger.Info("classifier ready", "rule_pack", pack.Version)
	h := classifier.NewHolder(c)
	if a.opts.RulesDir != "" {
		classifier.Watch(consumeCtx, h, a.opts.RulesDir, classifier.DefaultWatchInterval, a.opts.Logger)
	}
	s := &scorer{classifier: h, out: a.producer, topic: a.streamCfg.Topic(stream.Scored), now: time.Now}
	// A batch per partition at once (up to two per CPU): one scores while
	// another waits for the brokers to take its verdicts.
	workers := min(cmp.Or(a.opts.Partitions, stream.DefaultPartitions), 2*runtime.GOMAXPROCS(0))
	return a.startBatchConsumer(consumeCtx, stream.Raw, DefaultClassifierGroup, s, workers)
}

func loadRules(dir string) (*rules.Pack, error) {
	if dir == "" {
		return rules.Default()
	}
	return rules.LoadWithWeights(os.DirFS(dir))
}

func (a *App) startCrawl(ctx context.Context) error {
	profiles, err := loadProfiles(a.opts.SitesDir)
	if err != nil {
		return err
	}
	if a.opts.Demo {
		d, err := demo.Start(a.opts.DemoAddr)
		if err != nil {
			return err
		}
		a.demo = d
		a.opts.Logger.Info("demo sites listening", "url", d.URL())
		for i := range profiles {
			if strings.HasPrefix(profiles[i].BaseURL, defaultDemoBase) {
				profiles[i].BaseURL = d.URL() + strings.TrimPrefix(profiles[i].BaseURL, defaultDemoBase)
				// The demo sites follow --recrawl, so that a removal on
				// the demo's moderation page can be seen verified soon.
				profiles[i].Recrawl = a.opts.Recrawl
			}
		}
	}
	state, err := crawler.OpenState(Paths(a.opts.DataDir).Crawl)
	if err != nil {
		return err
	}
	rawTopic := a.streamCfg.Topic(stream.Raw)
	sink := crawler.SinkFunc(func(ctx context.Context, x ad.Ad) error {
		b, err := ad.Encode(x)
		if err != nil {
			return fmt.Errorf("app: encode ad %s: %w", x.ID, err)
		}
		return a.producer.Produce(ctx, rawTopic, stream.Message{Key: []byte(x.ID), Value: b})
	})
	removedTopic := a.streamCfg.Topic(stream.Removed)
	removals := crawler.RemovalSinkFunc(func(ctx context.Context, r ad.Removal) error {
		b, err := ad.EncodeRemoval(r)
		if err != nil {
			return fmt.Errorf("app: encode removal %s: %w", r.ID, err)
		}
		return a.producer.Produce(ctx, removedTopic, stream.Message{Key: []byte(r.ID), Value: b})
	})
	snaps, err := crawler.OpenSnapshots(Paths(a.opts.DataDir).Snapshots, crawler.SnapshotOptions{})
	if err != nil {
		state.Close()
		return err
	}
	var live io.Writer
	if a.opts.ProgressTTY {
		live = a.opts.Progress
	}
	sched := crawler.ScheduleOptions{
		Crawl: crawler.Options{Profiles: profiles, Sink: sink, Removals: removals, State: state, Snapshots: snaps,
			Metrics: crawler.NewMetrics(a.registry), Progress: new(crawler.Progress), Logger: a.opts.Logger, UserAgent: a.opts.UserAgent},
		Recrawl: a.opts.Recrawl,
		Live:    live,
		OnPass:  func() { a.passes.Add(1) },
	}
	go func() {
		defer close(a.crawlDone)
		defer state.Close()
		crawler.Schedule(ctx, sched)
	}()
	return nil
}

// shutdown stops the roles in pipeline order so that nothing accepted is
// lost: first the crawler, then the consumers once the queue is drained,
// then the HTTP server, index, store, producer and broker.
func (a *App) shutdown() error {
	log := a.opts.Logger
	<-a.crawlDone
	log.Info("crawler stopped; draining queued ads", "timeout", a.opts.DrainTimeout)
	a.drain()
	a.stopConsume()
	a.consumersWG.Wait()
	close(a.consumeErr)
	var errs []error
	for err := range a.consumeErr {
		errs = append(errs, err)
	}
	if a.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, a.http.Shutdown(ctx))
		cancel()
	}
	errs = append(errs, a.closeResources())
	log.Info("shutdown complete")
	return errors.Join(errs...)
}

// crawlPasses counts finished crawl passes.
func (a *App) crawlPasses() int64 { return a.passes.Load() }

// idle reports whether every consumer has caught up with its topic.
func (a *App) idle() bool {
	for _, c := range a.consumers {
		if c.Lag() > 0 {
			return false
		}
	}
	return true
}

// drain waits until every consumer has caught up, or DrainTimeout passes.
func (a *App) drain() {
	deadline := time.Now().Add(a.opts.DrainTimeout)
	for time.Now().Before(deadline) {
		if a.idle() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	a.opts.Logger.Warn("drain timed out; the rest is picked up on the next start")
}

func (a *App) streamMetrics() *stream.Metrics {
	if a.smetrics == nil {
		a.smetrics = stream.NewMetrics(a.registry)
	}
	return a.smetrics
}

func (a *App) closeResources() error {
	var errs []error
	if a.stopRebuild != nil {
		a.stopRebuild()
	}
	if a.index != nil {
		errs = append(errs, a.index.Close())
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	if a.unlockServe != nil {
		a.unlockServe()
	}
	if a.demo != nil {
		errs = append(errs, a.demo.Close())
	}
	if a.producer != nil {
		errs = append(errs, a.producer.Close())
	}
	if a.broker != nil {
		errs = append(errs, a.broker.Close())
	}
	return errors.Join(errs...)
}
