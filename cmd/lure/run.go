package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"golang.org/x/term"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/exchange"
	"github.com/lurewatch/lure/stream"
)

func cmdRun(ctx context.Context, cmd string, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o app.Options
	dataDir := dataDirFlag(fs, "directory for the embedded broker, crawl state, store and index")
	brokers := fs.String("brokers", os.Getenv("LURE_BROKERS"), "comma-separated Kafka bootstrap brokers; empty starts the embedded broker (env LURE_BROKERS)")
	fs.StringVar(&o.BrokerAddr, "broker-addr", app.DefaultBrokerAddr, "listen address of the embedded broker (loopback only)")
	fs.StringVar(&o.TopicPrefix, "topic-prefix", stream.DefaultTopicPrefix, "prefix of every Kafka topic")
	fs.IntVar(&o.Partitions, "partitions", stream.DefaultPartitions, "partitions of the topics lure creates")
	kafka := addKafkaFlags(fs, &o)
	fs.StringVar(&o.HTTPAddr, "http", envOr("LURE_HTTP", app.DefaultHTTPAddr), "dashboard, API, /metrics and /healthz address (env LURE_HTTP)")
	fs.BoolVar(&o.Demo, "demo", cmd == "run", "serve the bundled demo sites and crawl them")
	fs.StringVar(&o.DemoAddr, "demo-addr", app.DefaultDemoAddr, "listen address of the demo sites")
	fs.StringVar(&o.SitesDir, "sites", "", "directory of site profiles (default: the embedded profiles)")
	fs.StringVar(&o.RulesDir, "rules", "", "directory of rule packs (default: the embedded packs)")
	fs.DurationVar(&o.Recrawl, "recrawl", 0, "recrawl interval for site profiles that set none, and for the demo sites (default "+durationText(app.DefaultRecrawl)+")")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", 0, "how long shutdown waits for queued ads (default "+durationText(app.DefaultDrainTimeout)+")")
	fs.StringVar(&o.UserAgent, "user-agent", os.Getenv("LURE_USER_AGENT"), "crawler User-Agent, with a contact URL (env LURE_USER_AGENT; default lure's own)")
	fs.StringVar(&o.NotifierName, "notifier-name", os.Getenv("LURE_NOTIFIER_NAME"), "name of the person or organisation sending takedown notices (env LURE_NOTIFIER_NAME)")
	fs.StringVar(&o.NotifierEmail, "notifier-email", os.Getenv("LURE_NOTIFIER_EMAIL"), "e-mail address of the notifier of takedown notices (env LURE_NOTIFIER_EMAIL)")
	fs.DurationVar(&o.NoticeOverdue, "notice-overdue", 0, "how long a sent takedown notice may stay open before it is overdue (default "+durationText(app.DefaultNoticeOverdue)+")")
	fs.Float64Var(&o.ScoreRate, "score-rate", 0, fmt.Sprintf("screening API: ads per second per API token (default %g)", app.DefaultScoreRate))
	fs.IntVar(&o.ScoreBurst, "score-burst", 0, fmt.Sprintf("screening API: burst of ads per API token, also the largest batch (default %d)", app.DefaultScoreBurst))
	fs.IntVar(&o.ScoreConcurrency, "score-concurrency", 0, "screening API: requests scored at once across all tokens; others wait up to "+durationText(app.DefaultScoreSlotWait)+", then get 503 (default 2 per CPU)")
	fs.BoolVar(&o.WebhookAllowPrivate, "webhook-allow-private", false, "let webhooks reach loopback, private and link-local addresses (receivers on a private network)")
	retentionFlags(fs, &o.Retention)
	shareKey := fs.String("share-key-file", os.Getenv("LURE_SHARE_KEY_FILE"), "key shared with partner organisations, to mark ads known to them as they arrive (env LURE_SHARE_KEY_FILE)")
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
	o.Logger = logger
	o.DataDir = *dataDir
	if *shareKey != "" {
		if o.ShareKey, err = exchange.LoadKey(*shareKey); err != nil {
			return err
		}
	}
	o.Brokers = splitList(*brokers)
	if err := kafka.apply(&o); err != nil {
		return err
	}
	if cmd == "crawl" && term.IsTerminal(int(os.Stderr.Fd())) {
		o.Progress, o.ProgressTTY = stderr, true
	}
	switch cmd {
	case "run":
		o.Roles = app.AllRoles
	case "crawl":
		o.Roles = []app.Role{app.RoleCrawl}
	case "classify":
		o.Roles = []app.Role{app.RoleClassify}
	case "serve":
		o.Roles = []app.Role{app.RoleServe}
	}
	logger.Info("lure starting", "version", version(), "roles", fmt.Sprint(o.Roles), "data_dir", o.DataDir)
	return app.Run(ctx, o)
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}
