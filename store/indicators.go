package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Indicator kinds: the three contact kinds of the network engine and
// "template", a network MinHash signature.
const (
	IndicatorPhone    = "phone"
	IndicatorEmail    = "email"
	IndicatorHandle   = "handle"
	IndicatorTemplate = "template"
)

// TLP levels (TLP 2.0) of partner indicators.
var TLPLevels = []string{"clear", "green", "amber", "amber+strict", "red"}

// ValidTLP reports whether s is one of TLPLevels.
func ValidTLP(s string) bool {
	for _, x := range TLPLevels {
		if x == s {
			return true
		}
	}
	return false
}

// Limits of shared indicators.
const (
	// MaxPartnerIndicators bounds one import.
	MaxPartnerIndicators = 200_000
	// MaxPartnerName bounds a partner's name.
	MaxPartnerName = 100
	// MaxIndicatorValue bounds a value: a hex signature is 1024 bytes.
	MaxIndicatorValue = 1100
	// MaxIndicatorPlaces bounds the sites and the countries of one
	// indicator.
	MaxIndicatorPlaces = 50
)

// LocalIndicator is one contact of ads that analysts confirmed, summed
// over every local ad using it.
type LocalIndicator struct {
	Kind      string    // IndicatorPhone, IndicatorEmail or IndicatorHandle
	Value     string    // normalised as the network engine keeps it
	FirstSeen time.Time // over every ad using it
	LastSeen  time.Time
	Sites     []string // sorted
	Countries []string // sorted ISO codes, from the ads' canonical regions
	Ads       int      // ads using it
	Confirmed int      // of which analysts confirmed
}

// LocalSignature is the template signature of one confirmed ad.
type LocalSignature struct {
	AdID      string
	Signature []byte
	Site      string
	Country   string // "" when the ad's city has no canonical region
	Seen      time.Time
}

// countryOf returns the country code of a canonical city key
// ("UA/Kyiv" → "UA"), or "".
func countryOf(city string) string {
	if c, _, ok := strings.Cut(city, "/"); ok && len(c) == 2 {
		return c
	}
	return ""
}

// ConfirmedContacts returns every contact used by at least one ad that
// analysts confirmed (a network decision confirms each ad of the
// network), with first and last seen, sites, countries and counts over
// all local ads using it; ordered by kind and value, at most limit.
func (s *Networks) ConfirmedContacts(ctx context.Context, limit int) ([]LocalIndicator, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT c.contact, c.kind, n.site, n.city, n.seen, coalesce(r.status, 'new') = ?
FROM network_contacts c JOIN network_ads n ON n.ad_id = c.ad_id LEFT JOIN reviews r ON r.ad_id = c.ad_id
WHERE c.contact IN (SELECT c2.contact FROM network_contacts c2 JOIN reviews r2 ON r2.ad_id = c2.ad_id WHERE r2.status = ?)
ORDER BY c.kind, c.contact, n.seen`, StatusConfirmed, StatusConfirmed)
	if err != nil {
		return nil, wrap("confirmed contacts", err)
	}
	defer rows.Close()
	var out []LocalIndicator
	sites, countries := map[string]bool{}, map[string]bool{}
	flush := func() {
		if len(out) == 0 {
			return
		}
		x := &out[len(out)-1]
		x.Sites, x.Countries = sortedKeys(sites), sortedKeys(countries)
		clear(sites)
		clear(countries)
	}
	for rows.Next() {
		var value, kind, site, city, seen string
		var confirmed bool
		if err := rows.Scan(&value, &kind, &site, &city, &seen, &confirmed); err != nil {
			return nil, wrap("confirmed contacts", err)
		}
		t := parseTime(seen)
		if len(out) == 0 || out[len(out)-1].Value != value || out[len(out)-1].Kind != kind {
			flush()
			if len(out) == limit {
				return nil, fmt.Errorf("store: confirmed contacts: more than %d", limit)
			}
			out = append(out, LocalIndicator{Kind: kind, Value: value, FirstSeen: t})
		}
		x := &out[len(out)-1]
		x.Ads++
		if confirmed {
			x.Confirmed++
		}
		x.LastSeen = t
		sites[site] = true
		if c := countryOf(city); c != "" {
			countries[c] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("confirmed contacts", err)
	}
	flush()
	return out, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ConfirmedSignatures returns the template signatures of the ads that
// analysts confirmed, in arrival order, at most limit.
func (s *Networks) ConfirmedSignatures(ctx context.Context, limit int) ([]LocalSignature, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT n.ad_id, n.signature, n.site, n.city, n.seen
		FROM network_ads n JOIN reviews r ON r.ad_id = n.ad_id
		WHERE r.status = ? AND n.signature IS NOT NULL ORDER BY n.seq LIMIT ?`, StatusConfirmed, limit+1)
	if err != nil {
		return nil, wrap("confirmed signatures", err)
	}
	defer rows.Close()
	var out []LocalSignature
	for rows.Next() {
		var x LocalSignature
		var city, seen string
		if err := rows.Scan(&x.AdID, &x.Signature, &x.Site, &city, &seen); err != nil {
			return nil, wrap("confirmed signatures", err)
		}
		if len(out) == limit {
			return nil, fmt.Errorf("store: confirmed signatures: more than %d", limit)
		}
		x.Country, x.Seen = countryOf(city), parseTime(seen)
		out = append(out, x)
	}
	return out, wrap("confirmed signatures", rows.Err())
}

