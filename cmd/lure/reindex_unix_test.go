//go:build unix

package main

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/lurewatch/lure/app"
)

func TestReindexRefusesServedDataDir(t *testing.T) {
	dir := seedDataDir(t, 1)
	f, err := os.OpenFile(app.Paths(dir).ServeLock, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"reindex", "--data-dir", dir}, nil, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "in use") {
		t.Errorf("stderr %q", errOut.String())
	}
}
