package fit

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/eval"
	"github.com/lurewatch/lure/rules"
)

func devData(t testing.TB) (*rules.Pack, *classifier.Classifier, []ad.Ad, []bool) {
	t.Helper()
	recs, err := eval.LoadFile(context.Background(), "../testdata/corpus/dev.jsonl", eval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(p, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ads []ad.Ad
	var y []bool
	for _, r := range recs {
		ads = append(ads, r.Ad)
		y = append(y, r.Deceptive)
	}
	return p, c, ads, y
}

func TestFitRulesOnDevCorpus(t *testing.T) {
	ctx := context.Background()
	p, c, ads, y := devData(t)
	rf, err := ExtractRules(ctx, c, p, ads, y)
	if err != nil {
		t.Fatal(err)
	}
	if len(rf.Data.Rows) != len(ads) || rf.Data.NFeatures != len(p.Rules) {
		t.Fatalf("%d rows, %d features", len(rf.Data.Rows), rf.Data.NFeatures)
	}
	o := RuleOptions(p, false)
	o.Lambda = 0.01
	m, err := Train(ctx, rf.Data, o)
	if err != nil {
		t.Fatal(err)
	}
	fired := map[int32]bool{}
	for _, row := range rf.Data.Rows {
		for _, j := range row {
			fired[j] = true
		}
	}
	for j, r := range p.Rules {
		w := m.W[j]
		if rules.IsNegative(r.Signal) != (w < 0) || w == 0 {
			t.Errorf("rule %s (%s): fitted weight %v breaks the sign constraint", r.ID, r.Signal, w)
		}
		if !fired[int32(j)] && w != r.Weight {
			t.Errorf("rule %s never counted in the data but moved %v → %v", r.ID, r.Weight, w)
		}
	}
	w := rf.Weights(m, o.Lambda)
	if len(w.Rules) == 0 || len(w.Rules) > len(fired) {
		t.Fatalf("%d changed rules, %d rules fired", len(w.Rules), len(fired))
	}
	diff := rf.Diff(w)
	if diff[0].Rule != "(bias)" || len(diff) != len(w.Rules)+1 {
		t.Fatalf("diff starts %+v, %d rows", diff[0], len(diff))
	}
	for i := 2; i < len(diff); i++ {
		if abs(diff[i].New-diff[i].Old) > abs(diff[i-1].New-diff[i-1].Old) {
			t.Fatalf("diff not sorted by change at %d", i)
		}
	}
	q, _ := rules.Default()
	if err := q.ApplyWeights(w); err != nil {
		t.Fatalf("fitted weights do not apply to the pack: %v", err)
	}
	// The fitted pack must separate the training data at least as well in
	// log-loss as the hand-set one: the fit minimised it.
	c2, err := classifier.New(q, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if before, after := meanLogLoss(ctx, c, ads, y), meanLogLoss(ctx, c2, ads, y); after >= before {
		t.Errorf("training log-loss %.4f → %.4f after fitting", before, after)
	}
}

func meanLogLoss(ctx context.Context, c *classifier.Classifier, ads []ad.Ad, y []bool) float64 {
	s := 0.0
	for i, a := range ads {
		p := min(max(c.Score(ctx, a).Score/100, 1e-4), 1-1e-4)
		if y[i] {
			s -= ln(p)
		} else {
			s -= ln(1 - p)
		}
	}
	return s / float64(len(ads))
}

func TestBagOfWords(t *testing.T) {
	ads := []ad.Ad{
		{Title: "Work abroad", Body: "Work, work: abroad!"},
		{Title: "Office job", Body: "work in the office"},
		{Title: "Работа", Body: "работа за границей"},
	}
	if got := strings.Join(Tokens(ads[0]), "|"); got != "abroad|work|work abroad|work work" {
		t.Fatalf("tokens %q", got)
	}
	v := BuildVocabulary(ads, 2)
	if v.Len() != 1 || v.Term(0) != "work" {
		t.Fatalf("vocabulary %d: %v", v.Len(), v.terms)
	}
	d := v.BagOfWords(ads, []bool{true, false, true})
	if len(d.Rows[1]) != 1 || d.Rows[1][0] != 0 || len(d.Rows[2]) != 0 || d.NFeatures != 1 {
		t.Fatalf("rows %v", d.Rows)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "Work abroad!", "р а б о т а", "a\xffb", "x  y\tz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(ad.Ad{Body: s})
		for i, tk := range toks {
			if tk == "" || strings.TrimSpace(tk) != tk || (i > 0 && toks[i-1] >= tk) {
				t.Fatalf("bad tokens %q", toks)
			}
		}
	})
}

func ExampleTrain() {
	// Feature 0 marks deceptive ads, feature 1 legit ones.
	d := Data{NFeatures: 2}
	for i := range 40 {
		d.Rows = append(d.Rows, []int32{int32(i % 2)})
		d.Y = append(d.Y, i%2 == 0 && i%10 != 0)
	}
	m, _ := Train(context.Background(), d, Options{Lambda: 0.01})
	fmt.Println(m.W[0] > 0, m.W[1] < 0, m.Prob([]int32{0}) > 0.5)
	// Output: true true true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func ln(x float64) float64 { return math.Log(x) }