// PartnerIndicator is one indicator a partner organisation shared.
type PartnerIndicator struct {
	ID        int64     `json:"id,omitempty"`
	Partner   string    `json:"partner"`
	TLP       string    `json:"tlp"`
	Kind      string    `json:"kind"`
	Hashed    bool      `json:"hashed"`
	Value     string    `json:"value"` // hex HMAC, normalised contact or hex signature
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	Sites     []string  `json:"sites"`
	Countries []string  `json:"countries"`
	Ads       int       `json:"ads"`
}

// check validates what the database cannot.
func (p PartnerIndicator) check() error {
	switch {
	case p.Partner == "" || len(p.Partner) > MaxPartnerName:
		return fmt.Errorf("partner name must be 1 to %d bytes", MaxPartnerName)
	case !ValidTLP(p.TLP):
		return fmt.Errorf("unknown TLP %q", p.TLP)
	case p.Kind != IndicatorPhone && p.Kind != IndicatorEmail && p.Kind != IndicatorHandle && p.Kind != IndicatorTemplate:
		return fmt.Errorf("unknown kind %q", p.Kind)
	case p.Value == "" || len(p.Value) > MaxIndicatorValue:
		return fmt.Errorf("value must be 1 to %d bytes", MaxIndicatorValue)
	case len(p.Sites) > MaxIndicatorPlaces || len(p.Countries) > MaxIndicatorPlaces:
		return fmt.Errorf("more than %d sites or countries", MaxIndicatorPlaces)
	case p.Ads < 0:
		return errors.New("negative ad count")
	}
	return nil
}

// ImportResult says what an import changed.
type ImportResult struct {
	Indicators int `json:"indicators"` // in the file
	Added      int `json:"added"`      // new rows
	Updated    int `json:"updated"`    // rows whose seen times, counts, places or TLP changed
}

