package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Minute:        "10m",
		15 * time.Second:        "15s",
		168 * time.Hour:         "168h",
		90 * time.Minute:        "1h30m",
		1500 * time.Millisecond: "1.5s",
	} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestDataDirFlag(t *testing.T) {
	t.Setenv("LURE_DATA_DIR", "/srv/lure")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	var help bytes.Buffer
	fs.SetOutput(&help)
	dir := dataDirFlag(fs, "where things are")
	if err := fs.Parse(nil); err != nil || *dir != "/srv/lure" {
		t.Fatalf("data dir %q, %v; want /srv/lure from the environment", *dir, err)
	}
	fs.PrintDefaults()
	if !strings.Contains(help.String(), "where things are (env LURE_DATA_DIR)") {
		t.Errorf("help lacks the variable: %s", help.String())
	}
}

// TestRunHelpDefaults: the help of lure run names the defaults of the
// options left at zero.
func TestRunHelpDefaults(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"run", "-h"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("run -h: exit %d", code)
	}
	for _, want := range []string{"(default 10m)", "(default 15s)", "(default 168h)", "(default 10)", "(default 50)",
		"wait up to 2s", "(default 10s)", `(default "lure.")`, "(default 4)", `(default "lure-classifier")`} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("run -h lacks %q", want)
		}
	}
}
