package network

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The network score is a separate layer on top of the per-ad verdict: it
// never changes ad.Verdict.Score, which stays reproducible from the ad and
// the rule pack alone. It is the sum of the weights of the network
// features that fire, capped at 100:
//
//	contact_ads     a contact of the ad is used by ≥ ContactAds ads        (default 3 ads, weight 20)
//	contact_cities  a contact of the ad is used in ≥ ContactCities cities  (default 3 cities, weight 20)
//	confirmed       the ad's network holds another ad an analyst confirmed (weight 40)
//	burst           ≥ BurstAds ads of the network within BurstWindow       (default 5 ads in 24h, weight 20)
//	partner_known   a partner organisation shared an indicator of the network (weight 30)
//
// The network of an ad is its cluster: ads linked to it by a shared
// contact or a near-duplicate template, directly or through other ads.

// Weights set the network features. Zero fields take the defaults.
type Weights struct {
	ContactAds          int     // default 3
	ContactAdsWeight    float64 // default 20
	ContactCities       int     // default 3
	ContactCitiesWeight float64 // default 20
	ConfirmedWeight     float64 // default 40
	BurstAds            int     // default 5
	BurstWindow         time.Duration
	BurstWeight         float64 // default 20
	PartnerWeight       float64 // default 30
}

// DefaultWeights returns the documented defaults.
func DefaultWeights() Weights {
	return Weights{ContactAds: 3, ContactAdsWeight: 20, ContactCities: 3, ContactCitiesWeight: 20,
		ConfirmedWeight: 40, BurstAds: 5, BurstWindow: 24 * time.Hour, BurstWeight: 20, PartnerWeight: 30}
}

// WithDefaults returns w with every zero field set to its default, the
// weights Score uses.
func (w Weights) WithDefaults() Weights {
	d := DefaultWeights()
	if w.ContactAds <= 0 {
		w.ContactAds = d.ContactAds
	}
	if w.ContactAdsWeight == 0 {
		w.ContactAdsWeight = d.ContactAdsWeight
	}
	if w.ContactCities <= 0 {
		w.ContactCities = d.ContactCities
	}
	if w.ContactCitiesWeight == 0 {
		w.ContactCitiesWeight = d.ContactCitiesWeight
	}
	if w.ConfirmedWeight == 0 {
		w.ConfirmedWeight = d.ConfirmedWeight
	}
	if w.BurstAds <= 0 {
		w.BurstAds = d.BurstAds
	}
	if w.BurstWindow <= 0 {
		w.BurstWindow = d.BurstWindow
	}
	if w.BurstWeight == 0 {
		w.BurstWeight = d.BurstWeight
	}
	if w.PartnerWeight == 0 {
		w.PartnerWeight = d.PartnerWeight
	}
	return w
}

// Facts are what the network features read.
type Facts struct {
	ContactAds    int         // the most ads using one of the contacts
	ContactCities int         // the most cities of one of the contacts
	Confirmed     int         // confirmed ads in the network (other than the ad itself)
	Times         []time.Time // when the network's ads were seen, sorted
	Partners      int         // partner organisations that shared an indicator (contact or template) of the network's ads
}

// Feature is one network feature and whether it fired.
type Feature struct {
	Name   string  `json:"name"`
	Fired  bool    `json:"fired"`
	Weight float64 `json:"weight"`
	Detail string  `json:"detail"`
}

// Explanation is a network score with its features.
type Explanation struct {
	Score    float64   `json:"score"`
	Features []Feature `json:"features"`
}

// Score computes the network score of facts.
func Score(f Facts, w Weights) Explanation {
	w = w.WithDefaults()
	burst := maxInWindow(f.Times, w.BurstWindow)
	fs := []Feature{
		{Name: "contact_ads", Fired: f.ContactAds >= w.ContactAds, Weight: w.ContactAdsWeight,
			Detail: fmt.Sprintf("a contact is used by %d ads (fires at %d)", f.ContactAds, w.ContactAds)},
		{Name: "contact_cities", Fired: f.ContactCities >= w.ContactCities, Weight: w.ContactCitiesWeight,
			Detail: fmt.Sprintf("a contact is used in %d cities (fires at %d)", f.ContactCities, w.ContactCities)},
		{Name: "confirmed", Fired: f.Confirmed > 0, Weight: w.ConfirmedWeight,
			Detail: fmt.Sprintf("%d confirmed ads share a contact or template with it", f.Confirmed)},
		{Name: "burst", Fired: burst >= w.BurstAds, Weight: w.BurstWeight,
			Detail: fmt.Sprintf("%d ads within %s (fires at %d)", burst, window(w.BurstWindow), w.BurstAds)},
		{Name: "partner_known", Fired: f.Partners > 0, Weight: w.PartnerWeight,
			Detail: fmt.Sprintf("known to %d partner organisations (shared indicators)", f.Partners)},
	}
	var e Explanation
	for _, x := range fs {
		if x.Fired {
			e.Score += x.Weight
		}
	}
	e.Score = math.Max(0, math.Min(100, e.Score))
	e.Features = fs
	return e
}

// maxInWindow returns the most sorted times within any window of d.
func maxInWindow(ts []time.Time, d time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) > d {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// window formats a duration without zero minutes and seconds ("24h").
func window(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
