package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/store"
)

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"180d": 180 * store.Day, "0": 0, "0d": 0, "36h": 36 * time.Hour, "1.5d": 36 * time.Hour, " 7d ": 7 * store.Day,
	} {
		if got, err := parseRetention(in); err != nil || got != want {
			t.Errorf("parseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1d", "-5h", "d", "12x", "99999999d", "NaNd", "1e300d", "876000000h"} {
		if got, err := parseRetention(in); err == nil {
			t.Errorf("parseRetention(%q) = %v, want an error", in, got)
		}
	}
	if retentionText(180*store.Day) != "180d" || retentionText(0) != "0" || retentionText(36*time.Hour) != "36h" {
		t.Error("retentionText")
	}
}

func TestContactKeys(t *testing.T) {
	for _, c := range []struct {
		in, region string
		want       []string
	}{
		{"+373 69 123 456", "", []string{"+37369123456"}},
		{"069 123 456", "MD", []string{"+37369123456"}},
		{"Ion.Popescu@Mail.MD", "", []string{"ion.popescu@mail.md"}},
		{"@Rabota_Ion", "", []string{"@rabota_ion", "t.me/rabota_ion"}},
		{"https://t.me/Rabota_Ion", "", []string{"t.me/rabota_ion", "@rabota_ion"}},
	} {
		keys, written, err := contactKeys(c.in, c.region)
		if err != nil || !slices.Equal(keys, c.want) || len(written) != 1 {
			t.Errorf("contactKeys(%q) = %v %v %v, want %v", c.in, keys, written, err, c.want)
		}
	}
	for _, in := range []string{"", "   ", strings.Repeat("1", maxContactBytes+1)} {
		if _, _, err := contactKeys(in, ""); err == nil {
			t.Errorf("contactKeys(%q) accepted", in)
		}
	}
}

func seedPurgeDir(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, app.Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, crawled := range []time.Time{time.Now().AddDate(-2, 0, 0), time.Now().AddDate(-2, 0, 0), time.Now()} {
		a := ad.Ad{V: ad.Version, ID: fmt.Sprintf("a%d", i), Site: "rabota.example", URL: fmt.Sprintf("https://rabota.example/%d", i),
			Kind: ad.KindJob, Lang: "ru", Title: "Работа", Body: "Звоните +373 69 123 456", Contact: "+373 69 123 456", Crawled: crawled}
		v := ad.Verdict{V: ad.Version, Ad: a.WithHash(), Score: 10, Band: ad.BandLow, RulePack: "t1",
			Entities: ad.Entities{Phones: []string{"+37369123456"}}}
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPurgeCommand(t *testing.T) {
	dir := seedPurgeDir(t)
	var out, errb bytes.Buffer
	if code := run([]string{"purge", "--data-dir", dir, "-v"}, nil, &out, &errb); code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "would remove 2 ads") || !strings.Contains(out.String(), "ad\ta0") ||
		!strings.Contains(out.String(), "dry run") {
		t.Errorf("dry run said:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"purge", "--data-dir", dir, "--apply", "--retain-unflagged", "0"}, nil, &out, &errb); code != 0 {
		t.Fatalf("apply: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "removed 0 ads") || !strings.Contains(out.String(), "the contacts of 2 ads") {
		t.Errorf("forever-kept purge said:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"purge", "--data-dir", dir, "--apply", "--retain-unflagged", "365d"}, nil, &out, &errb); code != 0 {
		t.Fatalf("apply: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "removed 2 ads") {
		t.Errorf("purge said:\n%s", out.String())
	}
	if code := run([]string{"purge", "--data-dir", dir, "--apply", "--dry-run"}, nil, &out, &errb); code != 2 {
		t.Errorf("--apply --dry-run: exit %d", code)
	}
	if code := run([]string{"purge", "--data-dir", dir, "--retain-contacts", "-3d"}, nil, &out, &errb); code == 0 {
		t.Errorf("negative retention: exit %d", code)
	}
}

func TestEraseCommand(t *testing.T) {
	dir := seedPurgeDir(t)
	var out, errb bytes.Buffer
	if code := run([]string{"erase", "--data-dir", dir, "--contact", "069 123 456", "--region", "md", "--dry-run"}, nil, &out, &errb); code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "would erase from 3 ads") || strings.Contains(out.String(), "123") {
		t.Errorf("dry run said:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"erase", "--data-dir", dir, "--contact", "+373 69 123 456"}, nil, &out, &errb); code != 0 {
		t.Fatalf("erase: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "erased from 3 ads") || !strings.Contains(out.String(), store.ContactHash("+37369123456")) {
		t.Errorf("erase said:\n%s", out.String())
	}
	st, err := store.Open(context.Background(), app.Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.Get(context.Background(), "a2")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v.Ad.Body+v.Ad.Contact, "123") || len(v.Entities.Phones) != 0 {
		t.Errorf("a2 after erasure: %+v", v.Ad)
	}
	if code := run([]string{"erase", "--data-dir", dir}, nil, &out, &errb); code != 2 {
		t.Errorf("no --contact: exit %d", code)
	}
}

func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{"180d", "0", "36h", "1.5d", "-1d", "1e300d", "NaNd", "Infd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseRetention(s)
		if err == nil && (d < 0 || d > maxRetention) {
			t.Fatalf("parseRetention(%q) = %v", s, d)
		}
	})
}
