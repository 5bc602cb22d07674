package classifier

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lure/rules"
)

// syncBuffer is a log sink safe for the watcher goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// copyRulesDir writes the embedded rule pack into a new directory.
func copyRulesDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := fs.WalkDir(rules.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(rules.FS(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestWatchRules(t *testing.T) {
	dir := copyRulesDir(t)
	p, err := rules.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(c)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	Watch(ctx, h, dir, 10*time.Millisecond, log)

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(reloadWait)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; log:\n%s", what, logs.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	model := filepath.Join(dir, rules.ModelFile)
	orig, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}

	// A broken file is rejected with a clear error; the old pack runs on.
	if err := os.WriteFile(model, append(orig, []byte("\ncolour: red\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("a rejection", func() bool { return strings.Contains(logs.String(), "rule pack rejected") })
	if h.Classifier() != c || !strings.Contains(logs.String(), "model.yaml") {
		t.Fatalf("bad pack: classifier swapped or error without file name:\n%s", logs.String())
	}

	// A valid change is picked up.
	changed := strings.Replace(string(orig), "threshold: 50", "threshold: 55", 1)
	if changed == string(orig) {
		t.Fatal("model.yaml has no threshold: 50 line to change")
	}
	if err := os.WriteFile(model, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("a reload", func() bool { return h.Classifier().Pack().Model.Threshold == 55 })
	if !strings.Contains(logs.String(), "rule pack reloaded") {
		t.Errorf("reload not logged:\n%s", logs.String())
	}
}

// reloadWait bounds how long a test waits for a rule pack reload, which
// compiles the whole pack and runs every rule's examples (a few seconds
// under the race detector on a small machine).
const reloadWait = 60 * time.Second
