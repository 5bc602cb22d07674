package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lurewatch/lure/internal/golden"
)

func sampleResults() []Result {
	rs := []Result{
		{ID: "d1", Lang: "ru", Kind: "job", Variant: "plain", Signals: []string{"high_pay", "looks_filter"}, Deceptive: true, Score: 90, Rules: []string{"r.pay", "r.looks"}},
		{ID: "d2", Lang: "ru", Kind: "job", Variant: "evasion", Signals: []string{"looks_filter"}, Deceptive: true, Score: 40, Rules: []string{"r.looks"}},
		{ID: "d3", Lang: "en", Kind: "marriage", Variant: "plain", Signals: []string{"paid_marriage"}, Deceptive: true, Score: 60, Rules: []string{"r.pay", "r.pay"}},
		{ID: "l1", Lang: "ru", Kind: "job", Variant: "hard_negative", Score: 70, Rules: []string{"r.pay"}},
		{ID: "l2", Lang: "en", Kind: "job", Variant: "plain", Score: 10},
		{ID: "l3", Lang: "en", Kind: "other", Variant: "plain", Score: 20, Rules: []string{"r.looks"}},
	}
	for i := range rs {
		rs[i].Source = fmt.Sprintf("a.jsonl:%d", i+1)
	}
	rs[0].Source, rs[5].Source = "b.jsonl:1", "b.jsonl:2"
	return rs
}

func TestCompute(t *testing.T) {
	rep := Compute(sampleResults(), ReportOptions{Threshold: 50, Worst: 2})
	if got, want := rep.Overall.Counts, (Counts{TP: 2, FN: 1, FP: 1, TN: 2}); got != want {
		t.Fatalf("overall counts %+v, want %+v", got, want)
	}
	if !near(rep.Overall.F1, 2.0/3) || rep.Overall.N != 6 || rep.Overall.Positives != 3 || !near(rep.Overall.FlaggedShare, 0.5) {
		t.Errorf("overall %+v", rep.Overall)
	}
	// Ranking 90 D, 70 L, 60 D, 40 D, 20 L, 10 L: AP = ⅓·1 + ⅓·⅔ + ⅓·¾.
	if want := (1 + 2.0/3 + 0.75) / 3; !near(float64(rep.Overall.PRAUC), want) {
		t.Errorf("PR-AUC %v, want %v", rep.Overall.PRAUC, want)
	}
	// Pairs won: d1 3, d3 2, d2 2 of 9.
	if !near(float64(rep.Overall.ROCAUC), 7.0/9) {
		t.Errorf("ROC-AUC %v, want 7/9", rep.Overall.ROCAUC)
	}
	if f := rep.ByFile["b.jsonl"]; f.N != 2 || f.Positives != 1 || len(rep.ByFile) != 2 {
		t.Errorf("by file %+v", rep.ByFile)
	}
	ru := rep.ByLang["ru"]
	if ru.N != 3 || ru.Counts != (Counts{TP: 1, FN: 1, FP: 1}) {
		t.Errorf("ru %+v", ru)
	}
	if other := rep.ByKind["other"]; other.N != 1 || !math.IsNaN(float64(other.PRAUC)) || other.RecallAtFPR != nil {
		t.Errorf("kind other %+v", other)
	}
	rules := map[string]RuleStat{}
	for _, r := range rep.Rules {
		rules[r.Rule] = r
	}
	if got := rules["r.pay"]; got.Deceptive != 2 || got.Legit != 1 || got.FlaggedLegit != 1 || !near(got.Precision, 2.0/3) {
		t.Errorf("r.pay %+v (a rule firing twice on one ad counts once)", got)
	}
	if got := rules["r.looks"]; got.Deceptive != 2 || got.Legit != 1 || got.FlaggedLegit != 0 {
		t.Errorf("r.looks %+v", got)
	}
	sig := map[string]Recall{}
	for _, s := range rep.Signals {
		sig[s.Name] = s
	}
	if got := sig["looks_filter"]; got.N != 2 || got.Flagged != 1 || !near(got.Recall, 0.5) || len(got.Missed) != 1 || got.Missed[0] != "d2" {
		t.Errorf("looks_filter %+v", got)
	}
	if rep.Signals[0].Recall > rep.Signals[len(rep.Signals)-1].Recall {
		t.Errorf("signals not sorted by recall: %+v", rep.Signals)
	}
	if len(rep.WorstLegit) != 2 || rep.WorstLegit[0].ID != "l1" || rep.WorstLegit[1].ID != "l3" {
		t.Errorf("worst legit %+v", rep.WorstLegit)
	}
	if len(rep.WorstDeceptive) != 2 || rep.WorstDeceptive[0].ID != "d2" || rep.WorstDeceptive[1].ID != "d3" {
		t.Errorf("worst deceptive %+v", rep.WorstDeceptive)
	}
	lv := map[string]Recall{}
	for _, v := range rep.LegitVariants {
		lv[v.Name] = v
	}
	if got := lv["hard_negative"]; got.N != 1 || got.Flagged != 0 || got.Missed[0] != "l1" {
		t.Errorf("legit hard_negative %+v", got)
	}
}

func TestReportOutput(t *testing.T) {
	rep := Compute(sampleResults(), ReportOptions{Threshold: 50, Weights: map[string]float64{"r.pay": 1.5}})
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Overall (threshold 50)", "| all | 6 | 3 | 50.0% | 0.667 | 0.667 | 0.667 |", "| ru |", "| r.pay | 1.50 | 3 | 2 | 1 | 1 | 0.667 |", "| l1 | ru | 70.0 | r.pay |", "recall at 5% FPR"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("json does not read back: %v\n%s", err, js.String())
	}
	if back.Overall.Counts != rep.Overall.Counts || !math.IsNaN(float64(back.ByKind["other"].ROCAUC)) {
		t.Errorf("json round trip: %+v", back.Overall)
	}
}

// TestReportGolden compares the Markdown and JSON renderings of a report
// on fixed results with testdata/report/sample.md.golden and
// sample.json.golden.
func TestReportGolden(t *testing.T) {
	rep := Compute(sampleResults(), ReportOptions{Threshold: 50, Worst: 2, Weights: map[string]float64{"r.pay": 1.5, "r.looks": 0.8}, Bootstrap: 100})
	var md, js bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "report/sample.md.golden", md.Bytes())
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "report/sample.json.golden", js.Bytes())
}
