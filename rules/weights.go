package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/lurewatch/lure/textmodel"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// WeightsFile is the optional file of fitted weights in a rules directory
// (see LoadWithWeights). It is not a rule file.
const WeightsFile = "weights.yaml"

// Weights are rule weights and a bias fitted from labelled ads (lure fit).
// They replace the hand-set weights of a pack without touching its rules,
// so a fit is reviewable as one small file.
type Weights struct {
	// Pack is the Version of the pack the weights were fitted on. A pack
	// whose rules changed since keeps its own weight for rules the file
	// does not name.
	Pack string `yaml:"pack"`
	// Fitted is when the fit ran.
	Fitted time.Time `yaml:"fitted"`
	// Data describes what the weights were fitted on (files, counts).
	Data []string `yaml:"data"`
	// Lambda is the L2 regularisation strength chosen by cross-validation.
	Lambda float64 `yaml:"lambda"`
	// Bias replaces Model.Bias.
	Bias float64 `yaml:"bias"`
	// Rules maps rule ids to their new weight.
	Rules map[string]float64 `yaml:"rules"`
}

// MaxWeightsBytes bounds a weights file.
const MaxWeightsBytes = 1 << 20

// LoadWeights reads a weights file strictly: unknown fields, a missing
// bias or rules section and trailing documents are errors.
func LoadWeights(r io.Reader) (Weights, error) {
	var w Weights
	b, err := io.ReadAll(io.LimitReader(r, MaxWeightsBytes+1))
	if err != nil {
		return w, fmt.Errorf("rules: weights: %w", err)
	}
	if len(b) > MaxWeightsBytes {
		return w, fmt.Errorf("rules: weights: %w: larger than %d bytes", ErrInvalid, MaxWeightsBytes)
	}
	var probe struct {
		Bias  *float64  `yaml:"bias"`
		Rules yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(b, &probe); err != nil {
		return w, yamlError(WeightsFile, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&w); err != nil {
		if errors.Is(err, io.EOF) {
			return w, errAt(WeightsFile, 0, "empty weights file")
		}
		return w, yamlError(WeightsFile, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return w, errAt(WeightsFile, 0, "more than one YAML document")
	}
	if probe.Bias == nil {
		return w, errAt(WeightsFile, 0, "missing bias")
	}
	if probe.Rules.Kind == 0 {
		return w, errAt(WeightsFile, 0, "missing rules")
	}
	return w, nil
}

// WriteTo writes w as YAML with rules in id order.
func (w Weights) WriteTo(out io.Writer) (int64, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Rule weights fitted by lure fit; review with the diff it printed.\n")
	fmt.Fprintf(&b, "pack: %s\n", strconv.Quote(w.Pack))
	fmt.Fprintf(&b, "fitted: %s\n", w.Fitted.UTC().Format(time.RFC3339))
	b.WriteString("data:\n")
	for _, d := range w.Data {
		fmt.Fprintf(&b, "  - %s\n", strconv.Quote(d))
	}
	if len(w.Data) == 0 {
		b.Truncate(b.Len() - 1)
		b.WriteString(" []\n")
	}
	fmt.Fprintf(&b, "lambda: %s\n", fmtFloat(w.Lambda))
	fmt.Fprintf(&b, "bias: %s\n", fmtFloat(w.Bias))
	b.WriteString("rules:\n")
	ids := make([]string, 0, len(w.Rules))
	for id := range w.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s: %s\n", strconv.Quote(id), fmtFloat(w.Rules[id]))
	}
	if len(ids) == 0 {
		b.Truncate(b.Len() - 1)
		b.WriteString(" {}\n")
	}
	n, err := out.Write(b.Bytes())
	return int64(n), err
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ApplyWeights replaces the bias and the weights of the rules w names and
// gives the pack a new Version that hashes the weights too, so verdicts
// name the weights they were scored with. Weights follow the rules of a
// pack file: non-zero, within [-10, 10], negative exactly for negative
// signals; the bias within [-20, 20]. A rule id the pack does not have is
// an error. On error the pack is unchanged. Build classifiers after
// applying: they read the weights of the pack they were built from.
func (p *Pack) ApplyWeights(w Weights) error {
	if math.IsNaN(w.Bias) || math.Abs(w.Bias) > 20 {
		return errAt(WeightsFile, 0, "bias %v out of range [-20, 20]", w.Bias)
	}
	ids := make([]string, 0, len(w.Rules))
	for id := range w.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	idx := make([]int, len(ids))
	for i, id := range ids {
		j := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.ID == id })
		if j < 0 {
			return errAt(WeightsFile, 0, "rule %s: not in the pack", id)
		}
		v := w.Rules[id]
		switch {
		case math.IsNaN(v) || v == 0 || math.Abs(v) > 10:
			return errAt(WeightsFile, 0, "rule %s: weight %v must be non-zero and within [-10, 10]", id, v)
		case IsNegative(p.Rules[j].Signal) != (v < 0):
			return errAt(WeightsFile, 0, "rule %s: weight %v sign does not match signal %s", id, v, p.Rules[j].Signal)
		}
		idx[i] = j
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00weights\x00bias=%s\x00", p.Version, fmtFloat(w.Bias))
	for i, id := range ids {
		p.Rules[idx[i]].Weight = w.Rules[id]
		fmt.Fprintf(h, "%s=%s\x00", id, fmtFloat(w.Rules[id]))
	}
	p.Model.Bias = w.Bias
	p.Version = "rp-" + hex.EncodeToString(h.Sum(nil)[:8])
	return nil
}

// LoadWithWeights loads a pack like Load and, when fsys also holds
// WeightsFile, applies it (see ApplyWeights), and when it holds
// textmodel.File, a learned text model (see SetText; the file is read
// with the bounds and checks of textmodel.Parse). Load itself reads every
// *.yaml file as a rule file, so a directory with fitted weights must be
// loaded with this function.
func LoadWithWeights(fsys fs.FS) (*Pack, error) {
	p, err := loadWeights(fsys)
	if err != nil {
		return nil, err
	}
	f, err := fsys.Open(textmodel.File)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer f.Close()
	m, err := textmodel.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	p.SetText(m)
	return p, nil
}

func loadWeights(fsys fs.FS) (*Pack, error) {
	b, err := fs.ReadFile(fsys, WeightsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Load(fsys)
	}
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	w, err := LoadWeights(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	p, err := Load(withoutFile{fsys, WeightsFile})
	if err != nil {
		return nil, err
	}
	if err := p.ApplyWeights(w); err != nil {
		return nil, err
	}
	return p, nil
}

// SetText gives the pack a learned text model (nil: none) and a new
// Version that hashes the model's too, so verdicts name the model they
// were scored with. Build classifiers after setting it.
func (p *Pack) SetText(m *textmodel.Model) {
	p.Text = m
	if m == nil {
		return
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00text\x00%s\x00", p.Version, m.Hash)
	p.Version = "rp-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// withoutFile hides one file at the root of an fs.FS.
type withoutFile struct {
	fs.FS
	name string
}

func (w withoutFile) Open(name string) (fs.File, error) {
	if name == w.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.FS.Open(name)
}

func (w withoutFile) Glob(pattern string) ([]string, error) {
	names, err := fs.Glob(w.FS, pattern)
	return slices.DeleteFunc(names, func(n string) bool { return n == w.name }), err
}
