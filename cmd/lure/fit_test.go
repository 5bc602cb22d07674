package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lure/rules"
)

func TestFitCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "weights.yaml")
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"dev corpus with holdout", []string{"fit", "--lambdas", "0.1,0.01", "--test", "../../testdata/corpus/holdout.jsonl", "--out", out, "../../testdata/corpus/dev.jsonl"},
			0, []string{"# lure fit: 377 ads", "## Regularisation (5-fold", "← selected", "training data, fitted, out of fold", "holdout.jsonl, fitted weights", "## Weight changes", "| (bias) |", "wrote " + out}},
		{"decision export with bag of words", []string{"fit", "--folds", "2", "--bow", "--lambdas", "0.1", "--test", "../../fit/testdata/decisions.jsonl", "../../fit/testdata/decisions.jsonl"},
			0, []string{"# lure fit: 6 ads (3 deceptive)", "bag of words", "decisions.jsonl, bag of words"}},
		{"no file", []string{"fit"}, 2, []string{"at least one labelled FILE"}},
		{"bad lambdas", []string{"fit", "--lambdas", "x", "a.jsonl"}, 2, []string{"bad strength"}},
		{"too few for the folds", []string{"fit", "--folds", "5", "../../fit/testdata/decisions.jsonl"}, 1, []string{"5-fold cross-validation needs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			if code := run(tc.args, nil, &o, &e); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, e.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(o.String()+e.String(), w) {
					t.Errorf("output lacks %q:\n%s%s", w, o.String(), e.String())
				}
			}
		})
	}
	// The written weights load and apply to the pack they were fitted on.
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := rules.LoadWeights(f)
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if w.Pack != p.Version || len(w.Rules) == 0 || len(w.Data) != 1 {
		t.Fatalf("weights %+v", w)
	}
	if err := p.ApplyWeights(w); err != nil {
		t.Fatal(err)
	}
}
