// Package ad holds the types that travel between lure's stages: the Ad a
// crawler extracts, the Verdict a classifier gives it and the Removal a
// crawler reports. It is their one codec: Encode, EncodeVerdict and
// EncodeRemoval write the wire format (JSON, versioned by the "v" field),
// and Decode, DecodeVerdict and DecodeRemoval read it back. It derives
// stable IDs and content hashes; it knows nothing about Kafka, rules or
// storage.
//
// Each hop validates once, where its consumer decodes: the decoders return
// only messages that pass Validate, and the handlers after them (the
// classifier, the indexer and its network and webhook hooks) rely on that
// instead of checking again: the store writes what it is given. Encoders
// do not validate; code that builds a value by hand and writes it without
// a topic calls Validate itself if the value is not its own.
//
// Decoding also completes an ad: one that arrives without a content hash
// gets Hash() (WithHash), as does every ad Input.Ad converts, so that code
// after a decoder or a conversion keys on ContentHash as it is. Code that
// builds an Ad by hand sets ContentHash or calls WithHash before handing
// the ad on.
package ad

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Version is the wire-format version written in the "v" field of every Ad
// and Verdict. Decoders reject other versions.
const Version = 1

// MaxFieldBytes bounds every text field of an ad. Decode rejects larger
// fields; crawlers truncate to it.
const MaxFieldBytes = 64 << 10

// Kind is what an ad offers.
type Kind string

// Kinds of ads.
const (
	KindJob      Kind = "job"
	KindMarriage Kind = "marriage"
	KindOther    Kind = "other"
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindJob, KindMarriage, KindOther:
		return true
	}
	return false
}

