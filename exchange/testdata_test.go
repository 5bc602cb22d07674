package exchange

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTestdata decodes the fixture files: what other tools send.
func TestTestdata(t *testing.T) {
	for _, tc := range []struct {
		file, format, org, tlp string
		indicators, skipped    int
	}{
		{"partner_stix.json", FormatSTIX, "Partner NGO", "amber", 3, 1},
		{"partner_misp.json", FormatMISP, "Partner NGO", "green", 3, 1},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		format, set, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if format != tc.format || set.Org != tc.org || set.TLP != tc.tlp || len(set.Indicators) != tc.indicators || set.Skipped != tc.skipped {
			t.Errorf("%s: %s %q %s %d indicators, %d skipped", tc.file, format, set.Org, set.TLP, len(set.Indicators), set.Skipped)
		}
	}
}
