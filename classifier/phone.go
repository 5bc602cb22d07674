package classifier

import (
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
	var d strings.Builder
	for i := 0; i < len(raw); i++ {
		if isDigit(raw[i]) {
			d.WriteByte(raw[i])
		}
	}
	digits := d.String()
	in := digits
	switch {
	case strings.HasPrefix(strings.TrimSpace(raw), "+"):
		in = "+" + digits
	case strings.HasPrefix(digits, "00") && len(digits) >= 11 && digits[2] != '0':
		in = "+" + digits[2:] // international prefix 00
	}
	if region != "" || strings.HasPrefix(in, "+") {
		if n, err := phonenumbers.Parse(in, region); err == nil && phonenumbers.IsValidNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), true
		}
	}
	return in, false
}