// Ad is one advertisement as extracted from a site. It is the message on
// the lure.ads.raw topic.
type Ad struct {
	V           int       `json:"v"`
	ID          string    `json:"id"`
	Site        string    `json:"site"`
	URL         string    `json:"url"`
	Kind        Kind      `json:"kind"`
	Lang        string    `json:"lang,omitempty"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Salary      string    `json:"salary,omitempty"`
	Location    string    `json:"location,omitempty"`
	Contact     string    `json:"contact,omitempty"`
	Posted      time.Time `json:"posted,omitzero"`
	Crawled     time.Time `json:"crawled,omitzero"`
	ContentHash string    `json:"content_hash"`
	Snapshot    string    `json:"snapshot,omitempty"`
}

// Field names used in evidence spans.
const (
	FieldTitle    = "title"
	FieldBody     = "body"
	FieldSalary   = "salary"
	FieldLocation = "location"
	FieldContact  = "contact"
)

// Fields lists the text fields of an ad in a fixed order.
var Fields = []string{FieldTitle, FieldBody, FieldSalary, FieldLocation, FieldContact}

// Field returns the text of the named field, or "" for an unknown name.
func (a *Ad) Field(name string) string {
	switch name {
	case FieldTitle:
		return a.Title
	case FieldBody:
		return a.Body
	case FieldSalary:
		return a.Salary
	case FieldLocation:
		return a.Location
	case FieldContact:
		return a.Contact
	}
	return ""
}

// CanonicalURL lowercases scheme and host, drops the fragment, default
// ports and common tracking parameters, and sorts the query, so that the
// same ad reached by different links gets the same ID.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("ad: canonical url: %w", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("ad: canonical url: %q is not absolute", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":80")
	if u.Scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "ref" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode() // Encode sorts by key.
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// MakeID returns the stable ID of an ad: a hash of its site and canonical URL.
func MakeID(site, rawURL string) (string, error) {
	c, err := CanonicalURL(rawURL)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(site + "\x00" + c))
	return hex.EncodeToString(sum[:12]), nil
}

// Hash returns the content hash of the ad's text fields and kind. Two
// crawls of an unchanged ad give the same hash.
func (a *Ad) Hash() string {
	h := sha256.New()
	for _, f := range []string{string(a.Kind), a.Lang, a.Title, a.Body, a.Salary, a.Location, a.Contact} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid")

// InvalidError is what Validate returns: the ad's ID (empty when it has
// none) and what is wrong with it. It wraps ErrInvalid.
type InvalidError struct {
	ID     string
	Reason string
}

func (e *InvalidError) Error() string {
	if e.ID == "" {
		return "ad: invalid: " + e.Reason
	}
	return "ad " + e.ID + ": invalid: " + e.Reason
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Validate checks the fields every stage relies on; its errors are
// *InvalidError.
func (a *Ad) Validate() error {
	bad := func(format string, args ...any) error {
		return &InvalidError{ID: a.ID, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case a.V != Version:
		return &InvalidError{Reason: fmt.Sprintf("version %d, want %d", a.V, Version)}
	case a.ID == "":
		return bad("missing id")
	case a.Site == "":
		return bad("missing site")
	case !a.Kind.Valid():
		return bad("kind %q", a.Kind)
	case a.Title == "" && a.Body == "":
		return bad("no title and no body")
	}
	for _, f := range Fields {
		if len(a.Field(f)) > MaxFieldBytes {
			return bad("field %s is %d bytes, limit %d", f, len(a.Field(f)), MaxFieldBytes)
		}
	}
	return nil
}

// WithHash returns a with its content hash: ContentHash as it is, or
// Hash() when it is empty.
func (a Ad) WithHash() Ad {
	if a.ContentHash == "" {
		a.ContentHash = a.Hash()
	}
	return a
}

// Encode writes one Ad message, as Decode reads it. Its error is
// json.Marshal's, for an ad JSON cannot hold (a time outside years
// 0–9999).
func Encode(a Ad) ([]byte, error) {
	return json.Marshal(a)
}

// Decode parses and validates one Ad message and fills its content hash
// when the message has none (WithHash).
func Decode(b []byte) (Ad, error) {
	var a Ad
	if err := json.Unmarshal(b, &a); err != nil {
		return Ad{}, fmt.Errorf("ad: decode: %w", err)
	}
	if err := a.Validate(); err != nil {
		return Ad{}, err
	}
	return a.WithHash(), nil
}

// Band is a coarse risk level derived from the score.
type Band string

// Bands, from least to most risky.
const (
	BandLow    Band = "low"
	BandMedium Band = "medium"
	BandHigh   Band = "high"
)

// Bands lists every band in order.
var Bands = []Band{BandLow, BandMedium, BandHigh}

// Span is a piece of evidence: byte offsets [Start, End) into the original
// text of one field of the ad, and the text found there.
type Span struct {
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Hit is one rule that fired.
type Hit struct {
	Rule     string  `json:"rule"`
	Weight   float64 `json:"weight"`
	Signal   string  `json:"signal,omitempty"`
	Evidence []Span  `json:"evidence,omitempty"`
	// Quoted marks a hit counted 0 because its evidence lies inside the
	// quotations of a text that quotes lures (a report or a warning).
	Quoted bool `json:"quoted,omitempty"`
	// Reported marks a hit counted 0 because the text reports or warns
	// about lures (news, awareness) and makes no offer of its own.
	Reported bool `json:"reported,omitempty"`
	// OwnOffer marks a warning counted 0 because the text makes an
	// offer of its own (pay and a contact): an ad's own safety talk.
	OwnOffer bool `json:"own_offer,omitempty"`
	// Learned marks a hit of the learned text model of a pack (a word or
	// character n-gram and its part of the score) rather than of a rule.
	Learned bool `json:"learned,omitempty"`
}

// Salary is an amount extracted from an ad.
type Salary struct {
	Amount   float64 `json:"amount"`
	Max      float64 `json:"max,omitempty"`
	Currency string  `json:"currency,omitempty"`
	Period   string  `json:"period,omitempty"`
	Text     string  `json:"text,omitempty"`
}

// Entities are facts extracted from an ad.
type Entities struct {
	Phones       []string `json:"phones,omitempty"`
	Emails       []string `json:"emails,omitempty"`
	Handles      []string `json:"handles,omitempty"`
	Destinations []string `json:"destinations,omitempty"`
	Salaries     []Salary `json:"salaries,omitempty"`
	Ages         []int    `json:"ages,omitempty"`
	// Companies are employer or agency names with a legal form, as
	// written ("ООО «СеверСтрой»", "Agro Fruct SRL").
	Companies []string `json:"companies,omitempty"`
	// Licences are licence or registry numbers stated in the ad.
	Licences []string `json:"licences,omitempty"`
	// Region is where the ad recruits from, read from its location text
	// with rules/regions.yaml: "MD/Chișinău", or a bare country code when
	// only the site's country is known; "" when unknown.
	Region string `json:"region,omitempty"`
	// Category is the job category of rules/categories.yaml ("hostess",
	// "construction", …, "other").
	Category string `json:"category,omitempty"`
}

// Verdict is a scored ad: the message on the lure.ads.scored topic.
type Verdict struct {
	V        int       `json:"v"`
	Ad       Ad        `json:"ad"`
	Score    float64   `json:"score"`
	Band     Band      `json:"band"`
	Flagged  bool      `json:"flagged"`
	RulePack string    `json:"rule_pack"`
	Hits     []Hit     `json:"hits"`
	Entities Entities  `json:"entities"`
	ScoredAt time.Time `json:"scored_at,omitzero"`
	// Lang is the language the ad was scored as: its own (the site
	// profile's) or, when it had none, the detected one (LangDetected).
	Lang         string `json:"lang,omitempty"`
	LangDetected bool   `json:"lang_detected,omitempty"`
}

// Language returns the language the ad was scored as: Lang, or the ad's
// own for verdicts written before Lang existed.
func (v Verdict) Language() string {
	if v.Lang != "" {
		return v.Lang
	}
	return v.Ad.Lang
}

// Signals returns the distinct signals of the hits, sorted.
func (v *Verdict) Signals() []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range v.Hits {
		if h.Signal != "" && !seen[h.Signal] {
			seen[h.Signal] = true
			out = append(out, h.Signal)
		}
	}
	sort.Strings(out)
	return out
}

// Validate checks a verdict and its ad.
func (v *Verdict) Validate() error {
	if v.V != Version {
		return fmt.Errorf("verdict: %w: version %d, want %d", ErrInvalid, v.V, Version)
	}
	if err := v.Ad.Validate(); err != nil {
		return fmt.Errorf("verdict: %w", err)
	}
	if v.Score < 0 || v.Score > 100 {
		return fmt.Errorf("verdict %s: %w: score %v out of range", v.Ad.ID, ErrInvalid, v.Score)
	}
	switch v.Band {
	case BandLow, BandMedium, BandHigh:
	default:
		return fmt.Errorf("verdict %s: %w: band %q", v.Ad.ID, ErrInvalid, v.Band)
	}
	return nil
}

// EncodeVerdict writes one Verdict message, as DecodeVerdict reads it. Its
// error is json.Marshal's, for a verdict JSON cannot hold (a NaN or
// infinite number, a time outside years 0–9999).
func EncodeVerdict(v Verdict) ([]byte, error) {
	return json.Marshal(v)
}

// DecodeVerdict parses and validates one Verdict message and fills the
// content hash of its ad when the message has none (WithHash).
func DecodeVerdict(b []byte) (Verdict, error) {
	var v Verdict
	if err := json.Unmarshal(b, &v); err != nil {
		return Verdict{}, fmt.Errorf("verdict: decode: %w", err)
	}
	if err := v.Validate(); err != nil {
		return Verdict{}, err
	}
	v.Ad = v.Ad.WithHash()
	return v, nil
}
