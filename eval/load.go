package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/transform"
)

// LoadOptions configure Load. The zero value works.
type LoadOptions struct {
	// Format of the input; "" or FormatAuto detects it.
	Format Format
	// MaxRecordBytes bounds one record (a JSON line, a CSV row). Default
	// 1 MiB.
	MaxRecordBytes int
	// MaxRecords bounds the records of one file. Default 1,000,000.
	MaxRecords int
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.Format == "" {
		o.Format = FormatAuto
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = 1 << 20
	}
	if o.MaxRecords <= 0 {
		o.MaxRecords = 1_000_000
	}
	return o
}

// LoadFile reads the labelled records of one file.
func LoadFile(ctx context.Context, path string, opts LoadOptions) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	return Load(ctx, f, path, opts)
}

// Load reads the labelled records of r; name is used for format detection,
// record IDs and error positions. A bad record is an error naming the file
// and line: labels that were not read would bias the measurement.
// Entirely empty CSV rows are skipped.
func Load(ctx context.Context, r io.Reader, name string, opts LoadOptions) ([]Record, error) {
	opts = opts.withDefaults()
	// Invalid UTF-8 bytes are read as Windows-1252, which some CSV
	// exports use; valid UTF-8 passes unchanged.
	br := bufio.NewReaderSize(transform.NewReader(r, cp1252Fallback{}), 64<<10)
	format := opts.Format
	if format == FormatAuto {
		head, _ := br.Peek(60 << 10)
		var err error
		if format, err = Detect(name, head); err != nil {
			return nil, err
		}
	}
	l := loader{ctx: ctx, name: name, base: filepath.Base(name), opts: opts}
	switch format {
	case FormatJSONL, FormatDIFrauD:
		return l.jsonLines(br, format)
	case FormatEMSCAD, FormatRuJobs:
		return l.csv(br, format)
	}
	return nil, fmt.Errorf("eval: %s: unknown format %q", name, format)
}

// Detect names the format of a file from its name and first bytes.
func Detect(name string, head []byte) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	first, _, _ := bytes.Cut(bytes.TrimLeft(head, "\ufeff \t\r\n"), []byte("\n"))
	switch ext {
	case ".jsonl", ".ndjson", ".json":
		keys, ok := topKeys(first)
		if !ok {
			return "", fmt.Errorf("eval: %s: cannot detect format: first line is not a JSON object", name)
		}
		if keys["text"] && !keys["title"] && !keys["body"] {
			return FormatDIFrauD, nil
		}
		return FormatJSONL, nil
	case ".csv", ".tsv":
		cols := map[string]bool{}
		for _, c := range strings.Split(strings.ToLower(string(first)), ",") {
			cols[strings.Trim(strings.TrimSpace(c), `"`)] = true
		}
		switch {
		case cols["fraudulent"] && cols["description"]:
			return FormatEMSCAD, nil
		case cols["name"] && (cols["description"] || cols["responsibility"] || cols["duties"]):
			return FormatRuJobs, nil
		}
		return "", fmt.Errorf("eval: %s: cannot detect format from CSV header; use --format", name)
	}
	return "", fmt.Errorf("eval: %s: cannot detect format from extension %q; use --format", name, ext)
}

type loader struct {
	ctx  context.Context
	name string
	base string
	opts LoadOptions
}

func (l *loader) errAt(line int, format string, args ...any) error {
	return &ParseError{File: l.name, Line: line, Err: fmt.Errorf(format, args...)}
}

func (l *loader) source(line int) string { return fmt.Sprintf("%s:%d", l.name, line) }

// topKeys returns the keys of the JSON object that b starts, as far as b
// goes: a first line longer than the peeked head still shows its leading
// keys. ok is false when b does not start a JSON object.
func topKeys(b []byte) (keys map[string]bool, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	keys = map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		k, isKey := t.(string)
		if !isKey {
			break
		}
		keys[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			break
		}
	}
	return keys, true
}