// ImportIndicators stores a partner's indicators in one transaction with
// one audit entry (action "indicators_import", after = audit plus the
// result): a new indicator is added, a known one (same partner, kind,
// hashed and value) gets the wider seen times, the larger count, the
// given places and TLP; an unchanged one changes nothing. Every
// indicator is checked before anything is written; on error nothing is.
func (s *Store) ImportIndicators(ctx context.Context, actor string, inds []PartnerIndicator, audit map[string]any) (ImportResult, error) {
	res := ImportResult{Indicators: len(inds)}
	if len(inds) > MaxPartnerIndicators {
		return res, fmt.Errorf("store: import indicators: %d indicators, limit %d", len(inds), MaxPartnerIndicators)
	}
	if actor == "" {
		return res, errors.New("store: import indicators: no actor")
	}
	for i, p := range inds {
		if err := p.check(); err != nil {
			return res, fmt.Errorf("store: import indicators: indicator %d: %w", i, err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, wrap("import indicators", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	now := formatTime(time.Now())
	ins, err := tx.PrepareContext(ctx, `INSERT INTO partner_indicators
	(partner, tlp, kind, hashed, value, first_seen, last_seen, sites, countries, ads, imported_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (partner, kind, hashed, value) DO NOTHING`)
	if err != nil {
		return res, wrap("import indicators", err)
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE partner_indicators SET
	first_seen = CASE WHEN first_seen IS NULL OR (?1 IS NOT NULL AND ?1 < first_seen) THEN coalesce(?1, first_seen) ELSE first_seen END,
	last_seen = CASE WHEN last_seen IS NULL OR (?2 IS NOT NULL AND ?2 > last_seen) THEN coalesce(?2, last_seen) ELSE last_seen END,
	sites = ?3, countries = ?4, ads = max(ads, ?5), tlp = ?6
WHERE partner = ?7 AND kind = ?8 AND hashed = ?9 AND value = ?10 AND (
	(?1 IS NOT NULL AND (first_seen IS NULL OR ?1 < first_seen)) OR (?2 IS NOT NULL AND (last_seen IS NULL OR ?2 > last_seen)) OR
	sites <> ?3 OR countries <> ?4 OR ads < ?5 OR tlp <> ?6)`)
	if err != nil {
		return res, wrap("import indicators", err)
	}
	defer upd.Close()
	for _, p := range inds {
		sites, err := json.Marshal(nonNil(p.Sites))
		if err != nil {
			return res, wrap("import indicators", err)
		}
		countries, err := json.Marshal(nonNil(p.Countries))
		if err != nil {
			return res, wrap("import indicators", err)
		}
		r, err := ins.ExecContext(ctx, p.Partner, p.TLP, p.Kind, p.Hashed, p.Value, nullTime(p.FirstSeen), nullTime(p.LastSeen),
			string(sites), string(countries), p.Ads, now)
		if err != nil {
			return res, wrap("import indicators", err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			res.Added++
			continue
		}
		r, err = upd.ExecContext(ctx, nullTime(p.FirstSeen), nullTime(p.LastSeen), string(sites), string(countries), p.Ads, p.TLP,
			p.Partner, p.Kind, p.Hashed, p.Value)
		if err != nil {
			return res, wrap("import indicators", err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			res.Updated++
		}
	}
	after := map[string]any{"indicators": res.Indicators, "added": res.Added, "updated": res.Updated}
	for k, v := range audit {
		after[k] = v
	}
	if err := appendAudit(ctx, tx, time.Now().UTC(), actor, "indicators_import", "", nil, after); err != nil {
		return res, err
	}
	return res, wrap("import indicators", tx.Commit())
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// HashedIndicatorValues returns the set of every hashed contact value
// partners shared, for matching local contacts under a share key.
func (s *Store) HashedIndicatorValues(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT value FROM partner_indicators WHERE hashed = 1 AND kind <> ?`, IndicatorTemplate)
	if err != nil {
		return nil, wrap("hashed indicators", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, wrap("hashed indicators", err)
		}
		out[v] = true
	}
	return out, wrap("hashed indicators", rows.Err())
}

// PartnerTemplate is one template indicator: its row ID and hex
// signature.
type PartnerTemplate struct {
	ID    int64
	Value string
}

// PartnerTemplates returns every template indicator partners shared.
func (s *Store) PartnerTemplates(ctx context.Context) ([]PartnerTemplate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, value FROM partner_indicators WHERE kind = ? ORDER BY id`, IndicatorTemplate)
	if err != nil {
		return nil, wrap("partner templates", err)
	}
	defer rows.Close()
	var out []PartnerTemplate
	for rows.Next() {
		var t PartnerTemplate
		if err := rows.Scan(&t.ID, &t.Value); err != nil {
			return nil, wrap("partner templates", err)
		}
		out = append(out, t)
	}
	return out, wrap("partner templates", rows.Err())
}

// EachNetworkContact calls fn with every contact of every ad the network
// engine saw.
func (s *Store) EachNetworkContact(ctx context.Context, fn func(adID, kind, contact string) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT ad_id, kind, contact FROM network_contacts ORDER BY ad_id, contact`)
	if err != nil {
		return wrap("network contacts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, c string
		if err := rows.Scan(&id, &kind, &c); err != nil {
			return wrap("network contacts", err)
		}
		if err := fn(id, kind, c); err != nil {
			return err
		}
	}
	return wrap("network contacts", rows.Err())
}

// EachNetworkSignature calls fn with the template signature of every ad
// the network engine saw that has one.
func (s *Store) EachNetworkSignature(ctx context.Context, fn func(adID string, sig []byte) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT ad_id, signature FROM network_ads WHERE signature IS NOT NULL ORDER BY seq`)
	if err != nil {
		return wrap("network signatures", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var sig []byte
		if err := rows.Scan(&id, &sig); err != nil {
			return wrap("network signatures", err)
		}
		if err := fn(id, sig); err != nil {
			return err
		}
	}
	return wrap("network signatures", rows.Err())
}

// AdHash is the keyed hash of one contact of a local ad.
type AdHash struct {
	AdID string
	Hash string
}

// TemplateMatch links a local ad to a partner's template indicator.
type TemplateMatch struct {
	IndicatorID int64
	AdID        string
}

// SaveIndicatorMatches records, in one transaction, local ads whose
// contact hashes equal a partner's hashed indicator and local ads near a
// partner's template; it is idempotent and returns how many links are
// new. Matches of ads that are gone are skipped.
func (s *Store) SaveIndicatorMatches(ctx context.Context, hashes []AdHash, templates []TemplateMatch) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("save indicator matches", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	n := 0
	for _, h := range hashes {
		r, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO partner_ad_hashes (hash, ad_id)
			SELECT ?, ad_id FROM network_ads WHERE ad_id = ?`, h.Hash, h.AdID)
		if err != nil {
			return 0, wrap("save indicator matches", err)
		}
		k, _ := r.RowsAffected()
		n += int(k)
	}
	for _, m := range templates {
		r, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO partner_template_matches (indicator_id, ad_id)
			SELECT ?, ad_id FROM network_ads WHERE ad_id = ?`, m.IndicatorID, m.AdID)
		if err != nil {
			return 0, wrap("save indicator matches", err)
		}
		k, _ := r.RowsAffected()
		n += int(k)
	}
	return n, wrap("save indicator matches", tx.Commit())
}

// KnownPartner is one partner organisation that shared an indicator
// matching an ad (or an ad of a network).
type KnownPartner struct {
	Partner string   `json:"partner"`
	TLP     string   `json:"tlp"`   // the most restrictive TLP of the matching indicators
	Kinds   []string `json:"kinds"` // the kinds that matched, sorted
	Ads     int      `json:"ads"`   // matching local ads (1 for one ad)
}

// tlpRank orders TLP levels from least to most restrictive.
func tlpRank(t string) int {
	for i, x := range TLPLevels {
		if x == t {
			return i
		}
	}
	return len(TLPLevels)
}

func (s *Store) knownPartners(ctx context.Context, op, q string, arg string) ([]KnownPartner, error) {
	rows, err := s.db.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	byName := map[string]*KnownPartner{}
	ads := map[string]map[string]bool{}
	var names []string
	for rows.Next() {
		var partner, tlp, kind, adID string
		if err := rows.Scan(&partner, &tlp, &kind, &adID); err != nil {
			return nil, wrap(op, err)
		}
		k := byName[partner]
		if k == nil {
			k = &KnownPartner{Partner: partner, TLP: tlp}
			byName[partner], ads[partner] = k, map[string]bool{}
			names = append(names, partner)
		}
		if tlpRank(tlp) > tlpRank(k.TLP) {
			k.TLP = tlp
		}
		found := false
		for _, x := range k.Kinds {
			found = found || x == kind
		}
		if !found {
			k.Kinds = append(k.Kinds, kind)
		}
		ads[partner][adID] = true
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(op, err)
	}
	sort.Strings(names)
	out := make([]KnownPartner, 0, len(names))
	for _, n := range names {
		k := byName[n]
		sort.Strings(k.Kinds)
		k.Ads = len(ads[n])
		out = append(out, *k)
	}
	return out, nil
}

// KnownTo returns the partners that shared an indicator matching the ad
// (a contact, plain or hashed, or its template), by name.
func (s *Store) KnownTo(ctx context.Context, adID string) ([]KnownPartner, error) {
	return s.knownPartners(ctx, "known to", `SELECT DISTINCT p.partner, p.tlp, p.kind, k.ad_id
		FROM partner_known k JOIN partner_indicators p ON p.id = k.indicator_id WHERE k.ad_id = ?`, adID)
}

// ClusterKnownTo returns the partners that shared an indicator matching
// any ad of a network, with how many of its ads match.
func (s *Store) ClusterKnownTo(ctx context.Context, cluster string) ([]KnownPartner, error) {
	return s.knownPartners(ctx, "cluster known to", `SELECT DISTINCT p.partner, p.tlp, p.kind, k.ad_id
		FROM partner_known k JOIN partner_indicators p ON p.id = k.indicator_id
		JOIN network_ads n ON n.ad_id = k.ad_id WHERE n.cluster = ?`, cluster)
}

// PartnerSummary counts one partner's indicators.
type PartnerSummary struct {
	Partner    string         `json:"partner"`
	Indicators int            `json:"indicators"`
	ByKind     map[string]int `json:"by_kind"`
	KnownAds   int            `json:"known_ads"`
}

// Partners returns every partner with indicators, by name.
func (s *Store) Partners(ctx context.Context) ([]PartnerSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT partner, kind, count(*) FROM partner_indicators GROUP BY partner, kind ORDER BY partner, kind`)
	if err != nil {
		return nil, wrap("partners", err)
	}
	var out []PartnerSummary
	for rows.Next() {
		var p, kind string
		var n int
		if err := rows.Scan(&p, &kind, &n); err != nil {
			rows.Close()
			return nil, wrap("partners", err)
		}
		if len(out) == 0 || out[len(out)-1].Partner != p {
			out = append(out, PartnerSummary{Partner: p, ByKind: map[string]int{}})
		}
		out[len(out)-1].ByKind[kind] = n
		out[len(out)-1].Indicators += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("partners", err)
	}
	for i := range out {
		if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT k.ad_id) FROM partner_known k
			JOIN partner_indicators p ON p.id = k.indicator_id WHERE p.partner = ?`, out[i].Partner).Scan(&out[i].KnownAds); err != nil {
			return nil, wrap("partners", err)
		}
	}
	return out, nil
}

// PartnerIndicators returns up to limit indicators of partner (every
// partner for ""), by ID.
func (s *Store) PartnerIndicators(ctx context.Context, partner string, limit int) ([]PartnerIndicator, error) {
	if limit <= 0 || limit > MaxPartnerIndicators {
		limit = MaxPartnerIndicators
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, partner, tlp, kind, hashed, value, first_seen, last_seen, sites, countries, ads
		FROM partner_indicators WHERE ? = '' OR partner = ? ORDER BY id LIMIT ?`, partner, partner, limit)
	if err != nil {
		return nil, wrap("partner indicators", err)
	}
	defer rows.Close()
	var out []PartnerIndicator
	for rows.Next() {
		var p PartnerIndicator
		var first, last sql.NullString
		var sites, countries string
		if err := rows.Scan(&p.ID, &p.Partner, &p.TLP, &p.Kind, &p.Hashed, &p.Value, &first, &last, &sites, &countries, &p.Ads); err != nil {
			return nil, wrap("partner indicators", err)
		}
		if first.Valid {
			p.FirstSeen = parseTime(first.String)
		}
		if last.Valid {
			p.LastSeen = parseTime(last.String)
		}
		if err := json.Unmarshal([]byte(sites), &p.Sites); err != nil {
			return nil, wrap("partner indicators", err)
		}
		if err := json.Unmarshal([]byte(countries), &p.Countries); err != nil {
			return nil, wrap("partner indicators", err)
		}
		out = append(out, p)
	}
	return out, wrap("partner indicators", rows.Err())
}

// PartnerIndicatorsVersion returns a number that grows whenever
// indicators are added (the largest row ID), for caches of them.
func (s *Store) PartnerIndicatorsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM partner_indicators`).Scan(&v)
	return v, wrap("partner indicators version", err)
}

// HashedIndicatorsIn returns which of hashes partners shared as hashed
// contacts (at most MaxIDs asked at once).
func (s *Store) HashedIndicatorsIn(ctx context.Context, hashes []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(hashes) == 0 {
		return out, nil
	}
	if len(hashes) > MaxIDs {
		return nil, fmt.Errorf("store: hashed indicators: %d hashes, limit %d", len(hashes), MaxIDs)
	}
	args := make([]any, 0, len(hashes)+1)
	args = append(args, IndicatorTemplate)
	for _, h := range hashes {
		args = append(args, h)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT value FROM partner_indicators WHERE hashed = 1 AND kind <> ? AND value IN (?`+
		strings.Repeat(", ?", len(hashes)-1)+`)`, args...)
	if err != nil {
		return nil, wrap("hashed indicators", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, wrap("hashed indicators", err)
		}
		out[v] = true
	}
	return out, wrap("hashed indicators", rows.Err())
}
