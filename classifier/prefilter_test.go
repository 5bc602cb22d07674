package classifier

import (
	"context"
	"slices"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: rejected
	}{
		{`(?:лиценз|ліценз)\pL* \pN{3,}`, []string{"лиценз", "ліценз"}},
		{`(?:^| )(?:t me|wa me) [a-z0-9_]+`, []string{"t me ", " t me ", "wa me ", " wa me "}},
		{`(?:билет|виз)\pL*(?: [\pL\pN]+){0,6} (?:вычит|удерж)\pL*`, []string{" вычит", " удерж"}},
		{`licen[cs]e`, []string{"licence", "license"}},
		{`\pL+ \d+`, nil},
		{`(?:ab|cd)\pL*`, nil}, // too short to pre-filter on
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := requiredLiterals(tt.expr)
			if tt.want == nil {
				if err == nil {
					t.Errorf("accepted with %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestPrefixLiterals(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string // nil: not anchorable
	}{
		{`(?:паспорт|документ)\pL*(?: \pL+){0,3} (?:остав|сда)\pL*`, []string{"паспорт", "документ"}},
		{`passport kept by`, []string{"passport kept by"}},
		{`(?:pay|wages?) at the end`, []string{"pay", "wages", "wage"}},
		{`\pL+ (?:вычит|удерж)\pL*`, nil},         // starts with a class
		{`(?:^| )(?:t me|wa me) [a-z0-9_]+`, nil}, // starts with an assertion or a space
		{`(?:ab|cd)x`, nil}, // too short to anchor on
	} {
		got, ok := prefixLiterals(tc.expr)
		if ok != (tc.want != nil) || ok && !slices.Equal(got, tc.want) {
			t.Errorf("prefixLiterals(%q) = %q, %v; want %q", tc.expr, got, ok, tc.want)
		}
	}
}

func TestConjunctLiterals(t *testing.T) {
	for _, tc := range []struct {
		expr string
		skip []string
		want [][]string
	}{
		// the prefix is the trigger; the two later parts are conjuncts,
		// the longer first
		{`(?:зарплат|оплат)\pL*(?: \pL+){0,3} (?:после|в конце) (?:сезон|контракт)\pL*`,
			[]string{"зарплат", "оплат"},
			[][]string{{"после", "в конце"}, {"сезон", "контракт"}}},
		// optional and short parts give nothing
		{`(?:pay|wages?)(?: of)? at (?:the )?end`, []string{"pay", "wages", "wage"}, [][]string{{" at "}, {"end"}}},
		{`\pL+ \d+`, nil, nil},
		{`passport`, []string{"passport"}, nil}, // one literal, no concatenation
	} {
		got := conjunctLiterals(tc.expr, tc.skip)
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %q, want %q", tc.expr, got, tc.want)
			continue
		}
		for i := range got {
			if !slices.Equal(got[i], tc.want[i]) {
				t.Errorf("%s: set %d is %q, want %q", tc.expr, i, got[i], tc.want[i])
			}
		}
	}
}

// A regex whose later part is absent from a field is not run there, and
// one whose parts are all present still matches: conjuncts only skip work.
func TestConjunctsGateRegexes(t *testing.T) {
	p := &rules.Pack{Version: "t", Model: rules.Model{Threshold: 50}, Rules: []rules.Rule{{
		ID: "t.wage_held", Signal: "wage_withholding", Weight: 2, Kind: string(ad.KindJob),
		Regex: []string{`(?:salary|wages?)(?: \pL+){0,3} (?:paid|given) (?:at the end of|after) (?:the season|the contract)`},
	}}}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.conj) == 0 {
		t.Fatal("no conjunct sets derived")
	}
	ctx := context.Background()
	hit := c.Score(ctx, ad.Ad{V: ad.Version, ID: "a", Kind: ad.KindJob, Body: "Salary for all work paid at the end of the season."})
	if len(hit.Hits) != 1 {
		t.Errorf("all parts present: hits %+v", hit.Hits)
	}
	miss := c.Score(ctx, ad.Ad{V: ad.Version, ID: "b", Kind: ad.KindJob, Body: "Salary paid weekly; wages given at the end of each week."})
	if len(miss.Hits) != 0 {
		t.Errorf("a part absent: hits %+v", miss.Hits)
	}
}
