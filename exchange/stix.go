package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/lurewatch/lure/store"
)

// stixTime is the STIX 2.1 timestamp form lure writes: UTC, milliseconds.
const stixTime = "2006-01-02T15:04:05.000Z"

func fmtSTIX(t time.Time) string { return t.UTC().Format(stixTime) }

// identityCreated is the fixed creation time of sending identities, so
// that the same organisation always has the same identity object.
var identityCreated = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// tlpExtension is the TLP 2.0 extension definition of the STIX 2.1
// common objects; tlpMarkings are the official TLP 2.0 marking
// definitions (created 2022-10-01).
const tlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

var tlpMarkings = map[string]string{
	"clear":        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	"green":        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	"amber":        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	"amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	"red":          "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// tlp1Markings are the TLP 1.0 marking definitions of STIX 2.1, which
// imported files may still use.
var tlp1Markings = map[string]string{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear",
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}

// tlpOf returns the TLP level of a marking definition ID, or "".
func tlpOf(id string) string {
	for l, x := range tlpMarkings {
		if x == id {
			return l
		}
	}
	return tlp1Markings[id]
}

// stixBundle, stixObject: the subset of STIX 2.1 lure writes and reads.
type stixBundle struct {
	Type    string            `json:"type"`
	ID      string            `json:"id"`
	Objects []json.RawMessage `json:"objects"`
}

type stixIdentity struct {
	Type          string `json:"type"`
	SpecVersion   string `json:"spec_version"`
	ID            string `json:"id"`
	Created       string `json:"created"`
	Modified      string `json:"modified"`
	Name          string `json:"name"`
	IdentityClass string `json:"identity_class,omitempty"`
}

type stixMarking struct {
	Type        string                       `json:"type"`
	SpecVersion string                       `json:"spec_version"`
	ID          string                       `json:"id"`
	Created     string                       `json:"created"`
	Name        string                       `json:"name"`
	Extensions  map[string]map[string]string `json:"extensions"`
}

type stixIndicator struct {
	Type             string   `json:"type"`
	SpecVersion      string   `json:"spec_version"`
	ID               string   `json:"id"`
	Created          string   `json:"created"`
	Modified         string   `json:"modified"`
	CreatedByRef     string   `json:"created_by_ref,omitempty"`
	Name             string   `json:"name,omitempty"`
	Description      string   `json:"description,omitempty"`
	IndicatorTypes   []string `json:"indicator_types,omitempty"`
	Pattern          string   `json:"pattern"`
	PatternType      string   `json:"pattern_type"`
	ValidFrom        string   `json:"valid_from"`
	ObjectMarkingRef []string `json:"object_marking_refs,omitempty"`

	XKind      string   `json:"x_lure_kind,omitempty"`
	XHashed    *bool    `json:"x_lure_hashed,omitempty"`
	XFirstSeen string   `json:"x_lure_first_seen,omitempty"`
	XLastSeen  string   `json:"x_lure_last_seen,omitempty"`
	XSites     []string `json:"x_lure_sites,omitempty"`
	XCountries []string `json:"x_lure_countries,omitempty"`
	XAds       int      `json:"x_lure_ads,omitempty"`
	XConfirmed int      `json:"x_lure_confirmed,omitempty"`
}

// quote writes a STIX pattern string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// pattern returns the STIX pattern of an indicator.
func pattern(x Indicator) string {
	switch {
	case x.Hashed:
		return "[x-lure-contact:kind = " + quote(x.Kind) + " AND x-lure-contact:hash = " + quote(x.Value) + "]"
	case x.Kind == store.IndicatorEmail:
		return "[email-addr:value = " + quote(x.Value) + "]"
	default:
		return "[x-lure-contact:kind = " + quote(x.Kind) + " AND x-lure-contact:value = " + quote(x.Value) + "]"
	}
}

var (
	emailPattern   = regexp.MustCompile(`^\[email-addr:value = '((?:[^'\\]|\\.)*)'\]$`)
	contactPattern = regexp.MustCompile(`^\[x-lure-contact:kind = '([a-z]+)' AND x-lure-contact:(hash|value) = '((?:[^'\\]|\\.)*)'\]$`)
)

func unquote(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\'`, `'`).Replace(s)
}

// parsePattern reads the patterns lure writes; ok is false for any other
// pattern.
func parsePattern(p string) (x Indicator, ok bool) {
	if m := emailPattern.FindStringSubmatch(p); m != nil {
		return Indicator{Kind: store.IndicatorEmail, Value: unquote(m[1])}, true
	}
	if m := contactPattern.FindStringSubmatch(p); m != nil {
		return Indicator{Kind: m[1], Hashed: m[2] == "hash", Value: unquote(m[3])}, true
	}
	return Indicator{}, false
}

func indicatorName(x Indicator) string {
	n := map[string]string{"phone": "Recruiter phone number", "email": "Recruiter e-mail address",
		"handle": "Recruiter messenger handle", "template": "Recruitment ad template"}[x.Kind]
	if x.Hashed {
		n += " (HMAC-SHA256 under the shared key)"
	}
	return n
}

// EncodeSTIX writes set as a STIX 2.1 bundle, indented, with
// deterministic IDs.
func EncodeSTIX(w io.Writer, set Set) error {
	if !store.ValidTLP(set.TLP) {
		return fmt.Errorf("exchange: unknown TLP %q", set.TLP)
	}
	identity := stixIdentity{Type: "identity", SpecVersion: "2.1", ID: "identity--" + uuid5("identity\x00"+set.Org),
		Created: fmtSTIX(identityCreated), Modified: fmtSTIX(identityCreated), Name: set.Org, IdentityClass: "organization"}
	marking := stixMarking{Type: "marking-definition", SpecVersion: "2.1", ID: tlpMarkings[set.TLP],
		Created: "2022-10-01T00:00:00.000Z", Name: "TLP:" + strings.ToUpper(set.TLP),
		Extensions: map[string]map[string]string{tlpExtension: {"extension_type": "property-extension", "tlp_2_0": set.TLP}}}
	objs := []any{identity, marking}
	var ids strings.Builder
	for _, x := range set.Indicators {
		first, last := x.FirstSeen, x.LastSeen
		if first.IsZero() {
			first = identityCreated
		}
		if last.Before(first) {
			last = first
		}
		hashed := x.Hashed
		id := "indicator--" + uuid5(fmt.Sprintf("indicator\x00%s\x00%s\x00%t\x00%s", set.Org, x.Kind, x.Hashed, x.Value))
		ids.WriteString(id)
		objs = append(objs, stixIndicator{Type: "indicator", SpecVersion: "2.1", ID: id,
			Created: fmtSTIX(first), Modified: fmtSTIX(last), CreatedByRef: identity.ID,
			Name: indicatorName(x), IndicatorTypes: []string{"malicious-activity"},
			Pattern: pattern(x), PatternType: "stix", ValidFrom: fmtSTIX(first),
			ObjectMarkingRef: []string{marking.ID},
			XKind:            x.Kind, XHashed: &hashed, XFirstSeen: fmtSTIX(first), XLastSeen: fmtSTIX(last),
			XSites: x.Sites, XCountries: x.Countries, XAds: x.Ads, XConfirmed: x.Confirmed})
	}
	raw := make([]json.RawMessage, len(objs))
	for i, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("exchange: stix: %w", err)
		}
		raw[i] = b
	}
	b := stixBundle{Type: "bundle", ID: "bundle--" + uuid5("bundle\x00"+set.Org+"\x00"+set.TLP+"\x00"+ids.String()), Objects: raw}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("exchange: stix: write: %w", err)
	}
	return nil
}

// parseSTIXTime reads a STIX timestamp (RFC 3339, UTC "Z").
func parseSTIXTime(s string) (time.Time, error) {
	if !strings.HasSuffix(s, "Z") {
		return time.Time{}, fmt.Errorf("timestamp %q is not UTC", clipValue(s))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %s: not RFC 3339", clipValue(s))
	}
	return t, nil
}

// DecodeSTIX reads a STIX 2.1 bundle completely: every object must be
// well formed (type, id "<type>--<uuid>", spec_version 2.1, timestamps,
// and for indicators pattern, pattern_type and valid_from); an indicator
// whose pattern lure does not write is counted in Skipped; an
// x-lure-contact pattern or lure property that does not validate refuses
// the whole bundle. The TLP is the most restrictive marking of the
// indicators, amber when none is marked.
func DecodeSTIX(data []byte) (Set, error) {
	var b stixBundle
	if err := json.Unmarshal(data, &b); err != nil {
		return Set{}, fmt.Errorf("exchange: stix: %w", err)
	}
	if b.Type != "bundle" || !validID(b.ID, "bundle") {
		return Set{}, errors.New("exchange: stix: not a bundle (type \"bundle\", id \"bundle--<uuid>\")")
	}
	if len(b.Objects) > maxObjects {
		return Set{}, fmt.Errorf("exchange: stix: %d objects, limit %d indicators", len(b.Objects), MaxIndicators)
	}
	var set Set
	orgs := map[string]string{}
	var creators []string
	tlp := ""
	for i, raw := range b.Objects {
		var head struct {
			Type        string `json:"type"`
			ID          string `json:"id"`
			SpecVersion string `json:"spec_version"`
			Created     string `json:"created"`
			Modified    string `json:"modified"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return Set{}, fmt.Errorf("exchange: stix: object %d: %w", i, err)
		}
		if head.Type == "" || !validID(head.ID, head.Type) {
			return Set{}, fmt.Errorf("exchange: stix: object %d: id %s is not \"<type>--<uuid>\"", i, clipValue(head.ID))
		}
		if head.SpecVersion != "2.1" {
			return Set{}, fmt.Errorf("exchange: stix: object %d: spec_version %s, want \"2.1\"", i, clipValue(head.SpecVersion))
		}
		if _, err := parseSTIXTime(head.Created); err != nil {
			return Set{}, fmt.Errorf("exchange: stix: object %d: created: %w", i, err)
		}
		if head.Type != "marking-definition" {
			if _, err := parseSTIXTime(head.Modified); err != nil {
				return Set{}, fmt.Errorf("exchange: stix: object %d: modified: %w", i, err)
			}
		}
		switch head.Type {
		case "identity":
			var id stixIdentity
			if err := json.Unmarshal(raw, &id); err != nil {
				return Set{}, fmt.Errorf("exchange: stix: object %d: %w", i, err)
			}
			orgs[id.ID] = id.Name
		case "indicator":
			var si stixIndicator
			if err := json.Unmarshal(raw, &si); err != nil {
				return Set{}, fmt.Errorf("exchange: stix: object %d: %w", i, err)
			}
			x, err := fromSTIX(si)
			if err != nil {
				return Set{}, fmt.Errorf("exchange: stix: object %d: %w", i, err)
			}
			if x == nil {
				set.Skipped++
				continue
			}
			for _, ref := range si.ObjectMarkingRef {
				if l := tlpOf(ref); l != "" && tlpRank(l) > tlpRank(tlp) {
					tlp = l
				}
			}
			if si.CreatedByRef != "" {
				creators = append(creators, si.CreatedByRef)
			}
			set.Indicators = append(set.Indicators, *x)
			if len(set.Indicators) > MaxIndicators {
				return Set{}, fmt.Errorf("exchange: stix: more than %d indicators", MaxIndicators)
			}
		}
	}
	for _, c := range creators {
		if n := orgs[c]; n != "" {
			set.Org = n
			break
		}
	}
	if tlp == "" {
		tlp = "amber"
	}
	set.TLP = tlp
	return set, nil
}

