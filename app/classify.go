package app

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/stream"
)

// scorer consumes raw ads and produces verdicts.
type scorer struct {
	classifier *classifier.Holder
	out        *stream.Producer
	topic      string
	now        func() time.Time
}

// Handle implements stream.Handler. An ad that cannot be decoded is a
// permanent error and goes to the dead-letter topic; a failed produce is
// retried by the consumer, so nothing is committed before the verdict is
// written.
func (s *scorer) Handle(ctx context.Context, m stream.Message) error {
	a, err := ad.Decode(m.Value)
	if err != nil {
		return stream.Permanent(err)
	}
	v := s.classifier.Score(ctx, a)
	v.ScoredAt = s.now().UTC()
	b, err := ad.EncodeVerdict(v)
	if err != nil {
		return stream.Permanent(fmt.Errorf("app: encode verdict %s: %w", a.ID, err))
	}
	return s.out.Produce(ctx, s.topic, stream.Message{Key: []byte(a.ID), Value: b})
}

// RulesPollInterval is how often a rules directory is checked for
// changes.
const RulesPollInterval = 2 * time.Second

// rulesStamp summarises the *.yaml files of dir (names, sizes and
// modification times) so that any edit, addition or removal changes it.
func rulesStamp(dir string) (string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return "", err
	}
	stamp := ""
	for _, n := range names {
		fi, err := os.Stat(n)
		if err != nil {
			if os.IsNotExist(err) {
				continue // removed between Glob and Stat: next poll sees it
			}
			return "", err
		}
		stamp += fmt.Sprintf("%s:%d:%d;", filepath.Base(n), fi.Size(), fi.ModTime().UnixNano())
	}
	return stamp, nil
}

// watchRules starts a goroutine that reloads h from dir whenever its rule
// files change, until ctx ends; changes made after watchRules returns are
// seen. A pack that fails to load, compile or pass its own examples is
// logged as an error and the running one is kept.
func watchRules(ctx context.Context, h *classifier.Holder, dir string, every time.Duration, log *slog.Logger) {
	last, err := rulesStamp(dir)
	if err != nil {
		log.Error("rules watch", "dir", dir, "err", err)
	}
	go pollRules(ctx, h, dir, every, last, log)
}

func pollRules(ctx context.Context, h *classifier.Holder, dir string, every time.Duration, last string, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stamp, err := rulesStamp(dir)
		if err != nil || stamp == last {
			continue
		}
		last = stamp
		reloadRules(ctx, h, os.DirFS(dir), log)
	}
}

// reloadRules loads a pack from fsys and swaps it into h.
func reloadRules(ctx context.Context, h *classifier.Holder, fsys fs.FS, log *slog.Logger) bool {
	old := h.Classifier().Pack().Version
	p, err := rules.LoadWithWeights(fsys)
	if err == nil {
		err = h.Reload(ctx, p)
	}
	if err != nil {
		log.Error("rule pack rejected; the running pack stays", "rule_pack", old, "err", err)
		return false
	}
	if p.Version != old {
		log.Info("rule pack reloaded", "rule_pack", p.Version, "previous", old, "rules", len(p.Rules))
	}
	return true
}
