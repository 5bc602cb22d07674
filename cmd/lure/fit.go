package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/eval"
	"github.com/lurewatch/lure/fit"
	"github.com/lurewatch/lure/langid"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textmodel"
)

// cmdFit fits rule weights from labelled files and prints what changed.
func cmdFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "auto", "input format: auto, jsonl (also the store's decision export), emscad, difraud or rujobs")
	folds := fs.Int("folds", 5, "folds of the cross-validation that picks the regularisation strength")
	out := fs.String("out", "", "write the fitted weights to this file (e.g. rules/weights.yaml); default: print only")
	rulesDir := fs.String("rules", "", "directory of rule packs, with an optional weights.yaml (default: the embedded packs)")
	lambdas := fs.String("lambdas", "", "comma-separated L2 strengths to cross-validate (default: 1 down to 0.0003)")
	fromZero := fs.Bool("from-zero", false, "regularise towards 0 instead of towards the current weights (with --text: with the strength of the text features)")
	bow := fs.Bool("bow", false, "also fit a bag-of-words logistic-regression baseline on the same data and report it")
	dedup := fs.Bool("dedup", true, "count texts that appear in several files (EMSCAD and DIFrauD) once")
	text := fs.Bool("text", false, "fit hashed word and character n-gram features of the normalised text jointly with the rule features (a hybrid model); --out is then a rules directory")
	textCfg := textmodel.DefaultConfig()
	fs.IntVar(&textCfg.Bits, "text-bits", textCfg.Bits, "with --text: hash table size 2^N")
	textWords := fs.String("text-words", "1-2", "with --text: word n-gram orders MIN-MAX (0-0: none)")
	textChars := fs.String("text-chars", "3-5", "with --text: character n-gram orders MIN-MAX within words (0-0: none)")
	textScale := fs.String("text-scale", fmt.Sprintf("%g,%g", textCfg.WordScale, textCfg.CharScale), "with --text: scale of the word and of the character block (each a unit vector per ad)")
	textPrune := fs.Float64("text-prune", 0.001, "with --text: drop text weights smaller in magnitude than this")
	textIter := fs.Int("text-iter", 400, "with --text: gradient iterations per fit")
	top := fs.Int("top", 25, "with --text: text features listed per class")
	var tests multiFlag
	fs.Var(&tests, "test", "labelled file to report before/after metrics on, never fitted on (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lure fit [flags] FILE...\n\nFits rule weights and bias by L2-regularised logistic regression on the rules that\nfired, with k-fold cross-validation choosing the strength; prints before/after metrics\nand the weight diff per rule, and writes a weights file rule packs read (--out).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: lure fit needs at least one labelled FILE", errUsage)
	}
	f, err := eval.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	grid, err := parseLambdas(*lambdas)
	if err != nil {
		return fmt.Errorf("%w: --lambdas: %v", errUsage, err)
	}
	if *text {
		if err := parseTextConfig(&textCfg, *textWords, *textChars, *textScale); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	pack, err := loadFitPack(*rulesDir)
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}
	load := func(names []string, f eval.Format) ([]eval.Record, error) {
		var recs []eval.Record
		for _, name := range names {
			rs, err := eval.LoadFile(ctx, name, eval.LoadOptions{Format: f})
			if err != nil {
				return nil, err
			}
			recs = append(recs, rs...)
		}
		if *dedup {
			recs, _ = eval.Dedup(recs)
		}
		return recs, nil
	}
	recs, err := load(fs.Args(), f)
	if err != nil {
		return err
	}
	ads, labels := split(recs)
	rf, err := fit.ExtractRules(ctx, c, pack, ads, labels)
	if err != nil {
		return err
	}
	opts := fit.RuleOptions(pack, *fromZero)
	data := rf.Data
	var hy fit.Hybrid
	var ruleCV fit.CVResult
	if *text && !*fromZero {
		// The rules keep the strength their own cross-validation picks;
		// the grid is then searched for the text features.
		if ruleCV, err = fit.CrossValidate(ctx, rf.Data, opts, *folds, nil); err != nil {
			return err
		}
	}
	if *text {
		hy = fit.NewHybrid(rf, textCfg, ads)
		data = hy.Data
		// With --from-zero the rules are features like the words: one
		// strength for all.
		ruleLambda := math.NaN()
		if !*fromZero {
			ruleLambda = ruleCV.BestLambda()
		}
		opts = hy.Options(*fromZero, ruleLambda)
		opts.MaxIter, opts.Tol = *textIter, 1e-5
		if grid == nil {
			grid = textLambdas
		}
	}
	cv, err := fit.CrossValidate(ctx, data, opts, *folds, grid)
	if err != nil {
		return err
	}
	opts.Lambda = cv.BestLambda()
	m, err := fit.Train(ctx, data, opts)
	if err != nil {
		return err
	}
	var tm *textmodel.Model
	if *text {
		if m, tm, err = hy.Split(m, *textPrune); err != nil {
			return err
		}
	}
	w := rf.Weights(m, opts.Lambda)
	w.Fitted = time.Now().UTC().Truncate(time.Second)
	pos := 0
	for _, l := range labels {
		if l {
			pos++
		}
	}
	w.Data = []string{fmt.Sprintf("%s: %d ads, %d deceptive, %d-fold CV", strings.Join(fs.Args(), ", "), len(recs), pos, *folds)}
	fitted, err := loadFitPack(*rulesDir)
	if err != nil {
		return err
	}
	if err := fitted.ApplyWeights(w); err != nil {
		return err
	}
	fitted.SetText(tm)
	c2, err := classifier.New(fitted, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}

	th := pack.Model.Threshold
	fmt.Fprintf(stdout, "# lure fit: %d ads (%d deceptive), pack %s → %s\n\nFiles: %s\n\n", len(recs), pos, pack.Version, fitted.Version, strings.Join(fs.Args(), ", "))
	if tm != nil {
		c := tm.Config
		fmt.Fprintf(stdout, "Hybrid model: %d rule features and 2^%d hashed text buckets (words %d–%d, characters %d–%d, scales %g/%g); text model %s keeps %d weights (|w| ≥ %g).\n\n",
			len(pack.Rules), c.Bits, c.WordMin, c.WordMax, c.CharMin, c.CharMax, c.WordScale, c.CharScale, tm.Hash, tm.NonZero(), *textPrune)
	}
	if tm != nil && *fromZero {
		fmt.Fprintf(stdout, "Rule features regularised towards 0 with the strength of the text features (--from-zero).\n\n")
	} else if tm != nil {
		fmt.Fprintf(stdout, "Rule features regularised with λ=%g, the strength %d-fold cross-validation of the rules alone selects (out-of-fold PR-AUC %.3f, ROC-AUC %.3f); the table is the strength of the text features.\n\n",
			ruleCV.BestLambda(), ruleCV.Folds, ruleCV.Scores[ruleCV.Best].PRAUC, ruleCV.Scores[ruleCV.Best].ROCAUC)
	}
	fmt.Fprintf(stdout, "## Regularisation (%d-fold cross-validation, out of fold)\n\n| lambda | log-loss | PR-AUC | ROC-AUC |\n|---:|---:|---:|---:|\n", cv.Folds)
	for i, s := range cv.Scores {
		mark := ""
		if i == cv.Best {
			mark = " ← selected"
		}
		fmt.Fprintf(stdout, "| %g | %.4f | %.3f | %.3f |%s\n", s.Lambda, s.LogLoss, s.PRAUC, s.ROCAUC, mark)
	}
	if cv.AtEdge() {
		fmt.Fprintf(stdout, "\nThe selected strength is at the edge of the grid; widen --lambdas to look beyond it.\n")
	}
	fmt.Fprintf(stdout, "\n## Before / after (threshold %g)\n\n%s\n%s\n", th, metricsHeader, metricsSep)
	before, err := eval.Run(ctx, c, recs)
	if err != nil {
		return err
	}
	metricsRow(stdout, "training data, current weights", before, th)
	metricsRow(stdout, "training data, fitted, out of fold", withScores(before, cv.Scores[cv.Best].OOF), th)
	after, err := eval.Run(ctx, c2, recs)
	if err != nil {
		return err
	}
	metricsRow(stdout, "training data, fitted, in sample", after, th)

	var bowModel fit.Model
	var vocab *fit.Vocabulary
	var bowCV fit.CVResult
	if *bow {
		vocab = fit.BuildVocabulary(ads, 2)
		bd := vocab.BagOfWords(ads, labels)
		if bowCV, err = fit.CrossValidate(ctx, bd, fit.Options{}, *folds, grid); err != nil {
			return err
		}
		if bowModel, err = fit.Train(ctx, bd, fit.Options{Lambda: bowCV.BestLambda()}); err != nil {
			return err
		}
		metricsRow(stdout, fmt.Sprintf("training data, bag of words (%d terms, λ=%g), out of fold", vocab.Len(), bowCV.BestLambda()), withScores(before, bowCV.Scores[bowCV.Best].OOF), th)
	}
	for _, name := range tests {
		trecs, err := load([]string{name}, eval.FormatAuto)
		if err != nil {
			return err
		}
		tb, err := eval.Run(ctx, c, trecs)
		if err != nil {
			return err
		}
		ta, err := eval.Run(ctx, c2, trecs)
		if err != nil {
			return err
		}
		metricsRow(stdout, name+", current weights", tb, th)
		if tm != nil {
			metricsRow(stdout, name+", fitted hybrid (rules + text)", ta, th)
		} else {
			metricsRow(stdout, name+", fitted weights", ta, th)
		}
		if *bow {
			tads, _ := split(trecs)
			probs := make([]float64, len(tads))
			for i, a := range tads {
				probs[i] = bowModel.Prob(vocab.Row(a))
			}
			metricsRow(stdout, name+", bag of words", withScores(tb, probs), th)
		}
	}
	fmt.Fprintf(stdout, "\n## Weight changes (λ=%g; fires = deceptive/legit training ads where the rule counted)\n\n| rule | signal | fires | old | new | change |\n|---|---|---:|---:|---:|---:|\n", opts.Lambda)
	for _, ch := range rf.Diff(w) {
		fmt.Fprintf(stdout, "| %s | %s | %d/%d | %.3f | %.3f | %+.3f |\n", ch.Rule, ch.Signal, ch.Pos, ch.Neg, ch.Old, ch.New, ch.New-ch.Old)
	}
	if tm != nil {
		writeTopText(stdout, tm, ads, labels, *top)
	}
	if *out != "" && tm != nil {
		src := rules.FS()
		if *rulesDir != "" {
			src = os.DirFS(*rulesDir)
		}
		if err := writeModelDir(*out, src, w, tm); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "lure fit: wrote %s (rule packs, %s with %d rule weights and the bias, %s with %d text weights; pack version %s)\n",
			*out, rules.WeightsFile, len(w.Rules), textmodel.File, tm.NonZero(), fitted.Version)
		return nil
	}
	if *out != "" {
		fo, err := os.Create(*out)
		if err != nil {
			return err
		}
		if _, err := w.WriteTo(fo); err != nil {
			fo.Close()
			return err
		}
		if err := fo.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "lure fit: wrote %s (%d rule weights and the bias; pack version %s)\n", *out, len(w.Rules), fitted.Version)
	}
	return nil
}

