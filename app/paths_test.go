package app

import (
	"path/filepath"
	"testing"
)

// TestPaths pins the data-directory layout: existing data directories
// are found under these names.
func TestPaths(t *testing.T) {
	got := Paths(filepath.Join("srv", "lure"))
	want := DataPaths{
		Store:     filepath.Join("srv", "lure", "lure.db"),
		Index:     filepath.Join("srv", "lure", "index"),
		Crawl:     filepath.Join("srv", "lure", "crawl.db"),
		Snapshots: filepath.Join("srv", "lure", "snapshots"),
		Broker:    filepath.Join("srv", "lure", "kafka"),
		ServeLock: filepath.Join("srv", "lure", ".lure-serve.lock"),
	}
	if got != want {
		t.Errorf("Paths = %+v, want %+v", got, want)
	}
}
