package rules_test

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/rules"
)

// TestRuleExamples runs every rule's own examples through the real
// classifier.
func TestRuleExamples(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(p, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range p.Rules {
		n += len(r.Examples.Fire) + len(r.Examples.Silent)
	}
	if n < 2*len(p.Rules) {
		t.Fatalf("%d examples for %d rules", n, len(p.Rules))
	}
	for _, f := range c.CheckExamples(context.Background()) {
		t.Error(f)
	}
}
