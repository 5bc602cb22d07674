// Command lure finds deceptive recruitment ads: it crawls regional job and
// marriage-agency sites, scores each ad for deception signals and serves the
// risky ones to analysts. See README.md for the roles and flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `lure finds deceptive recruitment ads.

Usage:
  lure run       [flags]   every role in one process: embedded broker, demo sites,
                           crawler, classifier, indexer and dashboard
  lure crawl     [flags]   crawler role only
  lure classify  [flags]   classifier role only
  lure serve     [flags]   indexer and dashboard role only
  lure score     [flags] [FILE|-]
                           score JSON Lines of ads, print one verdict per line
  lure rules test|lint [flags]
                           run every rule's own examples / check the rule packs
  lure sites add|lint|try  write a profile from what a site publishes / check site
                           profiles / show what a profile extracts from a page
  lure eval      [flags] FILE...
                           measure the classifier on labelled ads (lure JSON Lines,
                           EMSCAD, DIFrauD, Russian vacancy CSVs)
  lure fit       [flags] FILE...
                           fit rule weights from labelled ads (cross-validated),
                           print before/after metrics and the weight diff
  lure broker    [flags]   only the embedded broker, on a fixed loopback port, for
                           separate crawl/classify/serve processes (--brokers)
  lure users     add|passwd|disable|enable|role|list|token
                           manage dashboard users and API tokens
  lure reindex   [--data-dir DIR]
                           rebuild the search index from the store (offline)
  lure purge     [--data-dir DIR] [--dry-run|--apply] [-v] [--retain-* D]
                           remove what the retention periods no longer allow (offline)
  lure erase     [--data-dir DIR] --contact VALUE [--dry-run]
                           erase one phone, e-mail or handle everywhere (offline)
  lure indicators export|import|match|list
                           share indicators of confirmed ads with partner
                           organisations (STIX 2.1 / MISP)
  lure version

Run "lure COMMAND -h" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "run", "crawl", "classify", "serve":
		err = cmdRun(ctx, cmd, rest, stderr)
	case "broker":
		err = cmdBroker(ctx, rest, stdout, stderr)
	case "users":
		err = cmdUsers(ctx, rest, stdin, stdout, stderr)
	case "reindex":
		err = cmdReindex(ctx, rest, stdout, stderr)
	case "purge":
		err = cmdPurge(ctx, rest, stdout, stderr)
	case "erase":
		err = cmdErase(ctx, rest, stdout, stderr)
	case "indicators":
		err = cmdIndicators(ctx, rest, stdout, stderr)
	case "score":
		err = cmdScore(ctx, rest, stdin, stdout, stderr)
	case "rules":
		err = cmdRules(rest, stdout, stderr)
	case "sites":
		err = cmdSites(ctx, rest, stdout, stderr)
	case "eval":
		err = cmdEval(ctx, rest, stdout, stderr)
	case "fit":
		err = cmdFit(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "lure", version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "lure: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "lure:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "lure:", err)
		return 1
	}
}

var errUsage = errors.New("usage")

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("%w: log level %q: want debug, info, warn or error", errUsage, level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// splitList parses a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
