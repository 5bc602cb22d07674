package classifier

import (
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func TestE164(t *testing.T) {
	tests := []struct {
		raw, region, want string
		valid             bool
	}{
		{"+373 69 123 456", "", "+37369123456", true},
		{"069 123 456", "MD", "+37369123456", true},
		{"0721 000 000", "RO", "+40721000000", true},
		{"8 916 204 55 18", "RU", "+79162045518", true},
		{"067 123 45 67", "UA", "+380671234567", true},
		{"0040 721 000 000", "RU", "+40721000000", true},
		{"12345", "RU", "12345", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, ok := E164(tt.raw, tt.region)
			if got != tt.want || ok != tt.valid {
				t.Errorf("E164(%q, %q) = %q, %v; want %q, %v", tt.raw, tt.region, got, ok, tt.want, tt.valid)
			}
		})
	}
}

// TestScorePhoneRegion checks that the ad's language picks the region of
// national numbers.
func TestScorePhoneRegion(t *testing.T) {
	c := newDefault(t)
	for _, tt := range []struct{ lang, contact, want string }{
		{"uk", "тел. 067 123 45 67", "+380671234567"},
		{"ru", "8 (916) 204-55-18", "+79162045518"},
		{"ro", "0721 000 000", "+40721000000"},
	} {
		v := c.Score(t.Context(), ad.Ad{V: 1, ID: "p", Site: "s", Kind: ad.KindJob, Lang: tt.lang, Body: "работа", Contact: tt.contact})
		if len(v.Entities.Phones) != 1 || v.Entities.Phones[0] != tt.want {
			t.Errorf("%s %q: phones %v, want %s", tt.lang, tt.contact, v.Entities.Phones, tt.want)
		}
	}
}

func FuzzE164(f *testing.F) {
	for _, s := range []string{"+373 69 123 456", "8 (916) 204-55-18", "00", "+", "0000000000000000000", "+999 1"} {
		f.Add(s, "RU")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, ok := E164(raw, region)
		if ok && (!strings.HasPrefix(got, "+") || len(got) > 16) {
			t.Fatalf("E164(%q, %q) = %q: not E.164", raw, region, got)
		}
	})
}
