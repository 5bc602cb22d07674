package textmodel

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func testAd() ad.Ad {
	return ad.Ad{Title: "Work from HOME, easy money!", Body: "Send your passport copy to the recruiter.\nРабота в Польше, жильё бесплатно."}
}

func TestGramsHashToTheirBucket(t *testing.T) {
	c := DefaultConfig()
	a := testAd()
	n := map[Kind]int{}
	c.Grams(&a, func(b uint32, k Kind, g string) {
		n[k]++
		if got := c.Bucket(k, g); got != b {
			t.Errorf("%s %q: bucket %d, Bucket says %d", k, g, b, got)
		}
	})
	if n[Word] == 0 || n[Char] == 0 {
		t.Fatalf("grams per kind: %v", n)
	}
}

func TestNormalisedTextSharesFeatures(t *testing.T) {
	c := DefaultConfig()
	plain := ad.Ad{Body: "work from home"}
	for _, s := range []string{
		"WORK from home!!",
		"wоrk frоm hоme", // Cyrillic о
		"w o r k from home",
		"work\u200b from   home",
	} {
		a := ad.Ad{Body: s}
		if got, want := c.Vectorise(&a), c.Vectorise(&plain); !equalVectors(got, want) {
			t.Errorf("%q: features differ from %q", s, plain.Body)
		}
	}
	other := ad.Ad{Body: "work from office"}
	if equalVectors(c.Vectorise(&other), c.Vectorise(&plain)) {
		t.Fatal("different texts give the same features")
	}
}

