package classifier

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textmodel"
)

// DefaultWatchInterval is how often Watch callers usually check a rules
// directory for changes.
const DefaultWatchInterval = 2 * time.Second

// Watch starts a goroutine that reloads h from the rule packs in dir
// (with their weights and text model, rules.LoadWithWeights) whenever its
// *.yaml files or textmodel.File change, checking every interval, until ctx ends; changes made after
// Watch returns are seen. A pack that fails to load, compile or pass its
// own examples is logged as an error and the running one is kept.
func Watch(ctx context.Context, h *Holder, dir string, every time.Duration, log *slog.Logger) {
	last, err := rulesStamp(dir)
	if err != nil {
		log.Error("rules watch", "dir", dir, "err", err)
	}
	go pollRules(ctx, h, dir, every, last, log)
}

// rulesStamp summarises the *.yaml files and the text model of dir
// (names, sizes and modification times) so that any edit, addition or
// removal changes it.
func rulesStamp(dir string) (string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return "", err
	}
	names = append(names, filepath.Join(dir, textmodel.File))
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

func pollRules(ctx context.Context, h *Holder, dir string, every time.Duration, last string, log *slog.Logger) {
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
func reloadRules(ctx context.Context, h *Holder, fsys fs.FS, log *slog.Logger) bool {
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
