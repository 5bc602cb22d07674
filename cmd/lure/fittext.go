package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textmodel"
)

// textLambdas is the default grid of lure fit --text: the text features
// are unit vectors per ad, so they need weaker regularisation than rule
// features.
var textLambdas = []float64{0.1, 0.03, 0.01, 0.003, 0.001}

// parseTextConfig reads the --text-* flags into c.
func parseTextConfig(c *textmodel.Config, words, chars, scale string) error {
	var err error
	if c.WordMin, c.WordMax, err = parseOrders(words); err != nil {
		return fmt.Errorf("--text-words: %v", err)
	}
	if c.CharMin, c.CharMax, err = parseOrders(chars); err != nil {
		return fmt.Errorf("--text-chars: %v", err)
	}
	p := splitList(scale)
	if len(p) != 2 {
		return fmt.Errorf("--text-scale: want WORD,CHARS")
	}
	for i, dst := range []*float64{&c.WordScale, &c.CharScale} {
		if *dst, err = strconv.ParseFloat(p[i], 64); err != nil {
			return fmt.Errorf("--text-scale: %v", err)
		}
	}
	return c.Validate()
}

func parseOrders(s string) (int, int, error) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("want MIN-MAX, got %q", s)
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, err
	}
	return a, b, nil
}

// writeTopText prints the text features with the largest weights of each
// sign, named by the n-grams of the training ads that fall into their
// bucket (most frequent first) and how many deceptive and legit training
// ads have them.
func writeTopText(w io.Writer, tm *textmodel.Model, ads []ad.Ad, labels []bool, top int) {
	type gram struct {
		kind textmodel.Kind
		text string
	}
	type bucket struct {
		pos, neg int
		grams    map[gram]int
	}
	seen := map[uint32]*bucket{}
	for i := range ads {
		inAd := map[uint32]bool{}
		tm.Config.Grams(&ads[i], func(b uint32, k textmodel.Kind, g string) {
			if tm.W[b] == 0 {
				return
			}
			bk := seen[b]
			if bk == nil {
				bk = &bucket{grams: map[gram]int{}}
				seen[b] = bk
			}
			bk.grams[gram{k, g}]++
			if !inAd[b] {
				inAd[b] = true
				if labels[i] {
					bk.pos++
				} else {
					bk.neg++
				}
			}
		})
	}
	ids := make([]uint32, 0, len(seen))
	for b := range seen {
		ids = append(ids, b)
	}
	for _, class := range []struct {
		name string
		sign float32
	}{{"deceptive", 1}, {"legit", -1}} {
		slices.SortFunc(ids, func(a, b uint32) int {
			return cmp.Or(cmp.Compare(class.sign*tm.W[b], class.sign*tm.W[a]), cmp.Compare(a, b))
		})
		fmt.Fprintf(w, "\n## Text features towards %s (weight per unit value; ads = deceptive/legit training ads with the feature)\n\n| bucket | weight | ads | n-grams (most frequent first) |\n|---:|---:|---:|---|\n", class.name)
		for _, b := range ids[:min(top, len(ids))] {
			if class.sign*tm.W[b] <= 0 {
				break
			}
			bk := seen[b]
			gs := make([]gram, 0, len(bk.grams))
			for g := range bk.grams {
				gs = append(gs, g)
			}
			slices.SortFunc(gs, func(a, b gram) int {
				return cmp.Or(cmp.Compare(bk.grams[b], bk.grams[a]), cmp.Compare(a.text, b.text))
			})
			var names []string
			for _, g := range gs[:min(3, len(gs))] {
				names = append(names, fmt.Sprintf("%s %q", g.kind, g.text))
			}
			fmt.Fprintf(w, "| %d | %+.3f | %d/%d | %s |\n", b, tm.W[b], bk.pos, bk.neg, strings.Join(names, ", "))
		}
	}
}

// writeModelDir writes a rules directory: the pack files of src (its
// *.yaml files except an old weights file), the fitted weights and the
// text model. It refuses a directory that already holds files.
func writeModelDir(dir string, src fs.FS, w rules.Weights, tm *textmodel.Model) error {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("lure fit: --out %s: directory is not empty", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names, err := fs.Glob(src, "*.yaml")
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == rules.WeightsFile {
			continue
		}
		b, err := fs.ReadFile(src, n)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return err
		}
	}
	write := func(name string, wt io.WriterTo) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if _, err := wt.WriteTo(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := write(rules.WeightsFile, w); err != nil {
		return err
	}
	return write(textmodel.File, tm)
}
