package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/langid"
	"github.com/lurewatch/lure/rules"
)

// maxLineBytes bounds one JSON Lines record read by `lure score`.
const maxLineBytes = 1 << 20

// inputAd turns one record into an ad. Without an id, the ad's ID is
// derived from its URL, or failing that from its line number.
func inputAd(in ad.Input, line int) (ad.Ad, error) {
	return in.Ad("input", in.AdID("input", fmt.Sprintf("line-%d", line)))
}

func cmdScore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lure score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "directory of rule packs (default: the embedded packs)")
	explain := fs.Bool("explain", false, "print a readable explanation instead of JSON (coloured on a terminal unless NO_COLOR is set)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lure score [flags] [FILE|-]\n\nReads JSON Lines of ads (id, title, body, contact, location, salary, lang, kind, site, url)\nand writes one verdict per line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: lure score takes at most one file", errUsage)
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	pack, err := loadPack(*rulesDir)
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{DetectLang: langid.Default().Detect})
	if err != nil {
		return err
	}
	mode := explainNone
	if *explain {
		mode = explainPlain
		if colourTerminal(stdout) {
			mode = explainColour
		}
	}
	return scoreLines(ctx, c, in, stdout, stderr, mode)
}

// How `lure score` writes verdicts.
type explainMode int

const (
	explainNone   explainMode = iota // JSON Lines
	explainPlain                     // readable text
	explainColour                    // readable text with ANSI colours
)

// colourTerminal reports whether w is a terminal that should get colour:
// a character device, with NO_COLOR unset and TERM not "dumb".
func colourTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func loadPack(dir string) (*rules.Pack, error) {
	if dir == "" {
		return rules.Default()
	}
	return rules.LoadWithWeights(os.DirFS(dir))
}

// scoreLines scores every record; a bad record is reported on stderr with
// its line number and the rest go on. It returns an error if any record
// was bad.
func scoreLines(ctx context.Context, c *classifier.Classifier, in io.Reader, stdout, stderr io.Writer, explain explainMode) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	bad := 0
	for line := 1; ; line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := ad.ReadLine(r, maxLineBytes)
		if errors.Is(err, io.EOF) && len(rec) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if !errors.Is(err, ad.ErrLineTooLong) {
				return err
			}
			fmt.Fprintf(stderr, "line %d: %v\n", line, err)
			bad++
			continue
		}
		if len(bytes.TrimSpace(rec)) == 0 {
			continue
		}
		var in ad.Input
		if err := json.Unmarshal(rec, &in); err != nil {
			fmt.Fprintf(stderr, "line %d: %v\n", line, err)
			bad++
			continue
		}
		a, err := inputAd(in, line)
		if err != nil {
			fmt.Fprintf(stderr, "line %d: %v\n", line, err)
			bad++
			continue
		}
		v := c.Score(ctx, a)
		switch explain {
		case explainPlain:
			fmt.Fprintf(w, "== %s  %s\n%s\n", a.ID, a.Title, c.Explain(v))
			continue
		case explainColour:
			fmt.Fprintf(w, "\x1b[1m== %s  %s\x1b[0m\n%s\n", a.ID, a.Title, c.ExplainColour(v))
			continue
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d bad record(s); the rest were scored", bad)
	}
	return nil
}
