package exchange

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// Formats of exchange files.
const (
	FormatSTIX = "stix"
	FormatMISP = "misp"
)

// Encode writes set in format.
func Encode(w io.Writer, format string, set Set) error {
	switch format {
	case FormatSTIX:
		return EncodeSTIX(w, set)
	case FormatMISP:
		return EncodeMISP(w, set)
	}
	return fmt.Errorf("exchange: unknown format %q (want stix or misp)", format)
}

// ErrTooLarge is returned for a file over MaxFileBytes.
var ErrTooLarge = fmt.Errorf("exchange: file is larger than %d MiB", MaxFileBytes>>20)

// ReadFile reads at most MaxFileBytes from r, or fails with ErrTooLarge.
func ReadFile(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("exchange: read: %w", err)
	}
	if len(b) > MaxFileBytes {
		return nil, ErrTooLarge
	}
	return b, nil
}

// Detect returns the format of an exchange file: a JSON object with
// "type": "bundle" is STIX, one with an "Event" object is MISP.
func Detect(data []byte) (string, error) {
	if len(data) > MaxFileBytes {
		return "", ErrTooLarge
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", fmt.Errorf("exchange: not a JSON object: %w", err)
	}
	if _, ok := top["Event"]; ok {
		return FormatMISP, nil
	}
	var typ string
	if json.Unmarshal(top["type"], &typ) == nil && typ == "bundle" {
		return FormatSTIX, nil
	}
	return "", errors.New("exchange: neither a STIX 2.1 bundle nor a MISP event")
}

// Decode detects the format of data and decodes it completely.
func Decode(data []byte) (string, Set, error) {
	format, err := Detect(data)
	if err != nil {
		return "", Set{}, err
	}
	var set Set
	if format == FormatSTIX {
		set, err = DecodeSTIX(data)
	} else {
		set, err = DecodeMISP(data)
	}
	return format, set, err
}

