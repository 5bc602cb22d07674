// Package webhook delivers signed events about flagged ads to the
// platforms that subscribed to their own sites: it turns a verdict into an
// event (no contact details), queues one delivery per covering
// subscription, and POSTs each with an HMAC-SHA256 signature, retrying
// with exponential backoff and jitter up to a maximum number of attempts.
// Verify is the receiving side's check. Storing subscriptions and the
// delivery log is left to store/; deciding which verdicts are flagged is
// left to the classifier.
package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/lurewatch/lure/ad"
)

// EventFlagged is the type of the event sent for a new or changed
// flagged ad.
const EventFlagged = "ad.flagged"

// Event is the JSON body of a delivery. It names the ad and why it was
// flagged, and carries no contact details or ad text.
type Event struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`
	AdID     string    `json:"ad_id"`
	URL      string    `json:"url"`
	Site     string    `json:"site"`
	Score    float64   `json:"score"`
	Band     ad.Band   `json:"band"`
	RulePack string    `json:"rule_pack"`
	Signals  []string  `json:"signals"`
	Rules    []string  `json:"rules"`
	Detected time.Time `json:"detected_at"`
}

// EventID is the stable ID of the event for one subscription, ad and
// content: a retried or re-enqueued event keeps it.
func EventID(subscription int64, adID, contentHash string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(subscription, 10) + "\x00" + adID + "\x00" + contentHash))
	return "evt_" + hex.EncodeToString(sum[:12])
}

// NewEvent builds the event of verdict v for a subscription, identified by
// its ad's ContentHash (see ad.WithHash); detected is v.ScoredAt, or now
// when the verdict has no time.
func NewEvent(subscription int64, v ad.Verdict, now time.Time) Event {
	e := Event{ID: EventID(subscription, v.Ad.ID, v.Ad.ContentHash), Type: EventFlagged, AdID: v.Ad.ID, URL: v.Ad.URL,
		Site: v.Ad.Site, Score: v.Score, Band: v.Band, RulePack: v.RulePack, Signals: v.Signals(),
		Rules: []string{}, Detected: v.ScoredAt.UTC()}
	if e.Signals == nil {
		e.Signals = []string{}
	}
	if v.ScoredAt.IsZero() {
		e.Detected = now.UTC()
	}
	for _, h := range v.Hits {
		if h.Weight != 0 {
			e.Rules = append(e.Rules, h.Rule)
		}
	}
	return e
}

// Marshal encodes the event as a delivery body.
func (e Event) Marshal() ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode event %s: %w", e.ID, err)
	}
	return b, nil
}
