package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lurewatch/lure/rules"
)

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

// reloadWait bounds how long a test waits for a rule pack reload, which
// compiles the whole pack and runs every rule's examples (a few seconds
// under the race detector on a small machine).
const reloadWait = 60 * time.Second
