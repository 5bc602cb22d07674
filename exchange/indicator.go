package exchange

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// Limits of one exchange file.
const (
	// MaxFileBytes bounds an imported file.
	MaxFileBytes = 32 << 20
	// MaxIndicators bounds the indicators of one file, exported or
	// imported.
	MaxIndicators = store.MaxPartnerIndicators
	// maxObjects bounds the objects of a STIX bundle or the attributes of
	// a MISP event (indicators plus the identity and markings).
	maxObjects = MaxIndicators + 16
)

// Indicator is one shared contact or template.
type Indicator struct {
	Kind      string // store.IndicatorPhone, …Email, …Handle or …Template
	Hashed    bool   // Value is the hex HMAC-SHA256 of the normalised contact
	Value     string // hex HMAC, normalised contact, or hex signature
	FirstSeen time.Time
	LastSeen  time.Time
	Sites     []string
	Countries []string
	Ads       int // local ads using it
	Confirmed int // of which analysts confirmed
}

// Set is what one file holds: the sending organisation, the TLP of the
// whole set, and the indicators.
type Set struct {
	Org        string
	TLP        string // one of store.TLPLevels
	Indicators []Indicator
	// Skipped counts objects of an imported file that lure does not use
	// (other indicator patterns, other attribute types).
	Skipped int
}

// ExportOptions select what Collect exports.
type ExportOptions struct {
	Since        time.Time // only indicators last seen at or after Since
	MinConfirmed int       // only indicators of at least this many confirmed ads; 0 means 1
	Key          []byte    // the share key; required unless Plain
	Plain        bool      // export contact values in the clear
	Org          string    // the sending organisation
	TLP          string    // "" means amber
}

// ErrNoKey is returned by Collect without a share key or Plain.
var ErrNoKey = errors.New("exchange: a share key is required to export hashed contacts (or ask for plain values)")

// Collect gathers the indicators of the ads that analysts confirmed: every
// contact of a confirmed ad (hashed under opts.Key unless opts.Plain) and
// the template signatures of confirmed ads, near-identical signatures
// (network.DefaultThreshold) merged into one. Indicators are sorted by
// kind and value.
func Collect(ctx context.Context, st *store.Store, opts ExportOptions) (Set, error) {
	if opts.TLP == "" {
		opts.TLP = "amber"
	}
	if !store.ValidTLP(opts.TLP) {
		return Set{}, fmt.Errorf("exchange: unknown TLP %q", opts.TLP)
	}
	if opts.Org == "" || len(opts.Org) > store.MaxPartnerName {
		return Set{}, fmt.Errorf("exchange: organisation name must be 1 to %d bytes", store.MaxPartnerName)
	}
	if !opts.Plain {
		k, err := CheckKey(opts.Key)
		if err != nil {
			if len(opts.Key) == 0 {
				return Set{}, ErrNoKey
			}
			return Set{}, err
		}
		opts.Key = k
	}
	minC := max(1, opts.MinConfirmed)
	set := Set{Org: opts.Org, TLP: opts.TLP}
	keep := func(x Indicator) bool {
		return x.Confirmed >= minC && (opts.Since.IsZero() || !x.LastSeen.Before(opts.Since))
	}
	cs, err := st.Networks().ConfirmedContacts(ctx, MaxIndicators)
	if err != nil {
		return Set{}, fmt.Errorf("exchange: %w", err)
	}
	for _, c := range cs {
		v, err := Normalise(c.Kind, c.Value)
		if err != nil {
			continue // a contact the network engine keeps but no partner could match
		}
		x := Indicator{Kind: c.Kind, Value: v, FirstSeen: c.FirstSeen, LastSeen: c.LastSeen,
			Sites: c.Sites, Countries: c.Countries, Ads: c.Ads, Confirmed: c.Confirmed}
		if !opts.Plain {
			x.Hashed, x.Value = true, Hash(opts.Key, v)
		}
		if keep(x) {
			set.Indicators = append(set.Indicators, x)
		}
	}
	sigs, err := st.Networks().ConfirmedSignatures(ctx, MaxIndicators)
	if err != nil {
		return Set{}, fmt.Errorf("exchange: %w", err)
	}
	for _, t := range templates(sigs) {
		if keep(t) {
			set.Indicators = append(set.Indicators, t)
		}
	}
	if len(set.Indicators) > MaxIndicators {
		return Set{}, fmt.Errorf("exchange: %d indicators, limit %d", len(set.Indicators), MaxIndicators)
	}
	sortIndicators(set.Indicators)
	return set, nil
}

func sortIndicators(xs []Indicator) {
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].Kind != xs[j].Kind {
			return xs[i].Kind < xs[j].Kind
		}
		return xs[i].Value < xs[j].Value
	})
}

