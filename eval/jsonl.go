package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// jsonAd is one record of lure's labelled JSON Lines: an ad as `lure
// score` reads it, plus its label. The dashboard's decision export
// (/export/labels.jsonl) carries the ad nested under "ad" instead.
type jsonAd struct {
	ad.Input
	Nested     *ad.Ad          `json:"ad"`
	Label      json.RawMessage `json:"label"`
	Signals    []string        `json:"signals"`
	Indicators []string        `json:"indicators"`
	Variant    string          `json:"variant"`
}

type difraudRow struct {
	Text  string          `json:"text"`
	Label json.RawMessage `json:"label"`
}

func (l *loader) jsonLines(r *bufio.Reader, format Format) ([]Record, error) {
	var out []Record
	for line := 1; ; line++ {
		if err := l.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := ad.ReadLine(r, l.opts.MaxRecordBytes)
		if errors.Is(err, ad.ErrLineTooLong) {
			return nil, l.errAt(line, "%w: over %d bytes", ErrRecordTooLarge, l.opts.MaxRecordBytes)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("eval: %s: %w", l.name, err)
		}
		eof := err != nil
		if b = bytes.TrimSpace(b); len(b) > 0 {
			if len(out) >= l.opts.MaxRecords {
				return nil, l.errAt(line, "%w: over %d", ErrTooManyRecords, l.opts.MaxRecords)
			}
			var rec Record
			if format == FormatDIFrauD {
				rec, err = l.difraud(b, line)
			} else {
				rec, err = l.lureLine(b, line)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, rec)
		}
		if eof {
			return out, nil
		}
	}
}

func (l *loader) lureLine(b []byte, line int) (Record, error) {
	var in jsonAd
	if err := json.Unmarshal(b, &in); err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	label, err := parseLabel(in.Label)
	if err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	if n := in.Nested; n != nil {
		in.Input = ad.Input{ID: n.ID, Title: n.Title, Body: n.Body, Contact: n.Contact, Location: n.Location,
			Salary: n.Salary, Lang: n.Lang, Kind: n.Kind, Site: n.Site, URL: n.URL}
	}
	a, err := in.Ad(l.base, l.source(line))
	if err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	return Record{Ad: a, Deceptive: label, Signals: in.Signals, Indicators: in.Indicators,
		Variant: in.Variant, Source: l.source(line)}, nil
}

func (l *loader) difraud(b []byte, line int) (Record, error) {
	var in difraudRow
	if err := json.Unmarshal(b, &in); err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	label, err := parseLabel(in.Label)
	if err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	a := ad.Ad{V: ad.Version, ID: fmt.Sprintf("%s:%d", l.base, line), Site: l.base, Kind: ad.KindJob, Lang: "en",
		Body: clip(strings.TrimSpace(in.Text), ad.MaxFieldBytes)}
	a.ContentHash = a.Hash()
	if err := a.Validate(); err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	return Record{Ad: a, Deceptive: label, Source: l.source(line), dedupKey: textKey(in.Text)}, nil
}

// parseLabel reads "deceptive"/"legit" (and fraud/fraudulent/scam,
// legitimate/genuine), 1/0, "t"/"f" and true/false.
func parseLabel(raw json.RawMessage) (bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return false, errors.New("missing label")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, fmt.Errorf("label: %w", err)
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case float64:
		switch x {
		case 1:
			return true, nil
		case 0:
			return false, nil
		}
	case string:
		if b, ok := labelWord(x); ok {
			return b, nil
		}
	}
	return false, fmt.Errorf("label %s: want deceptive/legit, 1/0 or true/false", raw)
}

func labelWord(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "deceptive", "fraud", "fraudulent", "scam", "1", "t", "true", "yes":
		return true, true
	case "legit", "legitimate", "genuine", "0", "f", "false", "no":
		return false, true
	}
	return false, false
}
