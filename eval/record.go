package eval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// Format names an input format Load understands.
type Format string

// Input formats.
const (
	// FormatAuto detects the format from the file name and its first line.
	FormatAuto Format = "auto"
	// FormatJSONL is lure's labelled JSON Lines: the fields `lure score`
	// reads plus label ("deceptive"/"legit", 1/0 or true/false), and
	// optionally signals and variant.
	FormatJSONL Format = "jsonl"
	// FormatEMSCAD is the EMSCAD CSV schema (title, location, salary_range,
	// company_profile, description, requirements, benefits, …,
	// fraudulent) with t/f or 1/0 booleans and HTML in the text fields.
	FormatEMSCAD Format = "emscad"
	// FormatDIFrauD is DIFrauD JSON Lines: text and label (1 fraud, 0 not).
	FormatDIFrauD Format = "difraud"
	// FormatRuJobs is a CSV export of Russian vacancy sites (hh.ru full
	// text or snippets, superjob). It has no label: every ad is legit.
	FormatRuJobs Format = "rujobs"
)

// Formats lists the formats a caller may name.
var Formats = []Format{FormatAuto, FormatJSONL, FormatEMSCAD, FormatDIFrauD, FormatRuJobs}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("eval: unknown format %q (want auto, jsonl, emscad, difraud or rujobs)", s)
}

// Record is one labelled ad.
type Record struct {
	Ad ad.Ad
	// Deceptive is the label: true for a deceptive (fraudulent) ad.
	Deceptive bool
	// Signals are the INDICATORS.md signals the author of a corpus ad
	// meant it to carry; empty for external data.
	Signals []string
	// Indicators are the snake_case names of what the ad shows, as an
	// analyst labelled them (document_retention, news_report, …); empty
	// for data without them.
	Indicators []string
	// Variant is the corpus variant (plain, evasion, hard_negative); empty
	// for external data.
	Variant string
	// Source is "file:line" of the record.
	Source string
	// Meta holds format-specific fields kept for reference, such as
	// EMSCAD's has_company_logo.
	Meta map[string]string
	// dedupKey identifies the same text across formats (EMSCAD description
	// and DIFrauD text); empty when the format has none.
	dedupKey string
}

// ErrRecordTooLarge is wrapped by the error for a record over
// LoadOptions.MaxRecordBytes.
var ErrRecordTooLarge = errors.New("record too large")

// ErrTooManyRecords is wrapped by the error for a file with more than
// LoadOptions.MaxRecords records.
var ErrTooManyRecords = errors.New("too many records")

// ParseError is a bad record, with where it is.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("eval: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Dedup drops records whose text already appeared in an earlier record of
// another file, for formats that know such a key (EMSCAD description,
// DIFrauD text), so that files overlapping each other are counted once.
// Repeats inside one file are kept: they are the data as published. It
// returns the kept records and how many were dropped.
func Dedup(recs []Record) ([]Record, int) {
	seen := make(map[string]string, len(recs)) // key → file
	out := recs[:0:0]
	for _, r := range recs {
		if r.dedupKey != "" {
			file := r.Source[:max(strings.LastIndexByte(r.Source, ':'), 0)]
			if f, ok := seen[r.dedupKey]; ok && f != file {
				continue
			}
			if _, ok := seen[r.dedupKey]; !ok {
				seen[r.dedupKey] = file
			}
		}
		out = append(out, r)
	}
	return out, len(recs) - len(out)
}
