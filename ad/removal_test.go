package ad

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestRemovalRoundTrip(t *testing.T) {
	now := time.Date(2025, 11, 21, 10, 0, 0, 0, time.UTC)
	good := Removal{V: Version, ID: "x-1", Site: "x", URL: "https://x.md/ad/1", Reason: RemovedGone404, LastSeen: now.Add(-time.Hour), DetectedAt: now}
	b, err := json.Marshal(good)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeRemoval(b)
	if err != nil {
		t.Fatal(err)
	}
	if got != good {
		t.Fatalf("round trip: got %+v, want %+v", got, good)
	}
	tests := []struct {
		name string
		edit func(*Removal)
	}{
		{"version", func(r *Removal) { r.V = 2 }},
		{"id", func(r *Removal) { r.ID = "" }},
		{"site", func(r *Removal) { r.Site = "" }},
		{"url", func(r *Removal) { r.URL = "" }},
		{"reason", func(r *Removal) { r.Reason = "vanished" }},
		{"detected", func(r *Removal) { r.DetectedAt = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)
			b, _ := json.Marshal(r)
			if _, err := DecodeRemoval(b); !errors.Is(err, ErrInvalid) {
				t.Errorf("DecodeRemoval = %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := DecodeRemoval([]byte("{")); err == nil {
		t.Error("bad JSON accepted")
	}
}
