package textmodel

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// File is the name of a text model inside a rules directory.
const File = "textmodel.txt"

// FormatVersion is the version of the file format Parse reads and WriteTo
// writes.
const FormatVersion = 1

// Limits Parse enforces.
const (
	MaxFileBytes = 16 << 20
	MaxLineBytes = 256
	MaxWeight    = 100
)

// ErrInvalid is wrapped by every Parse error.
var ErrInvalid = errors.New("invalid text model")

// Error is a Parse error with the line it is about (0: the whole file).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("textmodel: %s:%d: %s", File, e.Line, e.Msg)
	}
	return fmt.Sprintf("textmodel: %s: %s", File, e.Msg)
}

func (e *Error) Unwrap() error { return ErrInvalid }

func errorf(line int, format string, args ...any) error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

func validWeight(v float64) bool { return !math.IsNaN(v) && math.Abs(v) <= MaxWeight }

// The file format (version 1) is UTF-8 text, one item per line:
//
//	lure-textmodel 1
//	bits 18
//	words 1 2
//	chars 3 5
//	scale 1 1
//	weights 2
//	17 0.25
//	40211 -1.5
//	end
//
// Lines starting with # are comments and blank lines are ignored, except
// that the first line must be the header "lure-textmodel VERSION". bits,
// words, chars and scale are the Config (word and character n-gram
// orders, min and max; the scales of the word and character blocks);
// "weights N" is followed by exactly N lines "BUCKET WEIGHT" with buckets
// strictly increasing below 2^bits and weights within ±MaxWeight; buckets
// not listed weigh 0. The file ends with "end", so that a truncated file
// is rejected. A bucket is FNV-1a (32 bits, seeded with "w" for word
// n-grams and "c" for character n-grams) of the n-gram, then the
// murmur3 finaliser, masked to bits (Config.Bucket).

// Parse reads a model file. It rejects files over MaxFileBytes, lines
// over MaxLineBytes and any malformed or out-of-range item with an error
// wrapping ErrInvalid that names the line.
func Parse(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("textmodel: %w", err)
	}
	if len(b) > MaxFileBytes {
		return nil, errorf(0, "larger than %d bytes", MaxFileBytes)
	}
	return parse(b)
}

