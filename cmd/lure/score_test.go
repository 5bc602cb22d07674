package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lure/internal/golden"
	"github.com/lurewatch/lure/rules"
)

func TestScoreExplainNoColourWhenPiped(t *testing.T) {
	in := `{"id":"a","lang":"ru","title":"Хостес в Турцию","body":"Девушки 18-25, приятная внешность, туристическая виза, билеты в счёт зарплаты"}` + "\n"
	var out, errOut bytes.Buffer
	if code := run([]string{"score", "--explain"}, strings.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("colour escapes in piped output:\n%q", out.String())
	}
	if !strings.Contains(out.String(), "flagged") {
		t.Errorf("no explanation:\n%s", out.String())
	}
}

func TestColourTerminal(t *testing.T) {
	if colourTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colourTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Logf("no controlling terminal here (%v): only the negative cases ran", err)
		return
	}
	defer tty.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	if !colourTerminal(tty) {
		t.Error("/dev/tty should get colour")
	}
	t.Setenv("NO_COLOR", "1")
	if colourTerminal(tty) {
		t.Error("NO_COLOR must switch colour off")
	}
}

// TestExplainGolden compares `lure score --explain` on representative ads
// (testdata/explain/*.jsonl: a forced-labour lure, a marriage-broker lure,
// a legitimate ad, a news report quoting a lure, a short post) with
// testdata/explain/*.golden. The rule pack version, which follows every
// edit of the packs, is written as rp-VERSION.
func TestExplainGolden(t *testing.T) {
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := filepath.Glob("testdata/explain/*.jsonl")
	if err != nil || len(inputs) < 5 {
		t.Fatalf("inputs %v: %v", inputs, err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".jsonl")
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run([]string{"score", "--explain", filepath.ToSlash(in)}, nil, &out, &errOut); code != 0 || errOut.Len() > 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if n := strings.Count(out.String(), "rule pack "+pack.Version+"\n"); n != 1 {
				t.Errorf("rule pack %s named %d times, want once:\n%s", pack.Version, n, out.String())
			}
			golden.Check(t, "explain/"+name+".golden", []byte(strings.ReplaceAll(out.String(), pack.Version, "rp-VERSION")))
		})
	}
}
