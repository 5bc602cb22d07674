package pipelinetest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/stream"
)

// numAds is how many ads each pipeline run pushes through.
const numAds = 10_000

// numBad is how many undecodable or wrongly versioned messages it injects.
const numBad = 30

var (
	lureBin  string // the lure binary, built once by TestMain
	repoRoot string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipelinetest: go env GOMOD:", err)
		return 1
	}
	repoRoot = filepath.Dir(strings.TrimSpace(string(out)))
	dir, err := os.MkdirTemp("", "lure-pipelinetest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipelinetest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	lureBin = filepath.Join(dir, "lure")
	build := exec.Command("go", "build", "-o", lureBin, "./cmd/lure")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "pipelinetest: build lure: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

func TestPipelineEmbedded(t *testing.T) {
	b, err := StartEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	runPipeline(t, b)
}

// TestPipelineKafka runs against the real Apache Kafka broker that
// scripts/kafka/test.sh starts (it sets LURE_TEST_KAFKA and friends).
func TestPipelineKafka(t *testing.T) {
	ext, ok, err := ExternalFromEnv(repoRoot)
	if !ok {
		t.Skip("LURE_TEST_KAFKA is not set: scripts/kafka/test.sh runs this test against real Apache Kafka")
	}
	if err != nil {
		t.Fatal(err)
	}
	runPipeline(t, ext)
}

// sessionTimeout is the consumer-group session timeout of every role in
// the test: the broker minimum, so a killed classifier's partitions move
// on quickly.
const sessionTimeout = "6s"

// runPipeline pushes numAds ads and numBad bad messages through
// producer → `lure classify` subprocesses → indexer (package app, in
// this process) while killing the classifier, restarting the broker and
// rebalancing, then checks the store, the index and the dead letters.
func runPipeline(t *testing.T, b Broker) {
	// The deadline only stops a hung run: this suite checks that nothing
	// is lost or duplicated, not how fast (scripts/kafka/bench measures
	// that), and a run that stops making progress fails within a minute
	// (below). Under -race on two cores a healthy run has taken five to
	// ten minutes alone, more beside the other packages' tests.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	prefix := fmt.Sprintf("it%d.", time.Now().UnixNano())
	cfg := stream.Config{Brokers: b.Brokers(), TopicPrefix: prefix, Partitions: 4}
	if err := stream.EnsureTopics(ctx, cfg); err != nil {
		t.Fatalf("EnsureTopics: %v", err)
	}
	tmp := t.TempDir()

	// The indexer: lure's serve role, in this process.
	serveDir := filepath.Join(tmp, "serve")
	appCtx, stopApp := context.WithCancel(ctx)
	defer stopApp()
	a, err := app.Start(appCtx, app.Options{
		Roles: []app.Role{app.RoleServe}, DataDir: serveDir, Brokers: b.Brokers(), TopicPrefix: prefix,
		HTTPAddr: "127.0.0.1:0", IndexerGroup: prefix + "indexer", KafkaSessionTimeout: 6 * time.Second,
		DrainTimeout: time.Second,
		Logger:       slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("app.Start: %v", err)
	}

	procs := &classifiers{t: t, dir: tmp, args: []string{
		"classify", "--brokers", strings.Join(b.Brokers(), ","), "--topic-prefix", prefix,
		"--classifier-group", prefix + "classifier", "--kafka-session-timeout", sessionTimeout, "--log-level", "warn",
	}}
	defer procs.stopAll()
	procs.start("a")

	ads, err := GenerateAds(numAds, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	bad := BadMessages(numBad)
	p := stream.NewProducer(cfg, nil)
	defer p.Close()

	const chunks = 20
	per := numAds / chunks
	for c := range chunks {
		msgs := make([]stream.Message, 0, per)
		for _, x := range ads[c*per : (c+1)*per] {
			m, err := RawMessage(x)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, m)
		}
		if err := p.Produce(ctx, cfg.Topic(stream.Raw), msgs...); err != nil {
			t.Fatalf("produce chunk %d: %v", c, err)
		}
		for i := c; i < len(bad); i += chunks {
			if err := p.Produce(ctx, cfg.Topic(bad[i].Topic), bad[i].Msg); err != nil {
				t.Fatalf("produce bad message %d: %v", i, err)
			}
		}
		switch c {
		case 3, 11, 16:
			procs.kill("a")
			procs.start("a")
		case 6:
			procs.start("b") // joins the group: rebalance
		case 9:
			procs.stop("b") // leaves the group: rebalance
		case 13:
			t.Logf("restarting the broker")
			if err := b.Restart(ctx); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(200 * time.Millisecond)
		t.Logf("chunk %d produced", c)
	}
	t.Logf("produced %d ads and %d bad messages", numAds, numBad)

	// Wait until every ad is stored.
	reader, err := store.Open(ctx, app.Paths(serveDir).Store)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	lastLog := start
	lastTotal, lastChange := 0, start
	for {
		_, total, err := reader.List(ctx, store.Filter{Limit: 1})
		if err != nil {
			procs.dumpLogs()
			t.Fatalf("%v (%d stored)", err, total)
		}
		if total >= numAds {
			break
		}
		if total != lastTotal {
			lastTotal, lastChange = total, time.Now()
		}
		if time.Since(lastChange) > 45*time.Second {
			procs.dumpLogs()
			dumpGoroutines(t)
			t.Fatalf("stuck at %d of %d ads stored", total, numAds)
		}
		if time.Since(lastLog) > 5*time.Second {
			t.Logf("%d of %d ads stored, %d verdicts produced", total, numAds, topicSize(ctx, cfg, stream.Scored))
			lastLog = time.Now()
		}
		time.Sleep(250 * time.Millisecond)
	}
	reader.Close()
	t.Logf("all ads stored %v after the last produce", time.Since(start).Round(time.Millisecond))
	waitDead(ctx, t, cfg, numBad)
	procs.stop("a")
	stopApp()
	if err := a.Wait(); err != nil {
		t.Errorf("indexer shutdown: %v", err)
	}

	checkStore(ctx, t, serveDir, ads)
	checkDead(ctx, t, cfg, bad)
}

// checkStore asserts that the store holds exactly one record per ad and
// nothing else, and that the index holds exactly the flagged ones.
func checkStore(ctx context.Context, t *testing.T, dir string, ads []ad.Ad) {
	t.Helper()
	st, err := store.Open(ctx, app.Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, total, err := st.List(ctx, store.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(ads) {
		t.Errorf("store holds %d ads, want %d", total, len(ads))
	}
	flaggedIDs := map[string]bool{}
	for i := 0; i < len(ads); i += store.MaxIDs {
		ids := make([]string, 0, store.MaxIDs)
		for _, x := range ads[i:min(i+store.MaxIDs, len(ads))] {
			ids = append(ids, x.ID)
		}
		got, n, err := st.List(ctx, store.Filter{IDs: ids, Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(ids) {
			t.Errorf("ads %d..%d: %d stored, want %d", i, i+len(ids)-1, n, len(ids))
		}
		for off := store.MaxLimit; off < n; off += store.MaxLimit {
			more, _, err := st.List(ctx, store.Filter{IDs: ids, Limit: store.MaxLimit, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, more...)
		}
		for _, v := range got {
			if v.Flagged {
				flaggedIDs[v.Ad.ID] = true
			}
		}
	}
	yes := true
	_, flagged, err := st.List(ctx, store.Filter{Flagged: &yes, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if flagged != len(flaggedIDs) {
		t.Errorf("store: %d flagged in total, %d among the generated ads", flagged, len(flaggedIDs))
	}
	if flagged == 0 || flagged == len(ads) {
		t.Errorf("%d of %d ads flagged: the test data should hold both kinds", flagged, len(ads))
	}
	ix, err := index.Open(app.Paths(dir).Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != flagged {
		t.Errorf("index holds %d ads, want the %d flagged ones", n, flagged)
	}
	t.Logf("store: %d ads, %d flagged; index: %d", total, flagged, n)
}

// dumpGoroutines writes this process's goroutines to goroutines.txt in
// the test's log directory (LURE_TEST_DUMP_DIR or the temp dir).
func dumpGoroutines(t *testing.T) {
	dir := os.Getenv("LURE_TEST_DUMP_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "lure-pipelinetest-goroutines-*.txt")
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("goroutine").WriteTo(f, 2)
	t.Logf("goroutines written to %s", f.Name())
}

// topicSize returns how many messages were written to the logical topic
// name, or -1 if the broker does not say.
func topicSize(ctx context.Context, cfg stream.Config, name string) int64 {
	ends, err := stream.EndOffsets(ctx, cfg, cfg.Topic(name))
	if err != nil {
		return -1
	}
	var sum int64
	for _, e := range ends {
		sum += e
	}
	return sum
}

// waitDead waits until the dead-letter topic holds at least want messages.
func waitDead(ctx context.Context, t *testing.T, cfg stream.Config, want int) {
	t.Helper()
	for {
		ends, err := stream.EndOffsets(ctx, cfg, cfg.Topic(stream.Dead))
		if err == nil {
			var sum int64
			for _, e := range ends {
				sum += e
			}
			if sum >= int64(want) {
				return
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("dead letters: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkDead reads the whole dead-letter topic and asserts that it holds
// the injected bad messages, each with its original bytes and an error,
// and nothing else.
func checkDead(ctx context.Context, t *testing.T, cfg stream.Config, bad []BadMessage) {
	t.Helper()
	ends, err := stream.EndOffsets(ctx, cfg, cfg.Topic(stream.Dead))
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, e := range ends {
		total += e
	}
	want := map[string]BadMessage{}
	for _, b := range bad {
		want[string(b.Msg.Key)] = b
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var read int64
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	c, err := stream.NewConsumer(stream.ConsumerOptions{
		Config: cfg, Topic: cfg.Topic(stream.Dead), Group: cfg.TopicPrefix + "deadcheck", JoinGroupBackoff: 100 * time.Millisecond,
		Handler: stream.HandlerFunc(func(_ context.Context, m stream.Message) error {
			mu.Lock()
			defer mu.Unlock()
			read++
			k := string(m.Key)
			seen[k]++
			b, ok := want[k]
			switch {
			case !ok:
				t.Errorf("dead letter with key %q was not injected (error %q)", k, m.Headers[stream.HeaderError])
			case !bytes.Equal(m.Value, b.Msg.Value):
				t.Errorf("dead letter %s: value %q, want the original %q", k, m.Value, b.Msg.Value)
			case m.Headers[stream.HeaderError] == "" || m.Headers[stream.HeaderSourceTopic] != cfg.Topic(b.Topic):
				t.Errorf("dead letter %s: headers %v", k, m.Headers)
			}
			if read == total {
				stop()
			}
			return nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(rctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if read != total {
		t.Fatalf("read %d of %d dead letters", read, total)
	}
	for k := range want {
		if seen[k] == 0 {
			t.Errorf("bad message %s is not in the dead-letter topic", k)
		}
	}
	t.Logf("dead letters: %d (%d distinct, %d injected)", total, len(seen), len(bad))
}

// classifiers runs `lure classify` subprocesses by name.
type classifiers struct {
	t    *testing.T
	dir  string
	args []string
	mu   sync.Mutex
	cmds map[string]*exec.Cmd
}

func (c *classifiers) start(name string) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmds == nil {
		c.cmds = map[string]*exec.Cmd{}
	}
	logf, err := os.OpenFile(filepath.Join(c.dir, "classify-"+name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	args := append(append([]string{}, c.args...), "--data-dir", filepath.Join(c.dir, "classify-"+name))
	cmd := exec.Command(lureBin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	logf.Close()
	c.cmds[name] = cmd
}

// kill sends SIGKILL: no commit, no leaving the group.
func (c *classifiers) kill(name string) { c.signal(name, syscall.SIGKILL) }

// stop sends SIGTERM: the classifier finishes, commits and leaves.
func (c *classifiers) stop(name string) { c.signal(name, syscall.SIGTERM) }

func (c *classifiers) signal(name string, sig syscall.Signal) {
	c.t.Helper()
	c.mu.Lock()
	cmd := c.cmds[name]
	delete(c.cmds, name)
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	err := cmd.Wait()
	if sig == syscall.SIGTERM && err != nil {
		b, _ := os.ReadFile(filepath.Join(c.dir, "classify-"+name+".log"))
		c.t.Errorf("classifier %s: %v\n%s", name, err, b)
	}
}

// dumpLogs shows what the classifiers logged.
func (c *classifiers) dumpLogs() {
	logs, _ := filepath.Glob(filepath.Join(c.dir, "classify-*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		if len(b) > 8000 {
			b = b[len(b)-8000:]
		}
		c.t.Logf("%s:\n%s", filepath.Base(l), b)
	}
}

func (c *classifiers) stopAll() {
	c.mu.Lock()
	names := make([]string, 0, len(c.cmds))
	for n := range c.cmds {
		names = append(names, n)
	}
	c.mu.Unlock()
	for _, n := range names {
		c.kill(n)
	}
}
