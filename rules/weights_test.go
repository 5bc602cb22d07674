package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadWeights(t *testing.T) {
	for _, tc := range []struct {
		file    string
		wantErr string
	}{
		{"good.yaml", ""},
		{"unknown_field.yaml", "colour"},
		{"missing_bias.yaml", "missing bias"},
		{"missing_rules.yaml", "missing rules"},
		{"two_docs.yaml", "more than one"},
		{"bad_type.yaml", "weights.yaml"},
		{"empty.yaml", "empty"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "weights", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			w, err := LoadWeights(f)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if w.Bias != -2.5 || w.Rules["f.foreign_destination"] != 0.7 || w.Lambda != 0.1 || len(w.Data) != 1 || w.Fitted.IsZero() {
					t.Fatalf("got %+v", w)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want %q wrapping ErrInvalid", err, tc.wantErr)
			}
		})
	}
}

func TestWeightsRoundTrip(t *testing.T) {
	in := Weights{Pack: "rp-x", Data: []string{"a.jsonl: 3 ads"}, Lambda: 0.03, Bias: -1.25,
		Rules: map[string]float64{"b.rule": 0.5, "a.rule": -1}}
	var b bytes.Buffer
	if _, err := in.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	out, err := LoadWeights(&b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if out.Pack != in.Pack || out.Bias != in.Bias || out.Lambda != in.Lambda || len(out.Rules) != 2 || out.Rules["a.rule"] != -1 {
		t.Fatalf("round trip: %+v", out)
	}
}

func TestApplyWeights(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var pos, neg string
	for _, r := range base.Rules {
		switch {
		case pos == "" && !IsNegative(r.Signal):
			pos = r.ID
		case neg == "" && IsNegative(r.Signal):
			neg = r.ID
		}
	}
	for _, tc := range []struct {
		name    string
		w       Weights
		wantErr string
	}{
		{"ok", Weights{Bias: -2.75, Rules: map[string]float64{pos: 1.5, neg: -0.5}}, ""},
		{"unknown rule", Weights{Bias: -2, Rules: map[string]float64{"no.such": 1}}, "not in the pack"},
		{"positive rule made negative", Weights{Bias: -2, Rules: map[string]float64{pos: -1}}, "sign"},
		{"negative rule made positive", Weights{Bias: -2, Rules: map[string]float64{neg: 1}}, "sign"},
		{"zero weight", Weights{Bias: -2, Rules: map[string]float64{pos: 0}}, "non-zero"},
		{"weight too large", Weights{Bias: -2, Rules: map[string]float64{pos: 11}}, "within"},
		{"bias out of range", Weights{Bias: -21, Rules: map[string]float64{}}, "bias"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Default()
			if err != nil {
				t.Fatal(err)
			}
			err = p.ApplyWeights(tc.w)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if p.Version != base.Version || p.Model.Bias != base.Model.Bias {
					t.Fatal("a failed ApplyWeights changed the pack")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Version == base.Version || !strings.HasPrefix(p.Version, "rp-") {
				t.Fatalf("version %s unchanged", p.Version)
			}
			if p.Model.Bias != -2.75 {
				t.Fatalf("bias %v", p.Model.Bias)
			}
			r, _ := p.Rule(pos)
			if r.Weight != 1.5 {
				t.Fatalf("%s weight %v", pos, r.Weight)
			}
			q, _ := Default()
			if err := q.ApplyWeights(Weights{Bias: -2.75, Rules: map[string]float64{pos: 1.5, neg: -0.25}}); err != nil {
				t.Fatal(err)
			}
			if q.Version == p.Version {
				t.Fatal("different weights, same version")
			}
		})
	}
}

func TestLoadWithWeights(t *testing.T) {
	mfs := fstest.MapFS{}
	err := fs.WalkDir(FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS(), path)
		mfs[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := LoadWithWeights(mfs)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	if plain.Version != def.Version {
		t.Fatalf("without weights.yaml: version %s, want %s", plain.Version, def.Version)
	}
	good, err := os.ReadFile(filepath.Join("testdata", "weights", "good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mfs[WeightsFile] = &fstest.MapFile{Data: good}
	p, err := LoadWithWeights(mfs)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := p.Rule("f.foreign_destination")
	if !ok || r.Weight != 0.7 || p.Model.Bias != -2.5 || p.Version == def.Version {
		t.Fatalf("weights not applied: %v %v %s", r, p.Model.Bias, p.Version)
	}
	mfs[WeightsFile] = &fstest.MapFile{Data: []byte("bias: 1\nrules: {}\nextra: 1\n")}
	if _, err := LoadWithWeights(mfs); err == nil {
		t.Fatal("bad weights.yaml accepted")
	}
}

func FuzzLoadWeights(f *testing.F) {
	entries, _ := os.ReadDir(filepath.Join("testdata", "weights"))
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join("testdata", "weights", e.Name()))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := LoadWeights(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := w.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadWeights(&out); err != nil {
			t.Fatalf("written weights do not load: %v\n%s", err, out.String())
		}
	})
}

func ExamplePack_ApplyWeights() {
	p, _ := Default()
	before := p.Version
	w, _ := LoadWeights(strings.NewReader("bias: -2.5\nrules:\n  f.foreign_destination: 0.7\n"))
	if err := p.ApplyWeights(w); err != nil {
		panic(err)
	}
	r, _ := p.Rule("f.foreign_destination")
	fmt.Println(r.Weight, p.Model.Bias, p.Version != before)
	// Output: 0.7 -2.5 true
}
