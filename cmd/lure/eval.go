package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/eval"
	"github.com/lurewatch/lure/langid"
)

// cmdEval scores labelled files and prints the quality report.
func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "auto", "input format: auto, jsonl, emscad, difraud or rujobs")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of Markdown")
	var threshold optFloat
	fs.Var(&threshold, "threshold", "flag threshold 0-100 (default: the rule pack's model threshold)")
	rulesDir := fs.String("rules", "", "directory of rule packs (default: the embedded packs)")
	worst := fs.Int("worst", eval.DefaultWorst, "how many worst misses to list each way")
	boot := fs.Int("bootstrap", 1000, "bootstrap resamples for 95% intervals of F1 and PR-AUC (0: none)")
	dedup := fs.Bool("dedup", true, "count texts that appear in several files (EMSCAD and DIFrauD) once")
	baseline := fs.String("baseline", "", "shadow comparison: also score with the rule packs of this directory (the pack in use; \"embedded\" for the built-in packs) and print per-slice changes and the ads whose flag would change from it to --rules")
	maxChanges := fs.Int("changes", 100, "with --baseline: how many ads whose flag would change to list (0: all)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lure eval [flags] FILE...\n\nScores labelled ads and prints precision, recall, F1, PR-AUC, ROC-AUC, recall at\nfixed false-positive rates, the best-F1 threshold, calibration by score band, per\nlanguage, kind, group, indicator, rule and signal, and the worst misses.\nFormats: lure JSON Lines (label deceptive/legit or 1/0), EMSCAD CSV, DIFrauD JSON Lines,\nRussian vacancy CSVs (all legit).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: lure eval needs at least one FILE", errUsage)
	}
	if threshold.set && (threshold.v < 0 || threshold.v > 100) {
		return fmt.Errorf("%w: --threshold %g: want 0-100", errUsage, threshold.v)
	}
	if *baseline != "" && *asJSON {
		return fmt.Errorf("%w: --baseline prints Markdown; leave out --json", errUsage)
	}
	f, err := eval.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	pack, err := loadPack(*rulesDir)
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}
	var recs []eval.Record
	for _, name := range fs.Args() {
		rs, err := eval.LoadFile(ctx, name, eval.LoadOptions{Format: f})
		if err != nil {
			return err
		}
		recs = append(recs, rs...)
	}
	if *dedup {
		var dropped int
		if recs, dropped = eval.Dedup(recs); dropped > 0 {
			fmt.Fprintf(stderr, "lure eval: %d duplicate texts counted once\n", dropped)
		}
	}
	results, err := eval.Run(ctx, c, recs)
	if err != nil {
		return err
	}
	th := pack.Model.Threshold
	if threshold.set {
		th = threshold.v
	}
	weights := make(map[string]float64, len(pack.Rules))
	for _, r := range pack.Rules {
		weights[r.ID] = r.Weight
	}
	rep := eval.Compute(results, eval.ReportOptions{Threshold: th, Worst: *worst, Weights: weights, Bootstrap: max(*boot, 0)})
	if *asJSON {
		return rep.WriteJSON(stdout)
	}
	fmt.Fprintf(stdout, "# lure eval: %d ads, rule pack %s\n\nFiles: %s\n\n", len(results), pack.Version, strings.Join(fs.Args(), ", "))
	if err := rep.WriteMarkdown(stdout); err != nil {
		return err
	}
	if *baseline == "" {
		return nil
	}
	dir := *baseline
	if dir == "embedded" {
		dir = ""
	}
	bpack, err := loadPack(dir)
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	bc, err := classifier.New(bpack, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	bres, err := eval.Run(ctx, bc, recs)
	if err != nil {
		return err
	}
	bth := bpack.Model.Threshold
	if threshold.set {
		bth = threshold.v
	}
	cmpr, err := eval.Compare(bres, results, bth, th)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nBaseline: rule pack %s; candidate: rule pack %s.\n\n", bpack.Version, pack.Version)
	return cmpr.WriteMarkdown(stdout, max(*maxChanges, 0))
}

// optFloat is a float flag that knows whether it was given.
type optFloat struct {
	v   float64
	set bool
}

func (f *optFloat) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	f.v, f.set = v, true
	return nil
}
