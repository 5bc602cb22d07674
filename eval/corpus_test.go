package eval_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lurewatch/lure/eval"
	"github.com/lurewatch/lure/rules"
)

// TestCorpusWellFormed checks the development and held-out corpora: known
// languages, kinds, variants and signals, unique ids, no ad in both files,
// and the balance testdata/corpus/README.md promises.
func TestCorpusWellFormed(t *testing.T) {
	ctx := context.Background()
	langs := []string{"ru", "uk", "ro", "en", "bg", "sr", "pl", "kk"}
	variants := []string{"plain", "evasion", "hard_negative"}
	ids := map[string]string{}
	texts := map[string]string{}
	perLang := map[string]int{}
	deceptive, total := 0, 0
	for _, file := range []string{"dev.jsonl", "holdout.jsonl"} {
		recs, err := eval.LoadFile(ctx, "../testdata/corpus/"+file, eval.LoadOptions{Format: eval.FormatJSONL})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			a := r.Ad
			if prev, dup := ids[a.ID]; dup {
				t.Errorf("%s: id %s also in %s", r.Source, a.ID, prev)
			}
			ids[a.ID] = r.Source
			key := a.Title + "\x00" + a.Body
			if prev, dup := texts[key]; dup {
				t.Errorf("%s: same title and body as %s", r.Source, prev)
			}
			texts[key] = r.Source
			if !slices.Contains(langs, a.Lang) {
				t.Errorf("%s: lang %q", r.Source, a.Lang)
			}
			if !slices.Contains(variants, r.Variant) {
				t.Errorf("%s: variant %q", r.Source, r.Variant)
			}
			for _, s := range r.Signals {
				pos := slices.Contains(rules.PositiveSignals, s)
				if !pos && !slices.Contains(rules.NegativeSignals, s) {
					t.Errorf("%s: unknown signal %q", r.Source, s)
				}
				// destination is context that legit jobs abroad carry too.
				if pos != r.Deceptive && s != "destination" {
					t.Errorf("%s: signal %q on a %v ad", r.Source, s, map[bool]string{true: "deceptive", false: "legit"}[r.Deceptive])
				}
			}
			if r.Deceptive && len(r.Signals) == 0 {
				t.Errorf("%s: deceptive ad without intended signals", r.Source)
			}
			perLang[a.Lang]++
			total++
			if r.Deceptive {
				deceptive++
			}
		}
	}
	for _, l := range []string{"ru", "uk", "ro", "en"} {
		if perLang[l] < 60 {
			t.Errorf("%s: %d ads, want at least 60", l, perLang[l])
		}
	}
	if share := float64(deceptive) / float64(total); share < 0.3 || share > 0.5 {
		t.Errorf("deceptive share %.2f, want 0.3–0.5", share)
	}
}
