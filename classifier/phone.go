package classifier

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// langRegion is the default phone region of an ad language, used when
// neither the site nor the pack's model.home names a country.
var langRegion = map[string]string{
	"ru": "RU", "uk": "UA", "ro": "RO", "en": "GB", "bg": "BG", "sr": "RS",
	"pl": "PL", "kk": "KZ", "ka": "GE", "be": "BY", "ky": "KG", "uz": "UZ", "hy": "AM", "az": "AZ",
}

// phoneRegion returns the region (ISO alpha-2) in which numbers without
// a country code are read.
func (c *Classifier) phoneRegion(site, lang string) string {
	if h := c.opts.SiteHome[site]; len(h) > 0 {
		return h[0]
	}
	if h := c.pack.Model.Home[lang]; len(h) > 0 {
		return h[0]
	}
	return langRegion[lang]
}

// E164 normalises a phone number written in an ad to E.164 with
// libphonenumber's rules, reading national numbers in region. ok is false
// when the digits are not a valid number there; raw digits are then
// returned ("+" kept for an international prefix), so that the same
// contact still links across ads.
func E164(raw, region string) (string, bool) {
	in := e164Input(raw)
	if strings.HasPrefix(in, "+") && validIntl(in[1:]) {
		return in, true
	}
	if !strings.HasPrefix(in, "+") && plainNational[region] {
		if cc := phonenumbers.GetCountryCodeForRegion(region); cc > 0 {
			nsn := in
			if p := phonenumbers.GetNddPrefixForRegion(region, true); p != "" {
				nsn = strings.TrimPrefix(in, p)
			}
			if e := "+" + strconv.Itoa(cc) + nsn; validIntl(e[1:]) {
				return e, true
			}
		}
	}
	if region != "" || strings.HasPrefix(in, "+") {
		if n, err := phonenumbers.Parse(in, region); err == nil && phonenumbers.IsValidNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), true
		}
	}
	return in, false
}

// plainNational are the regions, the region lure watches and the
// destinations its ads name, where a national number is its national
// prefix (if any) and the national significant number, so that E164 can
// read it without the parser. TestE164FastPath checks, region by region,
// that the result is the parser's; elsewhere (carrier codes, prefixes
// that are patterns) the parser reads national numbers.
var plainNational = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`RU UA BY MD RO BG RS HR BA ME MK AL XK SI PL LT LV EE
		KZ KG UZ TJ TM AZ AM GE TR GB DE FR IT ES PT NL BE AT CH CZ SK HU GR CY
		IE SE NO DK FI IS AE QA SA KW BH OM JO LB EG CN JP KR TH MY SG
		US CA`) {
		plainNational[r] = true
	}
}

// e164Input is the digits of raw, with "+" for an international prefix
// ("+" or "00").
func e164Input(raw string) string {
	var d strings.Builder
	for i := 0; i < len(raw); i++ {
		if isDigit(raw[i]) {
			d.WriteByte(raw[i])
		}
	}
	digits := d.String()
	switch {
	case strings.HasPrefix(strings.TrimSpace(raw), "+"):
		return "+" + digits
	case strings.HasPrefix(digits, "00") && len(digits) >= 11 && digits[2] != '0':
		return "+" + digits[2:] // international prefix 00
	}
	return digits
}

// validIntl reports whether digits (an international number without its
// "+") are a country calling code and a valid national number as they
// stand: then libphonenumber's E.164 form is "+" and the digits, and its
// parser, which spends most of its time on regular expressions for
// extensions and punctuation a digit string cannot have, is not needed.
// Numbers it rejects still go to the parser, which also strips a
// national prefix written after the country code ("+44 (0)20 …").
func validIntl(digits string) bool {
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc := 0
		for _, d := range digits[:n] {
			cc = cc*10 + int(d-'0')
		}
		if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue // calling codes are prefix-free: at most one n fits
		}
		nsn := digits[n:]
		if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN || len(nsn) > phonenumbers.MAX_LENGTH_FOR_NSN {
			return false
		}
		nat, err := strconv.ParseUint(nsn, 10, 64)
		if err != nil {
			return false
		}
		code := int32(cc)
		num := &phonenumbers.PhoneNumber{CountryCode: &code, NationalNumber: &nat}
		if nsn[0] == '0' && len(nsn) >= 2 {
			lead, zeros := true, int32(1)
			for int(zeros) < len(nsn)-1 && nsn[zeros] == '0' {
				zeros++
			}
			num.ItalianLeadingZero = &lead
			if zeros != 1 {
				num.NumberOfLeadingZeros = &zeros
			}
		}
		return phonenumbers.IsValidNumber(num)
	}
	return false
}
