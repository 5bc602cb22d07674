package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadBadDims loads each testdata/bad/dims/<case>.yaml as
// regions.yaml or categories.yaml (by its name) and checks the error.
func TestLoadBadDims(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"regions_bad_country.yaml", `country "Moldova" is not an ISO alpha-2 code`},
		{"regions_duplicate.yaml", `duplicate region "Chișinău"`},
		{"regions_bad_stem.yaml", "stem shorter than 3 letters"},
		{"regions_unknown_want.yaml", `want "MD/Atlantis" is no region of the file`},
		{"regions_unknown_field.yaml", "regions.yaml:3: invalid rule pack: field population not found"},
		{"categories_other.yaml", `category "other" is implied`},
		{"categories_no_patterns.yaml", "category construction has no patterns"},
		{"categories_unknown_want.yaml", `unknown category "astronaut"`},
		{"categories_bad_kind.yaml", `kind "holiday" is not job, marriage or other`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "bad", "dims", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			name := RegionsFile
			if strings.HasPrefix(tt.file, "categories") {
				name = CategoriesFile
			}
			_, err = Load(fstest.MapFS{name: {Data: b}})
			if err == nil {
				t.Fatal("loaded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			var pe *Error
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &pe) || pe.File != name {
				t.Errorf("error is not an invalid-pack *Error for %s: %#v", name, err)
			}
		})
	}
}

func TestDefaultDims(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, cc := range []string{"MD", "UA", "RO", "RU", "BY", "KZ", "GE", "BG", "RS", "PL"} {
		if len(p.Regions.Countries[cc]) < 4 {
			t.Errorf("country %s has %d regions", cc, len(p.Regions.Countries[cc]))
		}
	}
	if n := len(p.Categories.Categories); n != 9 {
		t.Errorf("%d categories, want 9 (and other)", n)
	}
	if len(p.Regions.Examples) < 10 || len(p.Categories.Examples) < 15 {
		t.Errorf("%d region and %d category examples", len(p.Regions.Examples), len(p.Categories.Examples))
	}
}