func parse(b []byte) (*Model, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, MaxLineBytes+1), MaxLineBytes+1)
	line := 0
	next := func() ([]string, bool) {
		for sc.Scan() {
			line++
			t := strings.TrimSpace(sc.Text())
			if t == "" || strings.HasPrefix(t, "#") {
				if line == 1 {
					return nil, false
				}
				continue
			}
			return strings.Fields(t), true
		}
		return nil, false
	}
	scanErr := func(what string) error {
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return errorf(line+1, "line longer than %d bytes", MaxLineBytes)
			}
			return errorf(line+1, "%v", err)
		}
		return errorf(line, "unexpected end of file, want %s", what)
	}
	f, ok := next()
	if !ok || line != 1 || len(f) != 2 || f[0] != "lure-textmodel" {
		if !ok && sc.Err() != nil {
			return nil, scanErr("header")
		}
		return nil, errorf(1, `first line must be "lure-textmodel %d"`, FormatVersion)
	}
	if v, err := strconv.Atoi(f[1]); err != nil || v != FormatVersion {
		return nil, errorf(1, "format version %q not supported (want %d)", f[1], FormatVersion)
	}
	var c Config
	ints := func(f []string, n int) ([]int, error) {
		if len(f) != n+1 {
			return nil, errorf(line, "%s wants %d values", f[0], n)
		}
		out := make([]int, n)
		for i := range n {
			v, err := strconv.Atoi(f[i+1])
			if err != nil || v < 0 || v > 64 {
				return nil, errorf(line, "%s: bad value %q", f[0], f[i+1])
			}
			out[i] = v
		}
		return out, nil
	}
	for _, key := range []string{"bits", "words", "chars", "scale"} {
		f, ok := next()
		if !ok {
			return nil, scanErr(key)
		}
		if f[0] != key {
			return nil, errorf(line, "want %q, got %q", key, f[0])
		}
		switch key {
		case "bits":
			v, err := ints(f, 1)
			if err != nil {
				return nil, err
			}
			c.Bits = v[0]
		case "words", "chars":
			v, err := ints(f, 2)
			if err != nil {
				return nil, err
			}
			if key == "words" {
				c.WordMin, c.WordMax = v[0], v[1]
			} else {
				c.CharMin, c.CharMax = v[0], v[1]
			}
		case "scale":
			if len(f) != 3 {
				return nil, errorf(line, "scale wants 2 values")
			}
			for i, p := range []*float64{&c.WordScale, &c.CharScale} {
				v, err := strconv.ParseFloat(f[i+1], 64)
				if err != nil {
					return nil, errorf(line, "scale: bad value %q", f[i+1])
				}
				*p = v
			}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, errorf(line, "%v", strings.TrimPrefix(err.Error(), "textmodel: "))
	}
	f, ok = next()
	if !ok {
		return nil, scanErr("weights")
	}
	if f[0] != "weights" || len(f) != 2 {
		return nil, errorf(line, `want "weights N"`)
	}
	n, err := strconv.Atoi(f[1])
	size := 1 << c.Bits
	if err != nil || n < 0 || n > size {
		return nil, errorf(line, "weights: count %q not in [0, %d]", f[1], size)
	}
	w := make([]float32, size)
	last := -1
	for range n {
		f, ok := next()
		if !ok {
			return nil, scanErr("a weight")
		}
		if len(f) != 2 {
			return nil, errorf(line, `want "BUCKET WEIGHT"`)
		}
		bk, err := strconv.Atoi(f[0])
		if err != nil || bk < 0 || bk >= size {
			return nil, errorf(line, "bucket %q not in [0, %d)", f[0], size)
		}
		if bk <= last {
			return nil, errorf(line, "bucket %d not after %d", bk, last)
		}
		last = bk
		v, err := strconv.ParseFloat(f[1], 32)
		if err != nil || !validWeight(v) {
			return nil, errorf(line, "weight %q not a number within ±%d", f[1], MaxWeight)
		}
		w[bk] = float32(v)
	}
	f, ok = next()
	if !ok {
		return nil, scanErr(`"end"`)
	}
	if len(f) != 1 || f[0] != "end" {
		return nil, errorf(line, `want "end" after %d weights`, n)
	}
	if _, ok := next(); ok {
		return nil, errorf(line, `text after "end"`)
	}
	if sc.Err() != nil {
		return nil, scanErr("end of file")
	}
	sum := sha256.Sum256(b)
	return &Model{Config: c, W: w, Hash: "tm-" + hex.EncodeToString(sum[:8])}, nil
}

// WriteTo writes m in the file format, listing the non-zero weights. A
// model read back from the output has the same weights and Hash.
func (m *Model) WriteTo(out io.Writer) (int64, error) {
	b := m.encode()
	n, err := out.Write(b)
	return int64(n), err
}

func (m *Model) encode() []byte {
	var b bytes.Buffer
	c := m.Config
	nz := 0
	for _, v := range m.W {
		if v != 0 {
			nz++
		}
	}
	fmt.Fprintf(&b, "lure-textmodel %d\n# Hashed word and character n-grams of the normalised text; see package textmodel.\nbits %d\nwords %d %d\nchars %d %d\nscale %s %s\nweights %d\n",
		FormatVersion, c.Bits, c.WordMin, c.WordMax, c.CharMin, c.CharMax, fmtFloat(c.WordScale), fmtFloat(c.CharScale), nz)
	for bk, v := range m.W {
		if v != 0 {
			fmt.Fprintf(&b, "%d %s\n", bk, strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
	}
	b.WriteString("end\n")
	return b.Bytes()
}

func hashOf(m *Model) string {
	sum := sha256.Sum256(m.encode())
	return "tm-" + hex.EncodeToString(sum[:8])
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// NonZero counts the buckets with a weight.
func (m *Model) NonZero() int {
	n := 0
	for _, v := range m.W {
		if v != 0 {
			n++
		}
	}
	return n
}
