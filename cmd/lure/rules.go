package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lurewatch/lure/rules"
)

func cmdRules(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: lure rules test|lint [-rules DIR]", errUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("lure rules "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "directory of rule packs (default: the embedded packs)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch sub {
	case "lint":
		pack, err := loadPack(*rulesDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "ok: %d rules, pack %s\n", len(pack.Rules), pack.Version)
		printPackFiles(stdout, pack)
		return nil
	case "test":
		return rulesTest(*rulesDir, stdout)
	}
	return fmt.Errorf("%w: unknown rules command %q (want test or lint)", errUsage, sub)
}

// printPackFiles lists each rule file with its languages, its number of
// rules, how many of them lower a score, and the destinations it adds.
func printPackFiles(w io.Writer, p *rules.Pack) {
	type count struct{ rules, negative int }
	per := map[string]*count{}
	for _, r := range p.Rules {
		c := per[r.File]
		if c == nil {
			c = &count{}
			per[r.File] = c
		}
		c.rules++
		if r.Weight < 0 {
			c.negative++
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tpack\tlanguages\trules\tnegative")
	for _, f := range p.Files {
		c := per[f.File]
		if c == nil {
			c = &count{}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", f.File, f.Name, strings.Join(f.Languages, " "), c.rules, c.negative)
	}
	tw.Flush()
}