// templates merges the signatures of confirmed ads into template
// indicators: each signature joins the first earlier template it is
// near, else starts one.
func templates(sigs []store.LocalSignature) []Indicator {
	type group struct {
		sig              network.Signature
		x                Indicator
		sites, countries map[string]bool
	}
	var gs []*group
	for _, s := range sigs {
		var sig network.Signature
		if sig.UnmarshalBinary(s.Signature) != nil || sig.Empty() {
			continue
		}
		var g *group
		for _, h := range gs {
			if network.Similarity(h.sig, sig) >= network.DefaultThreshold {
				g = h
				break
			}
		}
		if g == nil {
			b, _ := sig.MarshalBinary()
			g = &group{sig: sig, x: Indicator{Kind: store.IndicatorTemplate, Value: hex.EncodeToString(b), FirstSeen: s.Seen, LastSeen: s.Seen},
				sites: map[string]bool{}, countries: map[string]bool{}}
			gs = append(gs, g)
		}
		g.x.Ads++
		g.x.Confirmed++
		if s.Seen.Before(g.x.FirstSeen) {
			g.x.FirstSeen = s.Seen
		}
		if s.Seen.After(g.x.LastSeen) {
			g.x.LastSeen = s.Seen
		}
		g.sites[s.Site] = true
		if s.Country != "" {
			g.countries[s.Country] = true
		}
	}
	out := make([]Indicator, len(gs))
	for i, g := range gs {
		g.x.Sites, g.x.Countries = keys(g.sites), keys(g.countries)
		out[i] = g.x
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var (
	e164RE   = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	hashRE   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	handleRE = regexp.MustCompile(`^[^\s'"\\]{2,256}$`)
)

// Normalise returns a contact value as the network engine keys it
// (network.Contacts): a phone in E.164, an e-mail or handle trimmed and
// lower-cased; or an error for a value no local ad could carry.
func Normalise(kind, v string) (string, error) {
	v = strings.TrimSpace(v)
	switch kind {
	case store.IndicatorPhone:
		if !e164RE.MatchString(v) {
			return "", fmt.Errorf("phone %s is not E.164", clipValue(v))
		}
		return v, nil
	case store.IndicatorEmail:
		v = strings.ToLower(v)
		local, domain, ok := strings.Cut(v, "@")
		if !ok || local == "" || !strings.Contains(domain, ".") || len(v) > 256 || strings.ContainsAny(v, " \t\r\n'\"\\<>") {
			return "", fmt.Errorf("e-mail %s is malformed", clipValue(v))
		}
		return v, nil
	case store.IndicatorHandle:
		v = strings.ToLower(v)
		if !handleRE.MatchString(v) {
			return "", fmt.Errorf("handle %s is malformed", clipValue(v))
		}
		return v, nil
	}
	return "", fmt.Errorf("unknown contact kind %q", clipValue(kind))
}

// clipValue quotes at most a few bytes of a value for an error message:
// errors never carry whole contact details.
func clipValue(v string) string {
	r := []rune(v)
	if len(r) > 4 {
		return fmt.Sprintf("%q…", string(r[:4]))
	}
	return fmt.Sprintf("%q", v)
}

// check validates one indicator of an imported file and normalises its
// value.
func (x *Indicator) check() error {
	switch {
	case x.Kind == store.IndicatorTemplate:
		if x.Hashed {
			return errors.New("a template cannot be hashed")
		}
		b, err := hex.DecodeString(x.Value)
		var sig network.Signature
		if err != nil || strings.ToLower(x.Value) != x.Value || sig.UnmarshalBinary(b) != nil || sig.Empty() {
			return fmt.Errorf("template is not a %d-byte hex signature", 4*network.NumHashes)
		}
	case x.Hashed:
		if x.Kind != store.IndicatorPhone && x.Kind != store.IndicatorEmail && x.Kind != store.IndicatorHandle {
			return fmt.Errorf("unknown kind %s", clipValue(x.Kind))
		}
		if !hashRE.MatchString(x.Value) {
			return errors.New("hash is not 64 lower-case hex digits")
		}
	default:
		v, err := Normalise(x.Kind, x.Value)
		if err != nil {
			return err
		}
		x.Value = v
	}
	if !x.FirstSeen.IsZero() && !x.LastSeen.IsZero() && x.LastSeen.Before(x.FirstSeen) {
		return errors.New("last seen before first seen")
	}
	if x.Ads < 0 || x.Confirmed < 0 || x.Ads > 1<<30 || x.Confirmed > 1<<30 {
		return errors.New("bad count")
	}
	if len(x.Sites) > store.MaxIndicatorPlaces || len(x.Countries) > store.MaxIndicatorPlaces {
		return fmt.Errorf("more than %d sites or countries", store.MaxIndicatorPlaces)
	}
	for _, s := range append(append([]string{}, x.Sites...), x.Countries...) {
		if s == "" || len(s) > 253 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return errors.New("bad site or country")
		}
	}
	return nil
}
