package eval_test

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/eval"
	"github.com/lurewatch/lure/rules"
)

// devF1Floor is the lowest F1 the embedded rules may reach on the
// development corpus at the pack's threshold. Set on 2026-11-25 from a
// measured F1 of 0.952 minus 0.03; raise it when the classifier improves,
// never above what is measured.
const devF1Floor = 0.92

// TestQualityGuard fails the build when the classifier gets worse on the
// development corpus.
func TestQualityGuard(t *testing.T) {
	pack, c := defaultClassifier(t)
	results, rep := scoreCorpus(t, pack, c, "dev.jsonl")
	if len(results) < 300 {
		t.Fatalf("development corpus has %d ads, want at least 300", len(results))
	}
	o := rep.Overall
	t.Logf("dev: n=%d P=%.3f R=%.3f F1=%.3f PR-AUC=%.3f (floor %.2f)", o.N, o.Precision, o.Recall, o.F1, float64(o.PRAUC), devF1Floor)
	for _, lang := range []string{"ru", "uk", "ro", "en"} {
		s := rep.ByLang[lang]
		t.Logf("  %s: n=%d P=%.3f R=%.3f F1=%.3f", lang, s.N, s.Precision, s.Recall, s.F1)
	}
	if o.F1 < devF1Floor {
		t.Errorf("F1 %.3f on the development corpus is below the floor %.2f", o.F1, devF1Floor)
	}
}

// corpusFloors are the lowest F1 the embedded rules may reach on the
// other corpora of testdata/corpus at the pack's threshold, and the
// highest share of their news and awareness texts they may flag. Set on
// 2026-12-02 from measured values minus a margin (F1 0.03; flagged news
// +0.05). The held-out files are guarded against regressions only:
// nobody tunes rules on them, and a floor is not a target.
var corpusFloors = []struct {
	file    string
	f1      float64
	newsMax float64
}{
	{"dev-ilo.jsonl", 0.95, 0.05},
	{"dev-balkan.jsonl", 0.95, 0.05},
	{"dev-caucasus-baltic.jsonl", 0.95, 0.05},
	{"dev-turkic.jsonl", 0.95, 0.05},
	{"dev-blind.jsonl", devBlindF1Floor, 0.08},
	// Written without sight of the rules, 2026-12-03; odd ids for
	// development, even ids reported only. Floors from that day's values.
	{"dev-news.jsonl", 0.82, 0.10},
	{"dev-short.jsonl", 0.85, 0.05},
	{"holdout.jsonl", 0.90, 0.10},
	{"holdout-region.jsonl", holdoutRegionF1Floor, 0.12},
}

func TestCorpusQualityGuard(t *testing.T) {
	pack, c := defaultClassifier(t)
	for _, fl := range corpusFloors {
		t.Run(fl.file, func(t *testing.T) {
			results, rep := scoreCorpus(t, pack, c, fl.file)
			o := rep.Overall
			news, newsFlagged := 0, 0
			for _, r := range results {
				if !r.Deceptive && r.Kind == "other" {
					news++
					if r.Score >= pack.Model.Threshold {
						newsFlagged++
					}
				}
			}
			share := 0.0
			if news > 0 {
				share = float64(newsFlagged) / float64(news)
			}
			t.Logf("%s: n=%d P=%.3f R=%.3f F1=%.3f; %d of %d news/awareness/other legit texts flagged", fl.file, o.N, o.Precision, o.Recall, o.F1, newsFlagged, news)
			if o.F1 < fl.f1 {
				t.Errorf("F1 %.3f below the floor %.2f", o.F1, fl.f1)
			}
			if share > fl.newsMax {
				t.Errorf("%.0f%% of legit kind-other texts flagged, more than %.0f%%", 100*share, 100*fl.newsMax)
			}
		})
	}
}

// Floors of the two files written without sight of the rules (see
// corpusFloors).
const (
	devBlindF1Floor      = 0.95
	holdoutRegionF1Floor = 0.89
)

// defaultClassifier compiles the embedded rule packs.
func defaultClassifier(t *testing.T) (*rules.Pack, *classifier.Classifier) {
	t.Helper()
	pack, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(pack, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return pack, c
}

// scoreCorpus scores a file of testdata/corpus and reports on it at the
// pack's threshold.
func scoreCorpus(t *testing.T, pack *rules.Pack, c *classifier.Classifier, file string) ([]eval.Result, eval.Report) {
	t.Helper()
	ctx := context.Background()
	recs, err := eval.LoadFile(ctx, "../testdata/corpus/"+file, eval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	results, err := eval.Run(ctx, c, recs)
	if err != nil {
		t.Fatal(err)
	}
	return results, eval.Compute(results, eval.ReportOptions{Threshold: pack.Model.Threshold})
}