// Export collects indicators, writes them in format to w and audits the
// export (action "indicators_export", with the file's SHA-256; never a
// value). It returns the set written.
func Export(ctx context.Context, st *store.Store, actor, format string, opts ExportOptions, w io.Writer) (Set, error) {
	if format != FormatSTIX && format != FormatMISP {
		return Set{}, fmt.Errorf("exchange: unknown format %q (want stix or misp)", format)
	}
	set, err := Collect(ctx, st, opts)
	if err != nil {
		return Set{}, err
	}
	var buf bytes.Buffer
	if err := Encode(&buf, format, set); err != nil {
		return Set{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	since := ""
	if !opts.Since.IsZero() {
		since = opts.Since.UTC().Format(time.RFC3339)
	}
	if err := st.Audit(ctx, actor, "indicators_export", nil, map[string]any{
		"format": format, "org": set.Org, "tlp": set.TLP, "hashed": !opts.Plain, "indicators": len(set.Indicators),
		"since": since, "min_confirmed": max(1, opts.MinConfirmed), "sha256": hex.EncodeToString(sum[:]),
	}); err != nil {
		return Set{}, fmt.Errorf("exchange: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return Set{}, fmt.Errorf("exchange: write: %w", err)
	}
	return set, nil
}

// ImportOptions configure Import.
type ImportOptions struct {
	Actor   string // who imports, for the audit log
	Partner string // the partner's name; "" takes the file's organisation
	Key     []byte // the share key, to match hashed contacts; may be nil
	Source  string // the file name, for the audit log
}

// ImportReport says what Import did.
type ImportReport struct {
	Format  string
	Partner string
	TLP     string
	Skipped int // objects of the file lure does not use
	store.ImportResult
	Match MatchResult
}

// Import decodes and validates a whole exchange file, then stores its
// indicators in one transaction (nothing is written when any part of the
// file is refused), and matches local ads against every partner
// indicator (see Match).
func Import(ctx context.Context, st *store.Store, data []byte, opts ImportOptions) (ImportReport, error) {
	if len(data) > MaxFileBytes {
		return ImportReport{}, ErrTooLarge
	}
	format, set, err := Decode(data)
	if err != nil {
		return ImportReport{}, err
	}
	partner := opts.Partner
	if partner == "" {
		partner = set.Org
	}
	if partner == "" || len(partner) > store.MaxPartnerName {
		return ImportReport{}, fmt.Errorf("exchange: partner name must be 1 to %d bytes (the file names no organisation: give one)", store.MaxPartnerName)
	}
	if opts.Key != nil {
		k, err := CheckKey(opts.Key)
		if err != nil {
			return ImportReport{}, err
		}
		opts.Key = k
	}
	inds := make([]store.PartnerIndicator, len(set.Indicators))
	for i, x := range set.Indicators {
		inds[i] = store.PartnerIndicator{Partner: partner, TLP: set.TLP, Kind: x.Kind, Hashed: x.Hashed, Value: x.Value,
			FirstSeen: x.FirstSeen, LastSeen: x.LastSeen, Sites: x.Sites, Countries: x.Countries, Ads: x.Ads}
	}
	sum := sha256.Sum256(data)
	rep := ImportReport{Format: format, Partner: partner, TLP: set.TLP, Skipped: set.Skipped}
	rep.ImportResult, err = st.ImportIndicators(ctx, opts.Actor, inds, map[string]any{
		"partner": partner, "format": format, "tlp": set.TLP, "source": opts.Source, "sha256": hex.EncodeToString(sum[:]),
	})
	if err != nil {
		return rep, fmt.Errorf("exchange: %w", err)
	}
	if rep.Match, err = Match(ctx, st, opts.Key); err != nil {
		return rep, err
	}
	return rep, nil
}

// MatchResult counts what Match found.
type MatchResult struct {
	Hashes    int // (ad, hash) pairs of local contacts equal to a partner's hashed contact
	Templates int // (ad, template) pairs of local ads near a partner's template
	New       int // of which were not linked before
}

// Match links local ads to partner indicators that need work to match:
// contacts hashed under key (skipped when key is nil) and templates
// (network.Similarity at least network.DefaultThreshold, candidates found
// by the engine's banding). Plain contact indicators need no matching:
// the store links them to every ad carrying the contact as soon as the
// network engine saves it. Run it again after new ads arrive to mark them
// too; it is idempotent.
func Match(ctx context.Context, st *store.Store, key []byte) (MatchResult, error) {
	var hashes []store.AdHash
	if key != nil {
		want, err := st.HashedIndicatorValues(ctx)
		if err != nil {
			return MatchResult{}, fmt.Errorf("exchange: match: %w", err)
		}
		if len(want) > 0 {
			err = st.EachNetworkContact(ctx, func(adID, kind, contact string) error {
				if v, err := Normalise(kind, contact); err == nil {
					if h := Hash(key, v); want[h] {
						hashes = append(hashes, store.AdHash{AdID: adID, Hash: h})
					}
				}
				return ctx.Err()
			})
			if err != nil {
				return MatchResult{}, fmt.Errorf("exchange: match: %w", err)
			}
		}
	}
	tmpl, err := templateMatches(ctx, st)
	if err != nil {
		return MatchResult{}, err
	}
	if len(hashes) == 0 && len(tmpl) == 0 {
		return MatchResult{}, nil
	}
	n, err := st.SaveIndicatorMatches(ctx, hashes, tmpl)
	if err != nil {
		return MatchResult{}, fmt.Errorf("exchange: match: %w", err)
	}
	return MatchResult{Hashes: len(hashes), Templates: len(tmpl), New: n}, nil
}

// bands returns one key per band of a signature (network.Bands bands of
// network.Rows minima), for finding candidate pairs.
func bands(s *network.Signature) [network.Bands]uint64 {
	var out [network.Bands]uint64
	for b := range out {
		h := uint64(14695981039346656037) ^ uint64(b)
		for _, v := range s[b*network.Rows : (b+1)*network.Rows] {
			h = (h ^ uint64(v)) * 1099511628211
			h = (h ^ uint64(v>>16)) * 1099511628211
		}
		out[b] = h
	}
	return out
}

func templateMatches(ctx context.Context, st *store.Store) ([]store.TemplateMatch, error) {
	ts, err := st.PartnerTemplates(ctx)
	if err != nil {
		return nil, fmt.Errorf("exchange: match: %w", err)
	}
	if len(ts) == 0 {
		return nil, nil
	}
	x := newTemplateIndex(ts)
	var out []store.TemplateMatch
	err = st.EachNetworkSignature(ctx, func(adID string, raw []byte) error {
		var sig network.Signature
		if sig.UnmarshalBinary(raw) != nil || sig.Empty() {
			return nil
		}
		for _, id := range x.near(&sig) {
			out = append(out, store.TemplateMatch{IndicatorID: id, AdID: adID})
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("exchange: match: %w", err)
	}
	return out, nil
}
