package ad

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadLine(t *testing.T) {
	in := "one\r\n" + strings.Repeat("x", 40) + "\n\nlast"
	r := bufio.NewReaderSize(strings.NewReader(in), 16)
	var got []string
	for {
		b, err := ReadLine(r, 20)
		if errors.Is(err, ErrLineTooLong) {
			got = append(got, "<too long>")
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		got = append(got, string(b))
		if err != nil {
			break
		}
	}
	if want := "one|<too long>||last"; strings.Join(got, "|") != want {
		t.Errorf("lines = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestInputAd(t *testing.T) {
	a, err := Input{Title: "t", Body: "b"}.Ad("cli", "line-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Site != "cli" || a.ID != "line-1" || a.Kind != KindJob || a.ContentHash != a.Hash() {
		t.Errorf("defaults not applied: %+v", a)
	}
	if _, err := (Input{Kind: "spam", Title: "t"}).Ad("cli", "x"); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: err = %v", err)
	}
}

func TestInputAdID(t *testing.T) {
	byURL, err := MakeID("api", "https://x.example/ad/1")
	if err != nil {
		t.Fatal(err)
	}
	onSite, err := MakeID("own", "https://x.example/ad/1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"own id", Input{ID: "mine", URL: "https://x.example/ad/1"}, "mine"},
		{"url on the default site", Input{URL: "https://x.example/ad/1"}, byURL},
		{"url on its own site", Input{Site: "own", URL: "https://x.example/ad/1"}, onSite},
		{"relative url", Input{URL: "/ad/1"}, "ad-0"},
		{"nothing", Input{}, "ad-0"},
	}
	for _, tt := range tests {
		if got := tt.in.AdID("api", "ad-0"); got != tt.want {
			t.Errorf("%s: AdID = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzReadLine(f *testing.F) {
	f.Add("a\nb\r\n\nccc", 4)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 1<<10 {
			return
		}
		r := bufio.NewReaderSize(strings.NewReader(s), 16)
		for range len(s) + 2 {
			b, err := ReadLine(r, max)
			if len(b) > max+1 {
				t.Fatalf("line of %d bytes over limit %d", len(b), max)
			}
			if err != nil && !errors.Is(err, ErrLineTooLong) {
				return
			}
		}
		t.Fatal("ReadLine did not reach the end")
	})
}