// tlpRank orders TLP levels from least to most restrictive; "" is below
// every level.
func tlpRank(t string) int {
	for i, x := range store.TLPLevels {
		if x == t {
			return i
		}
	}
	return -1
}

// fromSTIX returns the indicator of a STIX indicator object, nil for a
// pattern lure does not use.
func fromSTIX(si stixIndicator) (*Indicator, error) {
	if si.PatternType != "stix" {
		if si.PatternType == "" {
			return nil, errors.New("indicator without pattern_type")
		}
		return nil, nil
	}
	if si.Pattern == "" {
		return nil, errors.New("indicator without pattern")
	}
	if _, err := parseSTIXTime(si.ValidFrom); err != nil {
		return nil, fmt.Errorf("valid_from: %w", err)
	}
	x, ok := parsePattern(si.Pattern)
	if !ok {
		if strings.Contains(si.Pattern, "x-lure-contact:") {
			return nil, errors.New("malformed x-lure-contact pattern")
		}
		return nil, nil
	}
	if si.XHashed != nil && *si.XHashed != x.Hashed {
		return nil, errors.New("x_lure_hashed contradicts the pattern")
	}
	var err error
	if si.XFirstSeen != "" {
		if x.FirstSeen, err = parseSTIXTime(si.XFirstSeen); err != nil {
			return nil, fmt.Errorf("x_lure_first_seen: %w", err)
		}
	}
	if si.XLastSeen != "" {
		if x.LastSeen, err = parseSTIXTime(si.XLastSeen); err != nil {
			return nil, fmt.Errorf("x_lure_last_seen: %w", err)
		}
	}
	x.Sites, x.Countries, x.Ads, x.Confirmed = si.XSites, si.XCountries, si.XAds, si.XConfirmed
	if err := x.check(); err != nil {
		return nil, err
	}
	return &x, nil
}