const (
	metricsHeader = "| data | ads | deceptive | precision | recall | F1 | legit flagged | PR-AUC | ROC-AUC |"
	metricsSep    = "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)

func metricsRow(w io.Writer, name string, rs []eval.Result, th float64) {
	s := eval.Compute(rs, eval.ReportOptions{Threshold: th}).Overall
	fpr := s.Counts.FPR()
	fmt.Fprintf(w, "| %s | %d | %d | %.3f | %.3f | %.3f | %d (%.2f%%) | %s | %s |\n", name, s.N, s.Positives,
		s.Precision, s.Recall, s.F1, s.Counts.FP, 100*fpr, fmtMetric(float64(s.PRAUC)), fmtMetric(float64(s.ROCAUC)))
}

func fmtMetric(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

// withScores returns rs with scores replaced by 100 × the probabilities.
func withScores(rs []eval.Result, probs []float64) []eval.Result {
	out := make([]eval.Result, len(rs))
	for i, r := range rs {
		r.Score = math.Round(10000*probs[i]) / 100
		out[i] = r
	}
	return out
}

func split(recs []eval.Record) ([]ad.Ad, []bool) {
	ads := make([]ad.Ad, len(recs))
	labels := make([]bool, len(recs))
	for i, r := range recs {
		ads[i], labels[i] = r.Ad, r.Deceptive
	}
	return ads, labels
}

// loadFitPack loads a fresh pack (ApplyWeights changes it in place).
func loadFitPack(dir string) (*rules.Pack, error) {
	if dir == "" {
		return rules.Default()
	}
	return rules.LoadWithWeights(os.DirFS(dir))
}

func parseLambdas(s string) ([]float64, error) {
	if s == "" {
		return nil, nil
	}
	var out []float64
	for _, p := range splitList(s) {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bad strength %q", p)
		}
		out = append(out, v)
	}
	return out, nil
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(s string) error {
	*m = append(*m, s)
	return nil
}
