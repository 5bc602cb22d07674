package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lurewatch/lure/store"
)

type mispTag struct {
	Name string `json:"name"`
}

type mispAttribute struct {
	UUID      string    `json:"uuid"`
	Type      string    `json:"type"`
	Category  string    `json:"category"`
	Value     string    `json:"value"`
	ToIDs     bool      `json:"to_ids"`
	Comment   string    `json:"comment,omitempty"`
	FirstSeen string    `json:"first_seen,omitempty"`
	LastSeen  string    `json:"last_seen,omitempty"`
	Tag       []mispTag `json:"Tag,omitempty"`
}

type mispOrg struct {
	Name string `json:"name"`
}

type mispEvent struct {
	UUID          string          `json:"uuid"`
	Info          string          `json:"info"`
	Date          string          `json:"date"`
	ThreatLevelID string          `json:"threat_level_id"`
	Analysis      string          `json:"analysis"`
	Distribution  string          `json:"distribution"`
	Orgc          mispOrg         `json:"Orgc"`
	Tag           []mispTag       `json:"Tag"`
	Attribute     []mispAttribute `json:"Attribute"`
}

type mispFile struct {
	Event *mispEvent `json:"Event"`
}

// mispTime is the MISP first_seen/last_seen form.
const mispTime = "2006-01-02T15:04:05.000000Z07:00"

func mispComment(x Indicator) string {
	var b strings.Builder
	switch {
	case x.Hashed:
		fmt.Fprintf(&b, "%s, HMAC-SHA256 (hex) of the normalised value under the shared key", x.Kind)
	case x.Kind == store.IndicatorTemplate:
		b.WriteString("ad template, hex MinHash signature (128 little-endian uint32) of lure's network engine")
	default:
		fmt.Fprintf(&b, "%s, plain value", x.Kind)
	}
	fmt.Fprintf(&b, "; %d ads, %d confirmed", x.Ads, x.Confirmed)
	if len(x.Sites) > 0 {
		fmt.Fprintf(&b, "; sites: %s", strings.Join(x.Sites, ", "))
	}
	if len(x.Countries) > 0 {
		fmt.Fprintf(&b, "; countries: %s", strings.Join(x.Countries, ", "))
	}
	return b.String()
}

// EncodeMISP writes set as one MISP event, indented, with deterministic
// UUIDs. The event date is the last time any indicator was seen.
func EncodeMISP(w io.Writer, set Set) error {
	if !store.ValidTLP(set.TLP) {
		return fmt.Errorf("exchange: unknown TLP %q", set.TLP)
	}
	ev := &mispEvent{Info: "lure: recruiter indicators from " + set.Org, ThreatLevelID: "2", Analysis: "2",
		Distribution: "0", Orgc: mispOrg{Name: set.Org}, Tag: []mispTag{{Name: "tlp:" + set.TLP}}, Attribute: []mispAttribute{}}
	var last time.Time
	var ids strings.Builder
	for _, x := range set.Indicators {
		a := mispAttribute{UUID: uuid5(fmt.Sprintf("misp\x00%s\x00%s\x00%t\x00%s", set.Org, x.Kind, x.Hashed, x.Value)),
			Type: "text", Category: "Other", Value: x.Value, ToIDs: false, Comment: mispComment(x)}
		switch {
		case !x.Hashed && x.Kind == store.IndicatorPhone:
			a.Type = "phone-number"
		case !x.Hashed && x.Kind == store.IndicatorEmail:
			a.Type, a.Category = "email", "Network activity"
		}
		a.Tag = []mispTag{{Name: `lure:kind="` + x.Kind + `"`}}
		if x.Hashed {
			a.Tag = append(a.Tag, mispTag{Name: `lure:hashed="true"`})
		}
		if !x.FirstSeen.IsZero() {
			a.FirstSeen = x.FirstSeen.UTC().Format(mispTime)
		}
		if !x.LastSeen.IsZero() {
			a.LastSeen = x.LastSeen.UTC().Format(mispTime)
			if x.LastSeen.After(last) {
				last = x.LastSeen
			}
		}
		ids.WriteString(a.UUID)
		ev.Attribute = append(ev.Attribute, a)
	}
	if last.IsZero() {
		last = identityCreated
	}
	ev.Date = last.UTC().Format(time.DateOnly)
	ev.UUID = uuid5("misp-event\x00" + set.Org + "\x00" + set.TLP + "\x00" + ids.String())
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(mispFile{Event: ev}); err != nil {
		return fmt.Errorf("exchange: misp: write: %w", err)
	}
	return nil
}

// DecodeMISP reads one MISP event completely. Plain "phone-number" and
// "email" attributes, and attributes tagged lure:kind="…" (with
// lure:hashed="true" for hashed values), become indicators; other
// attributes are counted in Skipped. A value that does not validate
// refuses the whole event. The TLP is the event's tlp:* tag, amber when
// it has none.
func DecodeMISP(data []byte) (Set, error) {
	var f mispFile
	if err := json.Unmarshal(data, &f); err != nil {
		return Set{}, fmt.Errorf("exchange: misp: %w", err)
	}
	if f.Event == nil {
		return Set{}, errors.New("exchange: misp: no \"Event\" object")
	}
	ev := f.Event
	if len(ev.Attribute) > maxObjects {
		return Set{}, fmt.Errorf("exchange: misp: %d attributes, limit %d indicators", len(ev.Attribute), MaxIndicators)
	}
	set := Set{Org: ev.Orgc.Name, TLP: ""}
	for _, t := range ev.Tag {
		if l, ok := strings.CutPrefix(strings.ToLower(t.Name), "tlp:"); ok {
			if l == "white" {
				l = "clear"
			}
			if !store.ValidTLP(l) {
				return Set{}, fmt.Errorf("exchange: misp: unknown TLP tag %s", clipValue(t.Name))
			}
			if tlpRank(l) > tlpRank(set.TLP) {
				set.TLP = l
			}
		}
	}
	if set.TLP == "" {
		set.TLP = "amber"
	}
	for i, a := range ev.Attribute {
		x := Indicator{Value: a.Value}
		for _, t := range a.Tag {
			if k, ok := strings.CutPrefix(t.Name, `lure:kind="`); ok && strings.HasSuffix(k, `"`) {
				x.Kind = strings.TrimSuffix(k, `"`)
			}
			if t.Name == `lure:hashed="true"` {
				x.Hashed = true
			}
		}
		if x.Kind == "" {
			switch a.Type {
			case "phone-number":
				x.Kind = store.IndicatorPhone
			case "email", "email-src", "email-dst":
				x.Kind = store.IndicatorEmail
			default:
				set.Skipped++
				continue
			}
		}
		var err error
		if a.FirstSeen != "" {
			if x.FirstSeen, err = time.Parse(time.RFC3339Nano, a.FirstSeen); err != nil {
				return Set{}, fmt.Errorf("exchange: misp: attribute %d: first_seen is not RFC 3339", i)
			}
		}
		if a.LastSeen != "" {
			if x.LastSeen, err = time.Parse(time.RFC3339Nano, a.LastSeen); err != nil {
				return Set{}, fmt.Errorf("exchange: misp: attribute %d: last_seen is not RFC 3339", i)
			}
		}
		if err := x.check(); err != nil {
			return Set{}, fmt.Errorf("exchange: misp: attribute %d: %w", i, err)
		}
		set.Indicators = append(set.Indicators, x)
	}
	if len(set.Indicators) > MaxIndicators {
		return Set{}, fmt.Errorf("exchange: misp: more than %d indicators", MaxIndicators)
	}
	return set, nil
}
