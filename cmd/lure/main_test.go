package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func TestScoreCommand(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"r1","lang":"ru","title":"Хостес в ночной клуб в Турции","body":"Девушки 18-25, приятная внешность. Без опыта. Перелёт и виза в счёт зарплаты. Зарплата от 3000 €. Пишите в Telegram @x_job","extra":"ignored"}`,
		``,
		`{"id":"b1","lang":"ro","title":"Contabil","body":"SRL Agroconsult angajează contabil în Chișinău, str. Ismail 98. Contract de muncă, salariu 12000 lei.","contact":"(022) 21-43-67"}`,
		`{"id":"bad","title":`,
		`{"id":"nokind","kind":"spam","title":"x"}`,
	}, "\n")
	var out, errOut bytes.Buffer
	code := run([]string{"score"}, strings.NewReader(in), &out, &errOut)
	if code != 1 {
		t.Errorf("exit code %d, want 1 for bad records", code)
	}
	if !strings.Contains(errOut.String(), "line 4:") || !strings.Contains(errOut.String(), "line 5:") {
		t.Errorf("bad records not reported with line numbers: %s", errOut.String())
	}
	var verdicts []ad.Verdict
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var v ad.Verdict
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		verdicts = append(verdicts, v)
	}
	if len(verdicts) != 2 {
		t.Fatalf("%d verdicts, want 2", len(verdicts))
	}
	if v := verdicts[0]; v.Ad.ID != "r1" || !v.Flagged || len(v.Hits) == 0 {
		t.Errorf("risky ad: id=%s flagged=%v hits=%d", v.Ad.ID, v.Flagged, len(v.Hits))
	}
	if v := verdicts[1]; v.Ad.ID != "b1" || v.Flagged {
		t.Errorf("benign ad: id=%s flagged=%v score=%.1f", v.Ad.ID, v.Flagged, v.Score)
	}
}

func TestScoreExplain(t *testing.T) {
	in := `{"id":"r1","title":"Hostess in Dubai","body":"Girls 18-25, no experience needed, flight paid and deducted from salary, 4000 USD per month. WhatsApp only."}`
	var out, errOut bytes.Buffer
	if code := run([]string{"score", "--explain"}, strings.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "r1") || !strings.Contains(out.String(), "Hostess") {
		t.Errorf("explanation lacks the ad: %s", out.String())
	}
}

func TestRulesCommands(t *testing.T) {
	for _, sub := range []string{"test", "lint"} {
		var out, errOut bytes.Buffer
		if code := run([]string{"rules", sub}, nil, &out, &errOut); code != 0 {
			t.Fatalf("rules %s: exit %d: %s%s", sub, code, out.String(), errOut.String())
		}
		if !strings.HasPrefix(out.String(), "ok:") {
			t.Errorf("rules %s: %s", sub, out.String())
		}
		if sub == "lint" && !regexp.MustCompile(`(?m)^uz\.yaml +uz-core +uz +\d+ +\d+$`).MatchString(out.String()) {
			t.Errorf("rules lint does not list uz.yaml with its counts:\n%s", out.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"rules", "test", "-rules", t.TempDir()}, nil, &out, &errOut); code == 0 {
		t.Error("an empty rules directory passed")
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, nil, &out, &errOut); code != 2 {
		t.Errorf("no args: exit %d", code)
	}
	if code := run([]string{"frobnicate"}, nil, &out, &errOut); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
	if code := run([]string{"run", "-log-level", "loud"}, nil, &out, &errOut); code != 2 {
		t.Errorf("bad log level: exit %d", code)
	}
}
