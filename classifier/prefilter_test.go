package classifier

import (
	"slices"
	"testing"
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
