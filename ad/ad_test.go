package ad

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "lowercases host and drops fragment", in: "HTTP://Example.MD/Jobs/1#top", want: "http://example.md/Jobs/1"},
		{name: "drops default port", in: "https://example.md:443/a", want: "https://example.md/a"},
		{name: "keeps other port", in: "http://127.0.0.1:8090/a", want: "http://127.0.0.1:8090/a"},
		{name: "strips tracking and sorts query", in: "http://x.md/a?utm_source=fb&b=2&a=1&fbclid=z", want: "http://x.md/a?a=1&b=2"},
		{name: "empty path becomes slash", in: "http://x.md", want: "http://x.md/"},
		{name: "relative is an error", in: "/jobs/1", wantErr: true},
		{name: "garbage is an error", in: "http://[::1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMakeIDStable(t *testing.T) {
	a, err := MakeID("rabota-md", "http://x.md/jobs/1?utm_campaign=z")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MakeID("rabota-md", "HTTP://X.MD/jobs/1#frag")
	c, _ := MakeID("other-site", "http://x.md/jobs/1")
	if a != b {
		t.Errorf("same ad, different ids: %s %s", a, b)
	}
	if a == c {
		t.Errorf("different sites share id %s", a)
	}
	if len(a) != 24 {
		t.Errorf("id length %d, want 24", len(a))
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a := Ad{Title: "a", Body: "bc"}
	b := Ad{Title: "ab", Body: "c"}
	if a.Hash() == b.Hash() {
		t.Error("field boundaries must be part of the hash")
	}
	c := a
	if a.Hash() != c.Hash() {
		t.Error("equal ads must hash equal")
	}
}

func validAd() Ad {
	return Ad{V: Version, ID: "x1", Site: "s", Kind: KindJob, Title: "t", Body: "b"}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "valid", in: `{"v":1,"id":"a","site":"s","kind":"job","title":"t","body":"b"}`},
		{name: "unknown fields ignored", in: `{"v":1,"id":"a","site":"s","kind":"job","title":"t","extra":1}`},
		{name: "wrong version", in: `{"v":2,"id":"a","site":"s","kind":"job","title":"t"}`, wantErr: true},
		{name: "no id", in: `{"v":1,"site":"s","kind":"job","title":"t"}`, wantErr: true},
		{name: "bad kind", in: `{"v":1,"id":"a","site":"s","kind":"spam","title":"t"}`, wantErr: true},
		{name: "no text", in: `{"v":1,"id":"a","site":"s","kind":"job"}`, wantErr: true},
		{name: "not json", in: `{"v":1,`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func TestValidateFieldLimit(t *testing.T) {
	a := validAd()
	a.Body = strings.Repeat("x", MaxFieldBytes+1)
	if err := a.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestValidateInvalidError(t *testing.T) {
	a := validAd()
	a.Kind = "spam"
	err := a.Validate()
	var inv *InvalidError
	if !errors.As(err, &inv) || inv.ID != "x1" || inv.Reason != `kind "spam"` || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %#v, want *InvalidError of x1 wrapping ErrInvalid", err)
	}
	if got, want := err.Error(), `ad x1: invalid: kind "spam"`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	a = validAd()
	a.ID = ""
	if got, want := a.Validate().Error(), "ad: invalid: missing id"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestVerdictValidate(t *testing.T) {
	v := Verdict{V: Version, Ad: validAd(), Score: 42, Band: BandMedium}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	v.Score = 101
	if err := v.Validate(); err == nil {
		t.Error("score 101 accepted")
	}
	v.Score, v.Band = 10, "purple"
	if err := v.Validate(); err == nil {
		t.Error("unknown band accepted")
	}
}

func TestSignals(t *testing.T) {
	v := Verdict{Hits: []Hit{{Signal: "b"}, {Signal: "a"}, {Signal: "b"}, {}}}
	got := strings.Join(v.Signals(), ",")
	if got != "a,b" {
		t.Errorf("signals = %q", got)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"v":1,"id":"a","site":"s","kind":"job","title":"t","body":"b"}`))
	f.Add([]byte(`{"v":1,"id":"","kind":"marriage"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Decode(b)
		if err != nil {
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("decoded ad fails validation: %v", err)
		}
		if a.ContentHash == "" {
			t.Fatal("decoded ad has no content hash")
		}
		enc, err := Encode(a)
		if err != nil {
			t.Fatalf("Encode of a decoded ad: %v", err)
		}
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode of an encoded ad: %v", err)
		}
		if !reflect.DeepEqual(again, a) {
			t.Fatalf("round trip: got %+v, want %+v", again, a)
		}
	})
}
