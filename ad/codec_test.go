package ad

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden messages in testdata from json.Marshal")

// goldenAd is an ad with every field set, text that JSON escapes (HTML
// characters, quotes, control characters, non-ASCII) and times with and
// without a zone offset.
func goldenAd() Ad {
	a := Ad{V: Version, ID: "3f1c9a0b7d2e4f6a8b9c0d1e", Site: "rabota.example", URL: "https://rabota.example/ad/1?a=1&b=2",
		Kind: KindJob, Lang: "ru", Title: "Работа <в> Германии & \"бесплатно\"", Body: "Билеты оплачиваем.\nВиза\t— за наш счёт\u2028",
		Salary: "от 3000 €", Location: "Кишинёв", Contact: "+373 69 123 456, @hr_job",
		Posted:   time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("", 2*3600)),
		Crawled:  time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC),
		Snapshot: "sha256:" + "ab12"}
	a.ContentHash = a.Hash()
	return a
}

func goldenVerdict() Verdict {
	return Verdict{V: Version, Ad: goldenAd(), Score: 87.5, Band: BandHigh, Flagged: true, RulePack: "2025.03.1",
		Hits: []Hit{
			{Rule: "ru.free-travel", Weight: 1.5, Signal: "free_travel",
				Evidence: []Span{{Field: FieldBody, Start: 0, End: 31, Text: "Билеты оплачиваем"}}},
			{Rule: "ru.quoted", Weight: 0, Signal: "debt_bondage", Quoted: true},
			{Rule: "ru.reported", Weight: 0, Reported: true},
			{Rule: "ru.warning", Weight: 0, OwnOffer: true},
		},
		Entities: Entities{Phones: []string{"+37369123456"}, Emails: []string{"hr@job.example"}, Handles: []string{"@hr_job"},
			Destinations: []string{"DE"}, Salaries: []Salary{{Amount: 3000, Max: 3500, Currency: "EUR", Period: "month", Text: "от 3000 €"}},
			Ages: []int{18, 25}, Companies: []string{"ООО «СеверСтрой»"}, Licences: []string{"AB-123"}, Region: "MD/Chișinău", Category: "construction"},
		ScoredAt: time.Date(2025, 3, 1, 12, 1, 0, 0, time.UTC), Lang: "ru", LangDetected: true}
}

func goldenRemoval() Removal {
	t := time.Date(2025, 11, 21, 10, 0, 0, 0, time.UTC)
	return Removal{V: Version, ID: "x-1", Site: "x", URL: "https://x.md/ad/1", Reason: RemovedGone410, LastSeen: t.Add(-time.Hour), DetectedAt: t}
}

