package ad

import (
	"encoding/json"
	"fmt"
	"time"
)

// Reasons an ad is taken as removed from its site.
const (
	RemovedGone404  = "gone_404" // its page answered 404 Not Found
	RemovedGone410  = "gone_410" // its page answered 410 Gone
	RemovedDelisted = "delisted" // a complete listing of its site no longer links it
	RemovedExpired  = "expired"  // its page says the posting ended (schema.org validThrough in the past)
)

// RemovalReasons lists every removal reason.
var RemovalReasons = []string{RemovedGone404, RemovedGone410, RemovedDelisted, RemovedExpired}

// IsRemovalReason reports whether s is one of RemovalReasons.
func IsRemovalReason(s string) bool {
	for _, r := range RemovalReasons {
		if s == r {
			return true
		}
	}
	return false
}

// Removal says that an ad seen before is no longer on its site. It is the
// message on the lure.ads.removed topic, keyed by the ad ID.
type Removal struct {
	V          int       `json:"v"`
	ID         string    `json:"id"`
	Site       string    `json:"site"`
	URL        string    `json:"url"`
	Reason     string    `json:"reason"`
	LastSeen   time.Time `json:"last_seen,omitzero"`
	DetectedAt time.Time `json:"detected_at"`
}

// Validate checks the fields consumers rely on.
func (r *Removal) Validate() error {
	switch {
	case r.V != Version:
		return fmt.Errorf("ad: removal: %w: version %d, want %d", ErrInvalid, r.V, Version)
	case r.ID == "":
		return fmt.Errorf("ad: removal: %w: missing id", ErrInvalid)
	case r.Site == "":
		return fmt.Errorf("ad: removal %s: %w: missing site", r.ID, ErrInvalid)
	case r.URL == "":
		return fmt.Errorf("ad: removal %s: %w: missing url", r.ID, ErrInvalid)
	case r.DetectedAt.IsZero():
		return fmt.Errorf("ad: removal %s: %w: missing detected_at", r.ID, ErrInvalid)
	}
	if !IsRemovalReason(r.Reason) {
		return fmt.Errorf("ad: removal %s: %w: reason %q", r.ID, ErrInvalid, r.Reason)
	}
	return nil
}

// EncodeRemoval writes one Removal message, as DecodeRemoval reads it. Its
// error is json.Marshal's, for a removal JSON cannot hold (a time outside
// years 0–9999).
func EncodeRemoval(r Removal) ([]byte, error) {
	return json.Marshal(r)
}

// DecodeRemoval parses and validates one Removal message.
func DecodeRemoval(b []byte) (Removal, error) {
	var r Removal
	if err := json.Unmarshal(b, &r); err != nil {
		return Removal{}, fmt.Errorf("ad: decode removal: %w", err)
	}
	if err := r.Validate(); err != nil {
		return Removal{}, err
	}
	return r, nil
}
