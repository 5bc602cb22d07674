package eval

import (
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	base := []Result{
		{ID: "1", Source: "a.jsonl:1", Lang: "en", Kind: "job", Deceptive: true, Score: 20, Title: "missed lure"},
		{ID: "2", Source: "a.jsonl:2", Lang: "en", Kind: "job", Deceptive: false, Score: 80, Title: "false alarm"},
		{ID: "3", Source: "b.jsonl:1", Lang: "ru", Kind: "job", Deceptive: false, Score: 10, Title: "quiet vacancy"},
		{ID: "4", Source: "b.jsonl:2", Lang: "ru", Kind: "job", Deceptive: true, Score: 90, Title: "caught lure"},
	}
	cand := make([]Result, len(base))
	copy(cand, base)
	cand[0].Score = 70 // now caught
	cand[2].Score = 60 // now a false alarm
	c, err := Compare(base, cand, 50, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Changes) != 2 || c.Changes[0].ID != "3" || !c.Changes[0].Flagged || c.Changes[1].ID != "1" {
		t.Fatalf("changes %+v (want the wrong one, 3, first)", c.Changes)
	}
	all := c.Slices[0]
	if all.Slice != "all" || all.NewlyFlagged != 2 || all.NoLongerFlagged != 0 || all.Base.Recall != 0.5 || all.Candidate.Recall != 1 {
		t.Fatalf("overall %+v", all)
	}
	var ru *SliceChange
	for i := range c.Slices {
		if c.Slices[i].Slice == "lang ru" {
			ru = &c.Slices[i]
		}
	}
	if ru == nil || ru.Base.Counts.FP != 0 || ru.Candidate.Counts.FP != 1 {
		t.Fatalf("ru slice %+v", ru)
	}
	var b strings.Builder
	if err := c.WriteMarkdown(&b, 1); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"| all | 4 | 2 |", "0.500 → 1.000", "newly flagged (wrong)", "quiet vacancy", "and 1 more"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := Compare(base, cand[:3], 50, 50); err == nil {
		t.Fatal("different lengths accepted")
	}
}