// TestEncodeGolden pins the wire format: each encoder writes exactly what
// json.Marshal of the message writes, byte for byte, and that is the
// golden message in testdata. Messages with their optional fields empty
// are checked against json.Marshal too.
func TestEncodeGolden(t *testing.T) {
	minimal := Ad{V: Version, ID: "a", Site: "s", Kind: KindOther, Title: "t"}
	tests := []struct {
		name   string
		msg    any
		encode func() ([]byte, error)
	}{
		{"ad", goldenAd(), func() ([]byte, error) { return Encode(goldenAd()) }},
		{"verdict", goldenVerdict(), func() ([]byte, error) { return EncodeVerdict(goldenVerdict()) }},
		{"removal", goldenRemoval(), func() ([]byte, error) { return EncodeRemoval(goldenRemoval()) }},
		{"ad-minimal", minimal, func() ([]byte, error) { return Encode(minimal) }},
		{"verdict-minimal", Verdict{V: Version, Ad: minimal, Band: BandLow},
			func() ([]byte, error) { return EncodeVerdict(Verdict{V: Version, Ad: minimal, Band: BandLow}) }},
		{"removal-minimal", Removal{V: Version, ID: "a", Site: "s", URL: "u", Reason: RemovedDelisted},
			func() ([]byte, error) {
				return EncodeRemoval(Removal{V: Version, ID: "a", Site: "s", URL: "u", Reason: RemovedDelisted})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.encode()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("encoded\n%s\njson.Marshal\n%s", got, want)
			}
			path := filepath.Join("testdata", tt.name+".json")
			if *update {
				if err := os.WriteFile(path, append(want, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if golden = bytes.TrimSuffix(golden, []byte("\n")); !bytes.Equal(got, golden) {
				t.Errorf("encoded\n%s\ngolden %s\n%s", got, path, golden)
			}
		})
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	a := goldenAd()
	b, err := Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	gotAd, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotAd.Posted.Equal(a.Posted) || !gotAd.Crawled.Equal(a.Crawled) {
		t.Errorf("times: got %v %v, want %v %v", gotAd.Posted, gotAd.Crawled, a.Posted, a.Crawled)
	}
	gotAd.Posted, gotAd.Crawled = a.Posted, a.Crawled
	if !reflect.DeepEqual(gotAd, a) {
		t.Errorf("ad round trip:\n got %+v\nwant %+v", gotAd, a)
	}

	v := goldenVerdict()
	b, err = EncodeVerdict(v)
	if err != nil {
		t.Fatal(err)
	}
	gotV, err := DecodeVerdict(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotV.Ad.Posted.Equal(v.Ad.Posted) {
		t.Errorf("posted: got %v, want %v", gotV.Ad.Posted, v.Ad.Posted)
	}
	gotV.Ad.Posted = v.Ad.Posted
	if !reflect.DeepEqual(gotV, v) {
		t.Errorf("verdict round trip:\n got %+v\nwant %+v", gotV, v)
	}

	r := goldenRemoval()
	b, err = EncodeRemoval(r)
	if err != nil {
		t.Fatal(err)
	}
	gotR, err := DecodeRemoval(b)
	if err != nil {
		t.Fatal(err)
	}
	if gotR != r {
		t.Errorf("removal round trip: got %+v, want %+v", gotR, r)
	}
}

func TestEncodeError(t *testing.T) {
	v := goldenVerdict()
	v.Hits[0].Weight = -1 / zero()
	if _, err := EncodeVerdict(v); err == nil {
		t.Error("infinite weight encoded")
	}
}

func zero() float64 { return 0 }

// TestDecodeFillsHash: a message without a content hash is decoded with
// Hash(); one with a hash keeps it as sent.
func TestDecodeFillsHash(t *testing.T) {
	a := goldenAd()
	want := a.ContentHash
	a.ContentHash = ""
	b, _ := Encode(a)
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentHash != want {
		t.Errorf("Decode hash = %q, want %q", got.ContentHash, want)
	}
	v := goldenVerdict()
	v.Ad.ContentHash = ""
	b, _ = EncodeVerdict(v)
	gotV, err := DecodeVerdict(b)
	if err != nil {
		t.Fatal(err)
	}
	if gotV.Ad.ContentHash != want {
		t.Errorf("DecodeVerdict hash = %q, want %q", gotV.Ad.ContentHash, want)
	}

	a.ContentHash = "sent-by-producer"
	b, _ = Encode(a)
	if got, _ := Decode(b); got.ContentHash != "sent-by-producer" {
		t.Errorf("Decode replaced the sent hash with %q", got.ContentHash)
	}
	v.Ad.ContentHash = "sent-by-producer"
	b, _ = EncodeVerdict(v)
	if got, _ := DecodeVerdict(b); got.Ad.ContentHash != "sent-by-producer" {
		t.Errorf("DecodeVerdict replaced the sent hash with %q", got.Ad.ContentHash)
	}
}

func TestWithHash(t *testing.T) {
	a := validAd()
	if got := a.WithHash().ContentHash; got != a.Hash() {
		t.Errorf("WithHash of an ad without hash = %q, want %q", got, a.Hash())
	}
	if a.ContentHash != "" {
		t.Error("WithHash changed its receiver")
	}
	a.ContentHash = "h"
	if got := a.WithHash().ContentHash; got != "h" {
		t.Errorf("WithHash replaced hash h with %q", got)
	}
}
