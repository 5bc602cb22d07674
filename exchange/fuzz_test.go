package exchange

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary files to the importer's decoder: it must
// never panic, and whatever it accepts must pass the checks the store
// relies on.
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"bundle","id":"bundle--00000000-0000-5000-8000-000000000000","objects":[]}`))
	f.Add([]byte(`{"Event":{"Attribute":[{"type":"email","value":"A@b.co"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, set, err := Decode(data)
		if err != nil {
			return
		}
		if len(set.Indicators) > MaxIndicators || tlpRank(set.TLP) < 0 {
			t.Fatalf("accepted %d indicators, TLP %q", len(set.Indicators), set.TLP)
		}
		for _, x := range set.Indicators {
			y := x
			if err := y.check(); err != nil || y.Value != x.Value {
				t.Fatalf("accepted an indicator that does not check: %+v: %v", x, err)
			}
		}
	})
}
