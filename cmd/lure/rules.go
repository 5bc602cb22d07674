package main

import (
	"flag"
	"fmt"
	"io"
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
		return nil
	case "test":
		return rulesTest(*rulesDir, stdout)
	}
	return fmt.Errorf("%w: unknown rules command %q (want test or lint)", errUsage, sub)
}
