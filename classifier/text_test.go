package classifier

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textmodel"
)

// wordModel weighs the given words (word unigrams only).
func wordModel(t testing.TB, words map[string]float32) *textmodel.Model {
	t.Helper()
	c := textmodel.Config{Bits: 12, WordMin: 1, WordMax: 1, WordScale: 1, CharScale: 1}
	w := make([]float32, 1<<c.Bits)
	for g, v := range words {
		w[c.Bucket(textmodel.Word, g)] = v
	}
	m, err := textmodel.New(c, w)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScoreWithTextModel(t *testing.T) {
	ctx := context.Background()
	plain := newDefault(t)
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	before := p.Version
	p.SetText(wordModel(t, map[string]float32{"visa": 6, "office": -2}))
	if p.Version == before {
		t.Fatal("the text model does not change the pack version")
	}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := ad.Ad{Kind: ad.KindJob, Lang: "en", Title: "Warehouse job", Body: "We arrange your VISA. Apply at our office."}
	v0, v := plain.Score(ctx, a), c.Score(ctx, a)
	z := p.Model.Bias
	var learned []ad.Hit
	for _, h := range v.Hits {
		z += h.Weight
		if h.Learned {
			learned = append(learned, h)
		}
	}
	if want := math.Round(10000/(1+math.Exp(-z))) / 100; v.Score != want {
		t.Fatalf("score %v, logistic of bias + hit weights %v", v.Score, want)
	}
	if len(learned) != 2 || v.Score <= v0.Score {
		t.Fatalf("learned hits %+v; score %v, rules only %v", learned, v.Score, v0.Score)
	}
	// 6/√n for "visa", with n the distinct words of the ad.
	if h := learned[0]; h.Rule != TextWordRule || h.Signal != LearnedSignal || h.Weight <= 0 ||
		len(h.Evidence) != 1 || h.Evidence[0].Text != "VISA" || h.Evidence[0].Field != ad.FieldBody {
		t.Fatalf("first learned hit %+v", h)
	}
	if h := learned[1]; h.Weight >= 0 || h.Evidence[0].Text != "office" {
		t.Fatalf("second learned hit %+v", h)
	}
	out := c.Explain(v)
	if !strings.Contains(out, "learned") || !strings.Contains(out, `"VISA"`) {
		t.Fatalf("explain does not show the learned hit:\n%s", out)
	}
	// The rule hits are those of the rules-only classifier.
	var rulesOnly []string
	for _, h := range v.Hits {
		if !h.Learned {
			rulesOnly = append(rulesOnly, h.Rule)
		}
	}
	var want []string
	for _, h := range v0.Hits {
		want = append(want, h.Rule)
	}
	if strings.Join(rulesOnly, " ") != strings.Join(want, " ") {
		t.Fatalf("rule hits %v, rules only %v", rulesOnly, want)
	}
}

func TestWatchTextModel(t *testing.T) {
	dir := copyRulesDir(t)
	p, err := rules.LoadWithWeights(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(c)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	Watch(ctx, h, dir, 10*time.Millisecond, log)
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(reloadWait)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; log:\n%s", what, logs.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	var b bytes.Buffer
	if _, err := wordModel(t, map[string]float32{"visa": 3}).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, textmodel.File)
	damaged := b.Bytes()[:b.Len()-4] // no "end"
	if err := os.WriteFile(file, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("a rejection", func() bool { return strings.Contains(logs.String(), "rule pack rejected") })
	if h.Classifier() != c || !strings.Contains(logs.String(), textmodel.File) {
		t.Fatalf("damaged model: classifier swapped or error without file name:\n%s", logs.String())
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("a reload", func() bool { return h.Pack().Text != nil })
	v := h.Score(ctx, ad.Ad{Kind: ad.KindJob, Lang: "en", Body: "visa support"})
	if len(v.Hits) == 0 || !v.Hits[len(v.Hits)-1].Learned && !v.Hits[0].Learned {
		t.Fatalf("no learned hit after reload: %+v", v.Hits)
	}
}
