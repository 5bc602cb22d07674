package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// File names with a schema of their own; every other *.yaml file is a
// rule file.
const (
	ModelFile     = "model.yaml"
	GazetteerFile = "gazetteer.yaml"
)

// MaxFileBytes bounds the size of one pack file.
const MaxFileBytes = 1 << 20

// ErrInvalid is wrapped by every error about the content of a pack.
var ErrInvalid = errors.New("invalid rule pack")

// Error is a problem at a place in a pack file. Line is 0 when the problem
// concerns the file as a whole.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("rules: %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("rules: %s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func errAt(file string, line int, format string, args ...any) error {
	return &Error{File: file, Line: line, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)}
}

// DefaultModel returns the model used when a pack has no model.yaml, and
// whose values fill fields model.yaml leaves zero.
func DefaultModel() Model {
	return Model{
		Bias:      -3,
		Threshold: 50,
		Bands:     Bands{Medium: 35, High: 70},
		HighPay:   map[string]float64{},
		PayRatio:  2.5,
		Home:      map[string][]string{},
	}
}

type ruleFile struct {
	Pack  Meta   `yaml:"pack"`
	Rules []Rule `yaml:"rules"`
	// Destinations are gazetteer entries of the pack's languages (country
	// code to patterns, as in gazetteer.yaml), merged into the gazetteer:
	// each language pack owns its spellings and inflections of
	// destination names.
	Destinations map[string][]string `yaml:"destinations"`
}

// LoadDir loads a pack from the *.yaml files of a directory.
func LoadDir(dir string) (*Pack, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Load(os.DirFS(dir))
}

// Load reads every *.yaml file at the root of fsys, validates the result
// and computes its Version.
func Load(fsys fs.FS) (*Pack, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("rules: %w: no *.yaml files", ErrInvalid)
	}
	p := &Pack{Model: DefaultModel()}
	var files []ruleFile
	h := sha256.New()
	for _, name := range names {
		b, err := readFile(fsys, name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		rf, err := p.add(name, b)
		if err != nil {
			return nil, err
		}
		if rf != nil {
			files = append(files, *rf)
		}
	}
	if err := p.mergePackData(files); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	p.Version = "rp-" + hex.EncodeToString(h.Sum(nil)[:8])
	return p, nil
}

func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	n, err := buf.ReadFrom(limitReader{f, MaxFileBytes + 1})
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", name, err)
	}
	if n > MaxFileBytes {
		return nil, errAt(name, 0, "file larger than %d bytes", MaxFileBytes)
	}
	return buf.Bytes(), nil
}

type limitReader struct {
	r fs.File
	n int64
}

func (l limitReader) Read(b []byte) (int, error) {
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	return l.r.Read(b)
}

// decodeStrict decodes one YAML document into v, rejecting unknown fields,
// and returns the document node for line numbers.
func decodeStrict(name string, b []byte, v any) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, yamlError(name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	return &doc, nil
}

var lineRe = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlError turns a yaml error into an *Error with the line of its first
// problem ("line 9: field colour not found in type rules.Rule").
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		if m := lineRe.FindStringSubmatch(te.Errors[0]); m != nil {
			line, _ := strconv.Atoi(m[1])
			msg := m[2]
			if n := len(te.Errors) - 1; n > 0 {
				msg += fmt.Sprintf(" (and %d more)", n)
			}
			return errAt(name, line, "%s", msg)
		}
	}
	return &Error{File: name, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
}

func (p *Pack) add(name string, b []byte) (*ruleFile, error) {
	switch path.Base(name) {
	case ModelFile:
		m := DefaultModel()
		if _, err := decodeStrict(name, b, &m); err != nil {
			return nil, err
		}
		p.Model = m
		return nil, validateModel(name, &p.Model)
	case WagesFile:
		if _, err := decodeStrict(name, b, &p.Wages); err != nil {
			return nil, err
		}
		return nil, validateWages(name, &p.Wages)
	case RegionsFile:
		if _, err := decodeStrict(name, b, &p.Regions); err != nil {
			return nil, err
		}
		return nil, validateRegions(name, &p.Regions)
	case CategoriesFile:
		if _, err := decodeStrict(name, b, &p.Categories); err != nil {
			return nil, err
		}
		return nil, validateCategories(name, &p.Categories)
	case GazetteerFile:
		if _, err := decodeStrict(name, b, &p.Gazetteer); err != nil {
			return nil, err
		}
		return nil, validateGazetteer(name, &p.Gazetteer)
	}
	var rf ruleFile
	doc, err := decodeStrict(name, b, &rf)
	if err != nil {
		return nil, err
	}
	if rf.Pack.Name == "" {
		return nil, errAt(name, 1, "missing pack.name")
	}
	if len(rf.Rules) == 0 {
		return nil, errAt(name, 1, "no rules")
	}
	lines := ruleLines(doc)
	rf.Pack.File = name
	p.Files = append(p.Files, rf.Pack)
	for i, r := range rf.Rules {
		r.File = name
		if i < len(lines) {
			r.Line = lines[i]
		}
		if r.Kind == "" {
			r.Kind = KindAny
		}
		p.Rules = append(p.Rules, r)
	}
	return &rf, nil
}

// mergePackData adds the home countries and destination spellings of
// rule files to the model and gazetteer, once every file is read (so that
// model.yaml and gazetteer.yaml may sort after the packs).
func (p *Pack) mergePackData(files []ruleFile) error {
	for _, rf := range files {
		name := rf.Pack.File
		if len(rf.Pack.Home) > 0 {
			if len(rf.Pack.Languages) == 0 {
				return errAt(name, 1, "pack.home needs pack.languages")
			}
			for _, l := range rf.Pack.Languages {
				if !langRe.MatchString(l) {
					return errAt(name, 1, "pack.languages: %q is not a two-letter code", l)
				}
				for _, cc := range rf.Pack.Home {
					if !countryRe.MatchString(cc) {
						return errAt(name, 1, "pack.home: %q is not an ISO alpha-2 code", cc)
					}
					if p.Model.Home == nil {
						p.Model.Home = map[string][]string{}
					}
					if !slices.Contains(p.Model.Home[l], cc) {
						p.Model.Home[l] = append(p.Model.Home[l], cc)
					}
				}
			}
		}
		if len(rf.Destinations) == 0 {
			continue
		}
		g := Gazetteer{Countries: rf.Destinations}
		if err := validateGazetteer(name, &g); err != nil {
			return err
		}
		if p.Gazetteer.Countries == nil {
			p.Gazetteer.Countries = map[string][]string{}
		}
		codes := make([]string, 0, len(rf.Destinations))
		for cc := range rf.Destinations {
			codes = append(codes, cc)
		}
		slices.Sort(codes)
		for _, cc := range codes {
			for _, pat := range rf.Destinations[cc] {
				if !slices.Contains(p.Gazetteer.Countries[cc], pat) {
					p.Gazetteer.Countries[cc] = append(p.Gazetteer.Countries[cc], pat)
				}
			}
		}
	}
	return nil
}

// ruleLines returns the line of each item of the top-level "rules" list.
func ruleLines(doc *yaml.Node) []int {
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" {
			var out []int
			for _, it := range m.Content[i+1].Content {
				out = append(out, it.Line)
			}
			return out
		}
	}
	return nil
}
