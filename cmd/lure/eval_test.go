package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if rep.Overall.N < 80 || rep.Overall.Positives == 0 || len(rep.ByLang) < 4 || len(rep.WorstLegit) != 3 || rep.Threshold <= 0 {
		t.Errorf("report: threshold %v, overall %+v, %d languages, %d worst legit", rep.Threshold, rep.Overall, len(rep.ByLang), len(rep.WorstLegit))
	}
}
