package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDefault(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) < 25 {
		t.Fatalf("got %d rules, want at least 25", len(p.Rules))
	}
	langs := p.Langs()
	for _, l := range []string{"ru", "uk", "ro", "en"} {
		if langs[l] < 10 {
			t.Errorf("only %d rules for %s", langs[l], l)
		}
	}
	var combos, features, negative int
	for _, r := range p.Rules {
		switch {
		case r.When != nil:
			combos++
		case r.Feature != "":
			features++
		}
		if r.Weight < 0 {
			negative++
		}
		if r.File == "" || r.Line == 0 {
			t.Errorf("rule %s has no position", r.ID)
		}
	}
	if combos < 2 || features < 3 || negative < 4 {
		t.Errorf("combos %d, features %d, negative %d", combos, features, negative)
	}
	if p.Model.Threshold != 50 || p.Model.Bias >= 0 || p.Model.HighPay["EUR"] == 0 {
		t.Errorf("model %+v", p.Model)
	}
	if !strings.HasPrefix(p.Version, "rp-") || len(p.Version) != 19 {
		t.Errorf("version %q", p.Version)
	}
	if _, ok := p.Rule("ru.debt_travel"); !ok {
		t.Error("ru.debt_travel missing")
	}
}

func TestVersionFollowsContent(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"en.yaml", "model.yaml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	p1, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Load(fsys)
	if p1.Version != p2.Version {
		t.Fatalf("same files, versions %s and %s", p1.Version, p2.Version)
	}
	fsys["model.yaml"] = &fstest.MapFile{Data: append(fsys["model.yaml"].Data, "\n# changed\n"...)}
	p3, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if p3.Version == p1.Version {
		t.Error("version did not change with content")
	}
}

func TestLoadDir(t *testing.T) {
	p, err := LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Default()
	if p.Version != d.Version {
		t.Errorf("directory %s, embedded %s", p.Version, d.Version)
	}
	if _, err := LoadDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing directory loaded")
	}
	if _, err := LoadDir(t.TempDir()); err == nil {
		t.Error("empty directory loaded")
	}
}

// TestLoadBad loads each testdata/bad/<case>.yaml alone and checks the
// error names the file, the line where known, and the problem.
func TestLoadBad(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"unknown_field.yaml", "rules: pack.yaml:9: invalid rule pack: field colour not found in type rules.Rule"},
		{"unknown_signal.yaml", `pack.yaml:3: invalid rule pack: rule t.a: unknown signal "nice_weather"`},
		{"duplicate_id.yaml", "pack.yaml:10: invalid rule pack: rule t.a: duplicate id (first at pack.yaml:3)"},
		{"missing_examples.yaml", "pack.yaml:3: invalid rule pack: rule t.a: needs at least one fire and one silent example"},
		{"negative_weight_sign.yaml", "weight sign does not match signal licensed"},
		{"dangling_ref.yaml", `pack.yaml:3: invalid rule pack: rule t.a: unknown rule "t.nope"`},
		{"cycle.yaml", "combination cycle"},
		{"bad_stem.yaml", "* is allowed only at the end"},
		{"bad_regex.yaml", "missing closing )"},
		{"two_conditions.yaml", "needs exactly one of patterns/regex, feature or when"},
		{"unknown_feature.yaml", `unknown feature "moon_phase"`},
		{"bad_model.yaml", "threshold 150 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			name := "pack.yaml"
			if strings.HasSuffix(tt.file, "_model.yaml") {
				name = ModelFile
			}
			_, err = Load(fstest.MapFS{name: {Data: b}})
			if err == nil {
				t.Fatal("loaded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.File != name {
				t.Errorf("error is not a *Error for %s: %#v", name, err)
			}
		})
	}
}

func TestLoadTooBig(t *testing.T) {
	_, err := Load(fstest.MapFS{"big.yaml": {Data: make([]byte, MaxFileBytes+1)}})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v", err)
	}
}

func TestWages(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	w := p.Wages
	if w.Currency != "EUR" || len(w.Countries) < 20 {
		t.Fatalf("wages: %s, %d countries", w.Currency, len(w.Countries))
	}
	for _, c := range p.Gazetteer.Risky {
		if _, ok := w.Countries[c]; !ok {
			t.Errorf("risky destination %s has no reference wage", c)
		}
	}
	if v, ok := w.InCurrency(1000, "USD"); !ok || v != 920 {
		t.Errorf("1000 USD = %v EUR, %v", v, ok)
	}
	if _, ok := w.InCurrency(1, "XXX"); ok {
		t.Error("unknown currency converted")
	}
	for name, bad := range map[string]string{
		"no source":     "currency: EUR\ncountries:\n  DE: {monthly: 2000}\n",
		"bad country":   "currency: EUR\ncountries:\n  Germany: {monthly: 2000, source: x}\n",
		"zero monthly":  "currency: EUR\ncountries:\n  DE: {monthly: 0, source: x}\n",
		"unknown field": "currency: EUR\nbonus: 1\n",
		"bad rate":      "currency: EUR\nrates:\n  USD: -1\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{WagesFile: {Data: []byte(bad)}, "en.yaml": {Data: mustRead(t, "en.yaml")}})
			var pe *Error
			if !errors.As(err, &pe) || pe.File != WagesFile || !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want an *Error for %s", err, WagesFile)
			}
		})
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A rule file's pack.home and destinations are merged into the model and
// gazetteer, whatever the order of the files.
func TestPackHomeAndDestinations(t *testing.T) {
	pack := `pack:
  name: xx-core
  languages: [uz]
  home: [UZ]
destinations:
  AE: [dubay*, дубай*]
  KR: [koreya*]
rules:
  - id: uz.high_pay
    description: High pay
    signal: high_pay
    langs: [uz]
    weight: 0.9
    patterns: [yuqori maosh]
    examples:
      fire: ["yuqori maosh"]
      silent: ["maosh kelishiladi"]
`
	fsys := fstest.MapFS{
		"a.yaml":         {Data: []byte(pack)},
		"gazetteer.yaml": {Data: []byte("countries:\n  AE: [dubai, дубай*]\n")},
		"model.yaml":     {Data: []byte("bias: -2\nhome:\n  ru: [RU]\n")},
	}
	p, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Model.Home["uz"]; len(got) != 1 || got[0] != "UZ" {
		t.Errorf("home uz = %v", got)
	}
	if got := p.Model.Home["ru"]; len(got) != 1 || got[0] != "RU" {
		t.Errorf("home ru = %v (model.yaml lost)", got)
	}
	if got := strings.Join(p.Gazetteer.Countries["AE"], ","); got != "dubai,дубай*,dubay*" {
		t.Errorf("AE = %s", got)
	}
	if got := p.Gazetteer.Countries["KR"]; len(got) != 1 {
		t.Errorf("KR = %v", got)
	}
	for name, bad := range map[string]string{
		"home country": strings.Replace(pack, "home: [UZ]", "home: [Uzbekistan]", 1),
		"destination":  strings.Replace(pack, "KR: [koreya*]", "Korea: [koreya*]", 1),
		"pattern":      strings.Replace(pack, "KR: [koreya*]", "KR: [' koreya']", 1),
	} {
		_, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(bad)}})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "a.yaml") {
			t.Errorf("%s: err = %v, want an ErrInvalid naming a.yaml", name, err)
		}
	}
}
