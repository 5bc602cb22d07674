package notice

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// ActorCrawler is the actor of changes the crawler's removal checks make.
const ActorCrawler = "crawler"

// MaxItems bounds the ads of one notice; more confirmed ads of a site are
// split over several notices.
const MaxItems = 500

// maxDraftAds bounds the confirmed ads one drafting run reads.
const maxDraftAds = 20 * MaxItems

// MaxNote bounds a note on a status change: the limit of a review note
// (store.MaxNote).
const MaxNote = 4000

// ReviewConfirmed is the review status (store.StatusConfirmed) an ad must
// have for a notice to be sent about it.
const ReviewConfirmed = "confirmed"

// Errors callers branch on. The store returns them too.
var (
	ErrNotFound         = errors.New("notice: not found")
	ErrBadTransition    = errors.New("notice: invalid transition")
	ErrNotifierRequired = errors.New("notice: the notifier's name and e-mail are required to send a notice")
	ErrItemNotFound     = errors.New("notice: no such ad in the notice")
	ErrNotDraft         = errors.New("notice: only a draft's ads can be dropped")
	ErrNotConfirmed     = errors.New("notice: ads are no longer confirmed")
	// ErrStatusChanged is the store's answer to a change conditional on a
	// status the notice no longer has: someone moved it meanwhile.
	ErrStatusChanged = errors.New("notice: status changed meanwhile")
)

// UnconfirmedError refuses to send a notice some of whose ads are no
// longer confirmed; it wraps ErrNotConfirmed.
type UnconfirmedError struct {
	AdIDs []string // in the notice's order
}

func (e *UnconfirmedError) Error() string {
	return fmt.Sprintf("notice: ads no longer confirmed: %s; drop them from the draft first", strings.Join(e.AdIDs, ", "))
}

// Unwrap makes errors.Is(err, ErrNotConfirmed) hold.
func (e *UnconfirmedError) Unwrap() error { return ErrNotConfirmed }

// Quote is one piece of evidence: the text a rule matched in a field of
// the ad.
type Quote struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

// Rule is one rule that fired on an ad, with its description from the
// rule pack and the matched text.
type Rule struct {
	Rule        string  `json:"rule"`
	Description string  `json:"description"`
	Signal      string  `json:"signal,omitempty"`
	Weight      float64 `json:"weight"`
	Quotes      []Quote `json:"quotes"`
}

// Item is one ad of a notice as the notice states it: frozen when the
// notice was drafted, except for the verified removal.
type Item struct {
	AdID        string    `json:"ad_id"`
	URL         string    `json:"url"`
	Title       string    `json:"title,omitempty"`
	Kind        string    `json:"kind"`
	Lang        string    `json:"lang,omitempty"`
	Score       float64   `json:"score"`
	Band        string    `json:"band"`
	RulePack    string    `json:"rule_pack"`
	Rules       []Rule    `json:"rules"`
	ReviewNote  string    `json:"review_note"`
	ReviewedBy  string    `json:"reviewed_by"`
	ReviewedAt  time.Time `json:"reviewed_at,omitzero"`
	Snapshot    string    `json:"snapshot"`
	ContentHash string    `json:"content_hash"`
	Crawled     time.Time `json:"crawled,omitzero"`
	// Destinations are the countries the ad sends people to (ISO 3166
	// alpha-2), as extracted when the notice was drafted; empty for
	// notices drafted before they were recorded.
	Destinations []string `json:"destinations,omitempty"`

	RemovedAt     time.Time `json:"removed_at,omitzero"`
	RemovalReason string    `json:"removal_reason,omitempty"`
	// ReviewStatus is the ad's review status now, not frozen: the store
	// reads it with the notice, and a notice is sent only while every ad
	// is confirmed.
	ReviewStatus string `json:"review_status,omitempty"`
}

// Event is one step of a notice's lifecycle.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	From   Status    `json:"from,omitempty"`
	To     Status    `json:"to"`
	Note   string    `json:"note,omitempty"`
	Notice int64     `json:"-"`
}

// Notice is a takedown notice to one platform (site).
type Notice struct {
	ID             int64     `json:"id"`
	Site           string    `json:"site"`
	Status         Status    `json:"status"`
	Note           string    `json:"note,omitempty"`
	NotifierName   string    `json:"notifier_name"`
	NotifierEmail  string    `json:"notifier_email"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	SentAt         time.Time `json:"sent_at,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	ItemCount      int       `json:"item_count"`
	RemovedCount   int       `json:"removed_count"`

	Items   []Item  `json:"items,omitempty"`
	History []Event `json:"history,omitempty"`
}

// Unconfirmed returns the IDs of the notice's ads whose current review
// status is not confirmed, in the notice's order; it needs the items the
// store reads with the notice.
func (n Notice) Unconfirmed() []string {
	var ids []string
	for _, it := range n.Items {
		if it.ReviewStatus != ReviewConfirmed {
			ids = append(ids, it.AdID)
		}
	}
	return ids
}

// Filter selects notices; zero fields select everything.
type Filter struct {
	Status Status
	Site   string
	// SentBefore, if set, selects only notices awaiting their platform
	// (AwaitingPlatform) sent before it: overdue ones.
	SentBefore time.Time
	Limit      int // 0 means the store's default limit
	Offset     int
}

// Review is an analyst's decision on an ad, as a notice states it.
type Review struct {
	Note      string
	DecidedBy string
	DecidedAt time.Time
}

// NewItem builds what a notice says about an ad from its verdict and
// review: the rules with positive weight that fired (a negative rule is
// no reason for removal), each with its description (describe may be
// nil) and the text it matched.
func NewItem(v ad.Verdict, r Review, describe func(rule string) string) Item {
	it := Item{AdID: v.Ad.ID, URL: v.Ad.URL, Title: v.Ad.Title, Kind: string(v.Ad.Kind), Lang: v.Language(),
		Score: v.Score, Band: string(v.Band), RulePack: v.RulePack, Rules: []Rule{},
		ReviewNote: r.Note, ReviewedBy: r.DecidedBy, ReviewedAt: r.DecidedAt,
		Snapshot: v.Ad.Snapshot, ContentHash: v.Ad.ContentHash, Crawled: v.Ad.Crawled,
		Destinations: slices.Clone(v.Entities.Destinations)}
	for _, h := range v.Hits {
		if h.Weight <= 0 {
			continue
		}
		nr := Rule{Rule: h.Rule, Signal: h.Signal, Weight: h.Weight, Quotes: []Quote{}}
		if describe != nil {
			nr.Description = describe(h.Rule)
		}
		for _, sp := range h.Evidence {
			nr.Quotes = append(nr.Quotes, Quote{Field: sp.Field, Text: sp.Text})
		}
		it.Rules = append(it.Rules, nr)
	}
	return it
}
