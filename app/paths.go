package app

import "path/filepath"

// DataPaths are where a lure process keeps its data inside its data
// directory (Options.DataDir). Every command and tool that reads or writes
// a data directory takes the names from here.
type DataPaths struct {
	// Store is the SQLite system of record (serve role).
	Store string
	// Index is the Bleve index of flagged ads (serve role).
	Index string
	// Crawl is the crawler's state: what was sent, and when (crawl role).
	Crawl string
	// Snapshots holds the archived pages of sent ads (written by the
	// crawl role, read by the serve role).
	Snapshots string
	// Broker is the embedded broker's log.
	Broker string
	// ServeLock is the lock file of the process that writes Store and
	// Index (the serve role, or lure reindex).
	ServeLock string
}

// Paths returns the layout of the data directory dataDir.
func Paths(dataDir string) DataPaths {
	return DataPaths{
		Store:     filepath.Join(dataDir, "lure.db"),
		Index:     filepath.Join(dataDir, "index"),
		Crawl:     filepath.Join(dataDir, "crawl.db"),
		Snapshots: filepath.Join(dataDir, "snapshots"),
		Broker:    filepath.Join(dataDir, "kafka"),
		ServeLock: filepath.Join(dataDir, ".lure-serve.lock"),
	}
}
