package textnorm

import "testing"

func TestRomanise(t *testing.T) {
	for in, want := range map[string]string{
		"სამუშაო საზღვარგარეთ": "samushao sazghvargaret",
		"ხელფასი":   "xelpasi",
		"წერილი":    "cerili",
		"աշխատանք":  "ashxatank",
		"դուբայում": "dubaium",
		"dubai":     "",
	} {
		if got := Romanise(in); got != want {
			t.Errorf("Romanise(%q) = %q, want %q", in, got, want)
		}
	}
}
