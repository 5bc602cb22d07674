package main

import (
	"context"
	"fmt"
	"io"

	"github.com/lurewatch/lure/classifier"
)

// rulesTest runs every rule's own examples and reports each failure.
func rulesTest(dir string, stdout io.Writer) error {
	pack, err := loadPack(dir)
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{})
	if err != nil {
		return err
	}
	fails := c.CheckExamples(context.Background())
	for _, f := range fails {
		fmt.Fprintln(stdout, "FAIL", f.Error())
	}
	examples := 0
	for _, r := range pack.Rules {
		examples += len(r.Examples.Fire) + len(r.Examples.Silent)
	}
	examples += len(pack.Regions.Examples) + len(pack.Categories.Examples)
	if len(fails) > 0 {
		return fmt.Errorf("%d of %d rule examples failed", len(fails), examples)
	}
	fmt.Fprintf(stdout, "ok: %d rules, %d examples, pack %s\n", len(pack.Rules), examples, pack.Version)
	return nil
}
