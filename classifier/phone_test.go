package classifier

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/nyaruka/phonenumbers"
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

// parseE164 is E164 by libphonenumber's parser alone, the reference for
// its fast paths.
func parseE164(raw, region string) (string, bool) {
	in := e164Input(raw)
	if region != "" || strings.HasPrefix(in, "+") {
		if n, err := phonenumbers.Parse(in, region); err == nil && phonenumbers.IsValidNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), true
		}
	}
	return in, false
}

// TestE164FastPath compares E164 with the parser on every region's example
// numbers of every type and on damaged copies of them: a digit dropped,
// added or changed, and a national prefix written after the country code.
func TestE164FastPath(t *testing.T) {
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.UAN}
	rng := rand.New(rand.NewPCG(3, 4))
	checked, valid := 0, 0
	for _, region := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions())) {
		for _, typ := range types {
			n := phonenumbers.GetExampleNumberForType(region, typ)
			if n == nil {
				continue
			}
			e := phonenumbers.Format(n, phonenumbers.E164)
			cc := strconv.Itoa(int(n.GetCountryCode()))
			nsn := e[1+len(cc):]
			k := rng.IntN(len(nsn))
			variants := []string{e, e[:len(e)-1], e + "5", "+" + cc + "0" + nsn, "+" + cc + "8" + nsn, "+" + cc + "00" + nsn,
				"+" + cc + nsn[:k] + string(rune('0'+rng.IntN(10))) + nsn[k+1:], "+" + cc + nsn[:k] + nsn[k+1:]}
			nat := digitsOf(phonenumbers.Format(n, phonenumbers.NATIONAL))
			k = rng.IntN(len(nat))
			national := []string{nat, nat[:len(nat)-1], nat + "5", "0" + nat, "8" + nat, nsn,
				nat[:k] + string(rune('0'+rng.IntN(10))) + nat[k+1:]}
			for i, in := range append(variants, national...) {
				r := ""
				if i >= len(variants) {
					r = region
				}
				want, wantOK := parseE164(in, r)
				got, ok := E164(in, r)
				if got != want || ok != wantOK {
					t.Errorf("E164(%q, %q) = %q, %v; the parser says %q, %v", in, r, got, ok, want, wantOK)
				}
				checked++
				if ok {
					valid++
				}
			}
		}
	}
	t.Logf("%d checked, %d valid", checked, valid)
	if checked < 1000 || valid < checked/4 {
		t.Fatalf("%d numbers checked, %d valid: the example numbers did not load", checked, valid)
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

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