func equalVectors(a, b Vector) bool {
	if len(a.Buckets) != len(b.Buckets) {
		return false
	}
	for i := range a.Buckets {
		if a.Buckets[i] != b.Buckets[i] || math.Abs(a.Values[i]-b.Values[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestVectorIsUnitPerBlock(t *testing.T) {
	c := Config{Bits: 20, WordMin: 1, WordMax: 1, WordScale: 3, CharScale: 1}
	a := ad.Ad{Body: "one two three two"}
	v := c.Vectorise(&a)
	if len(v.Buckets) != 3 {
		t.Fatalf("%d buckets for 3 distinct words", len(v.Buckets))
	}
	sq := 0.0
	for _, x := range v.Values {
		sq += x * x
	}
	if math.Abs(math.Sqrt(sq)-3) > 1e-9 {
		t.Fatalf("norm %v, want the scale 3", math.Sqrt(sq))
	}
}

func randomModel(t testing.TB, c Config, seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 1))
	w := make([]float32, 1<<c.Bits)
	for i := range w {
		if r.IntN(3) == 0 {
			w[i] = float32(r.NormFloat64())
		}
	}
	m, err := New(c, w)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestScoreMatchesVector(t *testing.T) {
	c := DefaultConfig()
	c.Bits = 12 // collisions between word and character buckets
	c.WordScale, c.CharScale = 2, 5
	m := randomModel(t, c, 3)
	a := testAd()
	v := c.Vectorise(&a)
	want := 0.0
	for k, b := range v.Buckets {
		want += float64(m.W[b]) * v.Values[k]
	}
	for _, top := range []int{0, 5} {
		r := m.Score(&a, top)
		if math.Abs(r.Logit-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("top %d: logit %v, vector says %v", top, r.Logit, want)
		}
		if top == 0 && len(r.Top) > 0 {
			t.Fatal("features listed without asking")
		}
	}
}

func TestTopFeaturesHaveSpans(t *testing.T) {
	m := randomModel(t, DefaultConfig(), 5)
	a := testAd()
	r := m.Score(&a, 5)
	if len(r.Top) != 5 {
		t.Fatalf("%d features", len(r.Top))
	}
	sum := r.Rest
	for i, f := range r.Top {
		sum += f.Weight
		if i > 0 && math.Abs(f.Weight) > math.Abs(r.Top[i-1].Weight) {
			t.Errorf("feature %d larger than the one before", i)
		}
		orig := a.Field(f.Span.Field)
		if f.Span.Start >= f.Span.End || f.Span.End > len(orig) || orig[f.Span.Start:f.Span.End] != f.Span.Text {
			t.Errorf("feature %d: span %+v not in field %q", i, f.Span, orig)
		}
		for _, g := range r.Top[:i] {
			if g.Span.Field == f.Span.Field && f.Span.Start < g.Span.End && g.Span.Start < f.Span.End {
				t.Errorf("spans %+v and %+v overlap", f.Span, g.Span)
			}
		}
	}
	if math.Abs(sum-r.Logit) > 1e-9 {
		t.Fatalf("top + rest = %v, logit %v", sum, r.Logit)
	}
}

func TestSpanOfLookalikeIsOriginalText(t *testing.T) {
	c := Config{Bits: 16, WordMin: 1, WordMax: 1, WordScale: 1, CharScale: 1}
	w := make([]float32, 1<<c.Bits)
	w[c.Bucket(Word, "passport")] = 5
	m, err := New(c, w)
	if err != nil {
		t.Fatal(err)
	}
	a := ad.Ad{Body: "Send your PАSSPORT now"} // Cyrillic А
	r := m.Score(&a, 3)
	if len(r.Top) != 1 || r.Top[0].Span.Text != "PАSSPORT" || r.Top[0].Kind != Word {
		t.Fatalf("top %+v", r.Top)
	}
}

func TestWriteParseRoundTrip(t *testing.T) {
	c := DefaultConfig()
	c.Bits = 10
	c.CharScale = 0.5
	m := randomModel(t, c, 9)
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Config != m.Config || got.Hash != m.Hash || got.NonZero() != m.NonZero() {
		t.Fatalf("read back %+v %s %d, wrote %+v %s %d", got.Config, got.Hash, got.NonZero(), m.Config, m.Hash, m.NonZero())
	}
	for i := range m.W {
		if got.W[i] != m.W[i] {
			t.Fatalf("bucket %d: %v, wrote %v", i, got.W[i], m.W[i])
		}
	}
	m2 := randomModel(t, c, 10)
	if m2.Hash == m.Hash {
		t.Fatal("different models, same hash")
	}
}

const goodFile = "lure-textmodel 1\n# comment\nbits 8\nwords 1 2\nchars 3 5\nscale 1 2\nweights 2\n3 0.5\n200 -1.25\nend\n"

func TestParseGood(t *testing.T) {
	m, err := Parse(strings.NewReader(goodFile))
	if err != nil {
		t.Fatal(err)
	}
	if m.W[3] != 0.5 || m.W[200] != -1.25 || m.NonZero() != 2 || m.Config.CharScale != 2 || !strings.HasPrefix(m.Hash, "tm-") {
		t.Fatalf("%+v", m.Config)
	}
}

func TestParseRejectsDamagedFiles(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"empty":         {"", "first line"},
		"no header":     {"bits 8\n", "first line"},
		"version":       {strings.Replace(goodFile, "lure-textmodel 1", "lure-textmodel 2", 1), "version"},
		"truncated":     {strings.TrimSuffix(goodFile, "end\n"), "unexpected end"},
		"cut in weight": {goodFile[:strings.Index(goodFile, "200")], "unexpected end"},
		"bits":          {strings.Replace(goodFile, "bits 8", "bits 40", 1), "bits"},
		"orders":        {strings.Replace(goodFile, "chars 3 5", "chars 5 3", 1), "character orders"},
		"scale":         {strings.Replace(goodFile, "scale 1 2", "scale 1 NaN", 1), "scale"},
		"bucket range":  {strings.Replace(goodFile, "200 ", "256 ", 1), "bucket"},
		"order":         {strings.Replace(goodFile, "200 ", "2 ", 1), "not after"},
		"nan":           {strings.Replace(goodFile, "-1.25", "NaN", 1), "weight"},
		"huge":          {strings.Replace(goodFile, "-1.25", "1e9", 1), "weight"},
		"count":         {strings.Replace(goodFile, "weights 2", "weights 3", 1), "want \"BUCKET WEIGHT\""},
		"after end":     {goodFile + "1 1\n", "after"},
		"long line":     {strings.Replace(goodFile, "# comment", "# "+strings.Repeat("x", 300), 1), "longer than"},
		"missing key":   {strings.Replace(goodFile, "words 1 2\n", "", 1), "want \"words\""},
	} {
		_, err := Parse(strings.NewReader(tc.file))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
}

func TestParseRejectsOversizedFile(t *testing.T) {
	big := strings.Repeat("#\n", MaxFileBytes/2+1)
	_, err := Parse(strings.NewReader(goodFile + big))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("error %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte("lure-textmodel 1\nbits 8\nwords 0 0\nchars 1 8\nscale 1000 1\nweights 0\nend\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		var out bytes.Buffer
		if _, err := m.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		m2, err := Parse(&out)
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if m2.Config != m.Config || m2.NonZero() != m.NonZero() {
			t.Fatal("re-read model differs")
		}
		a := ad.Ad{Body: string(b)}
		m.Score(&a, 3)
	})
}
