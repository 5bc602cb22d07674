package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lurewatch/lure/internal/golden"
	"github.com/lurewatch/lure/rules"
)

func TestEvalCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"markdown", []string{"eval", "../../testdata/corpus/dev.jsonl"}, 0, []string{"# lure eval: ", "95 % bootstrap intervals", "## By language", "| ru |", "## Recall per intended signal", "## Lowest-scored deceptive ads"}},
		{"formats mixed", []string{"eval", "--threshold", "10", "../../eval/testdata/emscad.csv", "../../eval/testdata/hh_snippets.csv", "../../eval/testdata/difraud.jsonl"}, 0, []string{"# lure eval: 5 ads", "## Overall (threshold 10)"}},
		{"indicators", []string{"eval", "--bootstrap", "0", "../../eval/testdata/indicators.jsonl"}, 0, []string{"# lure eval: 3 ads", "## Thresholds", "| best F1 |",
			"## Calibration", "Expected calibration error: ", "## By group", "| short | 2 |", "- forced_labour: deceptive ads carrying any of:", "## By indicator", "| news_report | 1 | 0 |"}},
		{"explicit format", []string{"eval", "--format", "rujobs", "../../eval/testdata/superjob.csv"}, 0, []string{"# lure eval: 1 ads"}},
		{"no file", []string{"eval"}, 2, []string{"at least one FILE"}},
		{"bad threshold", []string{"eval", "--threshold", "101", "x.jsonl"}, 2, []string{"want 0-100"}},
		{"bad format", []string{"eval", "--format", "xml", "x.csv"}, 2, []string{`unknown format "xml"`}},
		{"bad record", []string{"eval", "../../eval/testdata/bad_label.jsonl"}, 1, []string{"bad_label.jsonl:2"}},
		{"missing file", []string{"eval", "no/such.jsonl"}, 1, []string{"no such file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, nil, &out, &errOut); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String()+errOut.String(), w) {
					t.Errorf("output lacks %q:\n%s%s", w, out.String(), errOut.String())
				}
			}
		})
	}
}

func TestEvalJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--json", "--worst", "3", "../../testdata/corpus/holdout.jsonl"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Threshold float64 `json:"threshold"`
		Overall   struct {
			N         int `json:"n"`
			Positives int `json:"positives"`
		} `json:"overall"`
		ByLang     map[string]json.RawMessage `json:"by_lang"`
		WorstLegit []struct {
			ID string `json:"id"`
		} `json:"worst_legit"`
		Thresholds struct {
			Default struct {
				F1 float64 `json:"f1"`
			} `json:"default"`
			BestF1 struct {
				F1 float64 `json:"f1"`
			} `json:"best_f1"`
		} `json:"thresholds"`
		Calibration struct {
			Bands []json.RawMessage `json:"bands"`
			ECE   *float64          `json:"ece"`
		} `json:"calibration"`
		Groups []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if rep.Overall.N < 80 || rep.Overall.Positives == 0 || len(rep.ByLang) < 4 || len(rep.WorstLegit) != 3 || rep.Threshold <= 0 {
		t.Errorf("report: threshold %v, overall %+v, %d languages, %d worst legit", rep.Threshold, rep.Overall, len(rep.ByLang), len(rep.WorstLegit))
	}
	if rep.Thresholds.BestF1.F1 < rep.Thresholds.Default.F1 || rep.Thresholds.BestF1.F1 == 0 || len(rep.Calibration.Bands) != 10 ||
		rep.Calibration.ECE == nil || len(rep.Groups) != 5 || rep.Groups[0].Name != "forced_labour" || rep.Groups[0].Definition == "" {
		t.Errorf("thresholds %+v, calibration %d bands ECE %v, groups %+v", rep.Thresholds, len(rep.Calibration.Bands), rep.Calibration.ECE, rep.Groups)
	}
}

// TestEvalReportGolden compares the Markdown report of `lure eval` on ten
// invented labelled ads (testdata/eval/labelled.jsonl: ru, uk, ro and en;
// lures, a missed evasion, legitimate ads, a news report and a warning)
// with testdata/eval/report.golden. The rule pack version is written as
// rp-VERSION.
func TestEvalReportGolden(t *testing.T) {
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"eval", "--worst", "3", "--bootstrap", "200", "testdata/eval/labelled.jsonl"}
	if code := run(args, nil, &out, &errOut); code != 0 || errOut.Len() > 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if n := strings.Count(out.String(), pack.Version); n != 1 {
		t.Errorf("rule pack %s named %d times, want once:\n%s", pack.Version, n, out.String())
	}
	golden.Check(t, "eval/report.golden", []byte(strings.ReplaceAll(out.String(), pack.Version, "rp-VERSION")))
}
