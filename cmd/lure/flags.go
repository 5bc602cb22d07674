package main

import (
	"flag"
	"strings"
	"time"

	"github.com/lurewatch/lure/app"
)

// dataDirFlag defines --data-dir on fs: the data directory, from
// LURE_DATA_DIR when set, else app.DefaultDataDir. usage says what the
// command keeps there; the flag's help adds the variable's name.
func dataDirFlag(fs *flag.FlagSet, usage string) *string {
	return fs.String("data-dir", envOr("LURE_DATA_DIR", app.DefaultDataDir), usage+" (env LURE_DATA_DIR)")
}

// durationText formats d for help texts without zero trailing units:
// 10m rather than 10m0s, 168h rather than 168h0m0s.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
