package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
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
