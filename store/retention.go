package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
)

// Retention: how long the store keeps each class of personal data, and
// the erasure of one contact everywhere.
//
// The age of an ad is the crawl time of its stored version, else the
// time it was first stored: the crawler sends an ad again only when its
// content changes, so an ad unchanged for longer than a retention ages
// out even if it is still online. Ads of a case still open are kept
// whole, contacts and snapshot included, whatever their age: ads in a
// takedown notice that is still open (notice.OpenStatuses), ads an
// analyst confirmed, and every ad of a recruiter network in which an
// analyst confirmed an ad.

// Privacy applies retention and erasure to the store; get it with
// Store.Privacy.
type Privacy struct{ s *Store }

// Privacy returns the retention and erasure operations of the store.
func (s *Store) Privacy() *Privacy { return &Privacy{s: s} }

// Retention is how long each class of data is kept; 0 keeps it forever.
type Retention struct {
	// Unflagged is how long an ad that is not flagged is kept. Past it,
	// the ad and every row keyed by its ID are removed; its campaign
	// counts are kept as aggregates.
	Unflagged time.Duration
	// Snapshots is how long the archived page of an ad is kept. Past it,
	// the ad's snapshot reference is dropped, and the file is removed by
	// the caller once no ad refers to it (PurgeReport.SnapshotRefs).
	Snapshots time.Duration
	// Contacts is how long the contacts of a kept ad (flagged, or not yet
	// past Unflagged) are kept. Past it, they are redacted from the ad and
	// dropped from the contact and network tables; the ad stays.
	Contacts time.Duration
}

// Default retention periods.
const (
	Day                     = 24 * time.Hour
	DefaultRetainUnflagged  = 180 * Day
	DefaultRetainSnapshots  = 180 * Day
	DefaultRetainContacts   = 365 * Day
	retentionBatch          = 500
	maxEraseValueBytes      = 320
	erasedPlaceholder       = "[erased]"
	redactedContactSentinel = "[redacted]"
)

// DefaultRetention is the retention lure applies unless told otherwise.
var DefaultRetention = Retention{Unflagged: DefaultRetainUnflagged, Snapshots: DefaultRetainSnapshots, Contacts: DefaultRetainContacts}

// Validate rejects negative periods.
func (r Retention) Validate() error {
	if r.Unflagged < 0 || r.Snapshots < 0 || r.Contacts < 0 {
		return errors.New("store: retention periods must not be negative")
	}
	return nil
}

// PurgeReport is what Purge removed, or would remove in a dry run. Every
// list is sorted.
type PurgeReport struct {
	// Ads are the ads removed (unflagged past Retention.Unflagged).
	Ads []string `json:"ads"`
	// Snapshots are the kept ads whose snapshot reference was dropped.
	Snapshots []string `json:"snapshots"`
	// Contacts are the kept ads whose contacts were redacted.
	Contacts []string `json:"contacts"`
	// SnapshotRefs are the snapshot references ("sha256:<hex>") of the
	// removed ads and dropped references that no remaining ad refers to:
	// the files the caller may delete.
	SnapshotRefs []string `json:"snapshot_refs"`
	// Kept counts the ads past a retention kept because their case is
	// open.
	Kept int `json:"kept"`
}

// protectedSQL selects the IDs of the ads of open cases.
func protectedSQL() (string, []any) {
	open, args := inStatuses(notice.OpenStatuses)
	q := `SELECT i.ad_id FROM notice_items i JOIN notices n ON n.id = i.notice_id WHERE n.status IN ` + open + `
UNION SELECT ad_id FROM reviews WHERE status = ?
UNION SELECT na.ad_id FROM network_ads na WHERE na.cluster IN (
	SELECT n2.cluster FROM network_ads n2 JOIN reviews r2 ON r2.ad_id = n2.ad_id WHERE r2.status = ?)`
	return q, append(args, StatusConfirmed, StatusConfirmed)
}

func cutoff(now time.Time, d time.Duration) string { return formatTime(now.Add(-d)) }

// queryIDs runs a query of one text column.
func queryIDs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Purge applies retention r at time now: it removes the unflagged ads
// past r.Unflagged, drops the snapshot references and redacts the
// contacts of the kept ads past r.Snapshots and r.Contacts, and keeps the
// ads of open cases. With dryRun it only reports what it would do. The
// caller removes the same ads from the search index (Ads), reindexes the
// redacted ones (Contacts) and deletes the snapshot files (SnapshotRefs).
// It works in batches: an error leaves the batches done so far applied,
// and a later Purge finishes the work.
func (p *Privacy) Purge(ctx context.Context, now time.Time, r Retention, dryRun bool) (PurgeReport, error) {
	s := p.s
	if err := r.Validate(); err != nil {
		return PurgeReport{}, err
	}
	rep := PurgeReport{Ads: []string{}, Snapshots: []string{}, Contacts: []string{}, SnapshotRefs: []string{}}
	prot, pargs := protectedSQL()
	age := `coalesce(crawled, first_seen)`
	if r.Unflagged > 0 {
		c := cutoff(now, r.Unflagged)
		ids, err := queryIDs(ctx, s.db, `SELECT id FROM ads WHERE flagged = 0 AND `+age+` < ? AND id NOT IN (`+prot+`) ORDER BY id`,
			append([]any{c}, pargs...)...)
		if err != nil {
			return PurgeReport{}, wrap("purge", err)
		}
		rep.Ads = append(rep.Ads, ids...)
		var kept int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ads WHERE flagged = 0 AND `+age+` < ? AND id IN (`+prot+`)`,
			append([]any{c}, pargs...)...).Scan(&kept); err != nil {
			return PurgeReport{}, wrap("purge", err)
		}
		rep.Kept = kept
	}
	gone := make(map[string]bool, len(rep.Ads))
	for _, id := range rep.Ads {
		gone[id] = true
	}
	if r.Snapshots > 0 {
		ids, err := queryIDs(ctx, s.db, `SELECT id FROM ads WHERE `+age+` < ?
			AND coalesce(json_extract(verdict_json, '$.ad.snapshot'), '') <> '' AND id NOT IN (`+prot+`) ORDER BY id`,
			append([]any{cutoff(now, r.Snapshots)}, pargs...)...)
		if err != nil {
			return PurgeReport{}, wrap("purge", err)
		}
		for _, id := range ids {
			if !gone[id] {
				rep.Snapshots = append(rep.Snapshots, id)
			}
		}
	}
	if r.Contacts > 0 {
		ids, err := queryIDs(ctx, s.db, `SELECT id FROM ads a WHERE `+age+` < ? AND id NOT IN (`+prot+`)
			AND (coalesce(json_extract(verdict_json, '$.ad.contact'), '') <> ''
				OR EXISTS (SELECT 1 FROM ad_contacts c WHERE c.ad_id = a.id)
				OR EXISTS (SELECT 1 FROM network_contacts c WHERE c.ad_id = a.id)) ORDER BY id`,
			append([]any{cutoff(now, r.Contacts)}, pargs...)...)
		if err != nil {
			return PurgeReport{}, wrap("purge", err)
		}
		for _, id := range ids {
			if !gone[id] {
				rep.Contacts = append(rep.Contacts, id)
			}
		}
	}
	refs, err := s.unreferencedAfter(ctx, append(append([]string{}, rep.Ads...), rep.Snapshots...))
	if err != nil {
		return PurgeReport{}, err
	}
	rep.SnapshotRefs = refs
	if dryRun {
		return rep, nil
	}
	for ids := range slices.Chunk(rep.Ads, retentionBatch) {
		if err := s.inTx(ctx, "purge", func(tx *sql.Tx) error { return removeAds(ctx, tx, ids) }); err != nil {
			return rep, err
		}
	}
	for ids := range slices.Chunk(rep.Snapshots, retentionBatch) {
		if err := s.inTx(ctx, "purge snapshots", func(tx *sql.Tx) error { return dropSnapshots(ctx, tx, ids) }); err != nil {
			return rep, err
		}
	}
	for ids := range slices.Chunk(rep.Contacts, retentionBatch) {
		if err := s.inTx(ctx, "purge contacts", func(tx *sql.Tx) error {
			return rewriteAds(ctx, tx, ids, func(v *ad.Verdict) { redactContacts(v) })
		}); err != nil {
			return rep, err
		}
	}
	if len(rep.Ads)+len(rep.Snapshots)+len(rep.Contacts) > 0 {
		if err := s.Audit(ctx, "retention", "retention_purge", nil, map[string]any{
			"ads": len(rep.Ads), "snapshots": len(rep.Snapshots), "contacts": len(rep.Contacts),
			"snapshot_files": len(rep.SnapshotRefs), "kept": rep.Kept,
			"retain_unflagged": r.Unflagged.String(), "retain_snapshots": r.Snapshots.String(), "retain_contacts": r.Contacts.String(),
		}); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (s *Store) inTx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return wrap(op, err)
	}
	return wrap(op, tx.Commit())
}

// snapshotRefSQL is the snapshot reference of an ads row.
const snapshotRefSQL = `coalesce(json_extract(verdict_json, '$.ad.snapshot'), '')`

// unreferencedAfter returns the snapshot references of ads ids that no
// other ad refers to: those left without a reference once ids lose
// theirs.
func (s *Store) unreferencedAfter(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return []string{}, nil
	}
	counts := map[string]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT ref, count(*) FROM (SELECT `+snapshotRefSQL+` AS ref FROM ads) WHERE ref <> '' GROUP BY ref`)
	if err != nil {
		return nil, wrap("snapshot references", err)
	}
	for rows.Next() {
		var ref string
		var n int
		if err := rows.Scan(&ref, &n); err != nil {
			rows.Close()
			return nil, wrap("snapshot references", err)
		}
		counts[ref] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("snapshot references", err)
	}
	cands := map[string]bool{}
	for chunk := range slices.Chunk(ids, retentionBatch) {
		in, args := inList(chunk)
		refs, err := queryIDs(ctx, s.db, `SELECT `+snapshotRefSQL+` FROM ads WHERE id IN `+in, args...)
		if err != nil {
			return nil, wrap("snapshot references", err)
		}
		for _, ref := range refs {
			if ref != "" {
				counts[ref]--
				cands[ref] = true
			}
		}
	}
	out := []string{}
	for ref := range cands {
		if counts[ref] <= 0 {
			out = append(out, ref)
		}
	}
	slices.Sort(out)
	return out, nil
}

// inList is "(?, ?, ...)" for ids, with ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// adTables are the tables keyed by ad ID, children first; ads itself is
// removed last. audit_log is append-only and keeps its entries.
var adTables = []string{"ad_contacts", "ad_signals", "ad_destinations", "ad_dims", "ad_summaries",
	"partner_ad_hashes", "partner_template_matches", "network_contacts", "network_ads",
	"reviews", "notice_items", "ad_removals", "webhook_deliveries"}

// AdTables lists the tables holding rows keyed by an ad ID (besides ads
// and the append-only audit_log): what a removed ad leaves nothing in.
func AdTables() []string { return slices.Clone(adTables) }

// removeAds folds the campaign counts of ads ids into the aggregates and
// removes the ads and every row keyed by them, refreshing the summaries
// of the networks they were in.
func removeAds(ctx context.Context, tx *sql.Tx, ids []string) error {
	in, args := inList(ids)
	if _, err := tx.ExecContext(ctx, `
INSERT INTO campaign_purged (day, week, site, lang, region, category, total, risky)
SELECT day, week, site, lang, region, category, count(*), sum(flagged) FROM ad_dims WHERE ad_id IN `+in+`
GROUP BY day, week, site, lang, region, category
ON CONFLICT (day, site, lang, region, category) DO UPDATE SET
	total = campaign_purged.total + excluded.total, risky = campaign_purged.risky + excluded.risky`, args...); err != nil {
		return err
	}
	for _, f := range [][3]string{{DimDestination, "ad_destinations", "country"}, {DimSignal, "ad_signals", "signal"}} {
		if _, err := tx.ExecContext(ctx, `
INSERT INTO campaign_purged_facts (dim, value, day, week, total, risky)
SELECT ?, x.`+f[2]+`, d.day, d.week, count(*), sum(d.flagged)
FROM ad_dims d JOIN `+f[1]+` x ON x.ad_id = d.ad_id WHERE d.ad_id IN `+in+`
GROUP BY x.`+f[2]+`, d.day, d.week
ON CONFLICT (dim, value, day) DO UPDATE SET
	total = campaign_purged_facts.total + excluded.total, risky = campaign_purged_facts.risky + excluded.risky`,
			append([]any{f[0]}, args...)...); err != nil {
			return err
		}
	}
	clusters, err := queryIDs(ctx, tx, `SELECT DISTINCT cluster FROM network_ads WHERE ad_id IN `+in, args...)
	if err != nil {
		return err
	}
	for _, t := range adTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE ad_id IN `+in, args...); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ads WHERE id IN `+in, args...); err != nil {
		return err
	}
	for _, c := range clusters {
		if err := refreshCluster(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// dropSnapshots removes the snapshot reference of ads ids.
func dropSnapshots(ctx context.Context, tx *sql.Tx, ids []string) error {
	in, args := inList(ids)
	_, err := tx.ExecContext(ctx, `UPDATE ads SET verdict_json = json_remove(verdict_json, '$.ad.snapshot') WHERE id IN `+in, args...)
	return err
}

// rewriteAds applies edit to the stored verdicts of ads ids (and to the
// title column and list summaries read from them), drops their
// contact rows and the delivered webhook events (whose payloads carry
// the old verdict), and refreshes their networks' summaries. The
// contacts the edited verdicts still carry are written back.
func rewriteAds(ctx context.Context, tx *sql.Tx, ids []string, edit func(*ad.Verdict)) error {
	in, args := inList(ids)
	rs, err := verdictRows(ctx, tx, `SELECT id, verdict_json FROM ads WHERE id IN `+in, args...)
	if err != nil {
		return err
	}
	clusters, err := queryIDs(ctx, tx, `SELECT DISTINCT cluster FROM network_ads WHERE ad_id IN `+in, args...)
	if err != nil {
		return err
	}
	for _, r := range rs {
		v, err := decodeVerdict(r.id, r.js)
		if err != nil {
			return err
		}
		edit(&v)
		js, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ads SET verdict_json = ?, title = ? WHERE id = ?`, string(js), v.Ad.Title, r.id); err != nil {
			return err
		}
		if err := writeSummary(ctx, tx, v); err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, c := range contacts(v.Entities) {
			keep[c] = true
		}
		if err := dropContactsExcept(ctx, tx, r.id, keep); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND ad_id IN `+in, args...); err != nil {
		return err
	}
	// The keyed hashes of their contacts that matched partners'
	// indicators: the next match with the share key hashes the contacts
	// left again.
	if _, err := tx.ExecContext(ctx, `DELETE FROM partner_ad_hashes WHERE ad_id IN `+in, args...); err != nil {
		return err
	}
	for _, c := range clusters {
		if err := refreshCluster(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// dropContactsExcept removes the contact rows of ad id not in keep.
func dropContactsExcept(ctx context.Context, tx *sql.Tx, id string, keep map[string]bool) error {
	for _, t := range []string{"ad_contacts", "network_contacts"} {
		cs, err := queryIDs(ctx, tx, `SELECT contact FROM `+t+` WHERE ad_id = ?`, id)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if keep[c] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE ad_id = ? AND contact = ?`, id, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// redactContacts removes every contact of v: the contact field, the
// phones, e-mails and handles found in it and their occurrences in the
// other fields, and the evidence quoted from the contact field.
func redactContacts(v *ad.Verdict) {
	m := newMatcher(append(contacts(v.Entities), v.Ad.Contact))
	v.Ad.Contact = ""
	v.Entities.Phones, v.Entities.Emails, v.Entities.Handles = nil, nil, nil
	m.apply(v, redactedContactSentinel, true)
}

// matcher finds the written forms of a set of contacts in text: e-mails
// and handles case-insensitively, phones by their digits whatever the
// separators (a national form matches the tail of the E.164 digits).
type matcher struct {
	literal *regexp.Regexp
	phones  []string // digits, at least minPhoneDigits
}

const minPhoneDigits = 7

// phoneRunRE is a run of digits with the separators people put in phone
// numbers (as the redact package reads them).
var phoneRunRE = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{5,}\d`)

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func newMatcher(values []string) *matcher {
	m := &matcher{}
	var lits []string
	for _, v := range values {
		v = strings.TrimSpace(strings.ToValidUTF8(v, ""))
		if v == "" {
			continue
		}
		if d := digitsOf(v); len(d) >= minPhoneDigits && len(d)*2 >= len(strings.Trim(v, "+ ")) {
			m.phones = append(m.phones, d)
		}
		if len(v) >= 3 {
			lits = append(lits, regexp.QuoteMeta(v))
		}
	}
	if len(lits) > 0 {
		// Longest first, so that a value is not cut by one of its parts.
		slices.SortFunc(lits, func(a, b string) int { return len(b) - len(a) })
		// Quoted valid UTF-8 always compiles; a value too large for the
		// regexp engine is matched by its digits alone.
		m.literal, _ = regexp.Compile(`(?i)` + strings.Join(lits, "|"))
	}
	return m
}

// phone reports whether the digit run d writes one of m's phones.
func (m *matcher) phone(run string) bool {
	d := strings.TrimLeft(digitsOf(run), "0")
	if len(d) < minPhoneDigits {
		return false
	}
	for _, p := range m.phones {
		if strings.HasSuffix(p, d) || strings.HasSuffix(d, p) {
			return true
		}
	}
	return false
}

// replace returns s with every written form of m's contacts replaced by
// with.
func (m *matcher) replace(s, with string) string {
	if s == "" {
		return s
	}
	if m.literal != nil {
		s = m.literal.ReplaceAllLiteralString(s, with)
	}
	if len(m.phones) > 0 {
		s = phoneRunRE.ReplaceAllStringFunc(s, func(run string) string {
			if m.phone(run) {
				return with
			}
			return run
		})
	}
	return s
}

// match reports whether s holds a written form of m's contacts.
func (m *matcher) match(s string) bool { return m.replace(s, "\x00") != s }

// apply replaces m's contacts in every text of v; with dropContact,
// evidence quoted from the contact field is dropped.
func (m *matcher) apply(v *ad.Verdict, with string, dropContact bool) {
	a := &v.Ad
	for _, f := range []*string{&a.Title, &a.Body, &a.Salary, &a.Location, &a.Contact} {
		*f = m.replace(*f, with)
	}
	for i := range v.Hits {
		ev := v.Hits[i].Evidence[:0]
		for _, e := range v.Hits[i].Evidence {
			if dropContact && e.Field == ad.FieldContact {
				continue
			}
			if t := m.replace(e.Text, with); t != e.Text {
				e.Text = t
				e.Start, e.End = 0, 0
			}
			ev = append(ev, e)
		}
		v.Hits[i].Evidence = ev
	}
	for i := range v.Entities.Salaries {
		v.Entities.Salaries[i].Text = m.replace(v.Entities.Salaries[i].Text, with)
	}
}

// filterContacts drops the entity contacts m matches.
func (m *matcher) filterContacts(e *ad.Entities) {
	for _, l := range []*[]string{&e.Phones, &e.Emails, &e.Handles} {
		*l = slices.DeleteFunc(*l, m.match)
		if len(*l) == 0 {
			*l = nil
		}
	}
}

// ContactHash is the hex SHA-256 of a normalised contact: what the audit
// log records of an erased contact.
func ContactHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Erasure asks to erase one contact.
type Erasure struct {
	// Keys are the contact's normalised forms, as the store keys
	// contacts: a phone in E.164, an e-mail or handle lower-cased. The
	// first one is hashed into the audit log.
	Keys []string
	// Written are other forms of the contact to find in ad texts (as the
	// person gave it); optional.
	Written []string
	// Actor is who asked, for the audit log.
	Actor string
}

// EraseReport is what EraseContact changed, or would change.
type EraseReport struct {
	// Ads are the ads that held the contact; their stored verdicts no
	// longer do. The caller reindexes them.
	Ads []string `json:"ads"`
	// SnapshotRefs are the snapshot references those ads had, that no
	// other ad refers to: the pages hold the contact, and the caller
	// deletes the files.
	SnapshotRefs []string `json:"snapshot_refs"`
	// NoticeItems and Deliveries count the notice items and webhook
	// events rewritten or removed, PartnerIndicators the indicators
	// partners sent with the contact in the clear (removed).
	NoticeItems       int `json:"notice_items"`
	Deliveries        int `json:"deliveries"`
	PartnerIndicators int `json:"partner_indicators"`
	// Hash is ContactHash of the first key.
	Hash string `json:"hash"`
}

// ErrNoContact is returned by EraseContact without a usable key.
var ErrNoContact = errors.New("store: no contact to erase")

// EraseContact erases a contact from every record holding it: it is
// replaced in the texts of the ads holding it (their stored verdicts),
// dropped from their entities, the contact and network tables, the
// frozen items of notices and the events of webhooks (delivered events
// removed, pending ones rewritten), and the snapshot references of those
// ads are dropped. The audit log records a hash of the contact, never the
// contact. With dryRun nothing is written. Entries the audit log already
// holds are append-only and kept.
func (p *Privacy) EraseContact(ctx context.Context, e Erasure, dryRun bool) (EraseReport, error) {
	s := p.s
	var keys []string
	for _, k := range append(append([]string{}, e.Keys...), e.Written...) {
		if k = strings.TrimSpace(k); k != "" && len(k) <= maxEraseValueBytes && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if len(e.Keys) == 0 || strings.TrimSpace(e.Keys[0]) == "" || len(keys) == 0 {
		return EraseReport{}, ErrNoContact
	}
	rep := EraseReport{Ads: []string{}, SnapshotRefs: []string{}, Hash: ContactHash(strings.TrimSpace(e.Keys[0]))}
	m := newMatcher(keys)
	in, args := inList(keys)
	ids, err := queryIDs(ctx, s.db, `SELECT ad_id FROM ad_contacts WHERE contact IN `+in+`
		UNION SELECT ad_id FROM network_contacts WHERE contact IN `+in, append(args, args...)...)
	if err != nil {
		return EraseReport{}, wrap("erase", err)
	}
	found := map[string]bool{}
	for _, id := range ids {
		found[id] = true
	}
	// Ads that write the contact in their text without having it as an
	// entity: a scan of every verdict, with the matcher deciding.
	if err := s.eachVerdict(ctx, func(id, js string) {
		if !found[id] && m.match(js) {
			found[id] = true
		}
	}); err != nil {
		return EraseReport{}, err
	}
	for id := range found {
		rep.Ads = append(rep.Ads, id)
	}
	slices.Sort(rep.Ads)
	if rep.SnapshotRefs, err = s.unreferencedAfter(ctx, rep.Ads); err != nil {
		return EraseReport{}, err
	}
	items, err := s.jsonRows(ctx, `SELECT notice_id || '/' || ad_id, item_json FROM notice_items`, m)
	if err != nil {
		return EraseReport{}, err
	}
	deliveries, err := s.jsonRows(ctx, `SELECT id, payload FROM webhook_deliveries`, m)
	if err != nil {
		return EraseReport{}, err
	}
	rep.NoticeItems, rep.Deliveries = len(items), len(deliveries)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM partner_indicators WHERE hashed = 0 AND kind <> 'template' AND value IN `+in,
		args...).Scan(&rep.PartnerIndicators); err != nil {
		return EraseReport{}, wrap("erase", err)
	}
	if dryRun {
		return rep, nil
	}
	err = s.inTx(ctx, "erase", func(tx *sql.Tx) error {
		for chunk := range slices.Chunk(rep.Ads, retentionBatch) {
			if err := rewriteAds(ctx, tx, chunk, func(v *ad.Verdict) {
				m.apply(v, erasedPlaceholder, false)
				m.filterContacts(&v.Entities)
			}); err != nil {
				return err
			}
			if err := dropSnapshots(ctx, tx, chunk); err != nil {
				return err
			}
		}
		for _, t := range []string{"ad_contacts", "network_contacts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE contact IN `+in, args...); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM partner_indicators WHERE hashed = 0 AND kind <> 'template' AND value IN `+in, args...); err != nil {
			return err
		}
		for key, js := range items {
			nid, adID, _ := strings.Cut(key, "/")
			if _, err := tx.ExecContext(ctx, `UPDATE notice_items SET item_json = ? WHERE notice_id = ? AND ad_id = ?`,
				eraseJSON(js, m), nid, adID); err != nil {
				return err
			}
		}
		for id, js := range deliveries {
			if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE id = ? AND status <> 'pending'`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET payload = ? WHERE id = ?`, eraseJSON(js, m), id); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, time.Now().UTC(), e.Actor, "erase_contact", "", nil, map[string]any{
			"contact_sha256": rep.Hash, "ads": len(rep.Ads), "snapshots": len(rep.SnapshotRefs),
			"notice_items": rep.NoticeItems, "deliveries": rep.Deliveries, "partner_indicators": rep.PartnerIndicators,
		})
	})
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// eachVerdict calls fn with the ID and stored verdict of every ad.
func (s *Store) eachVerdict(ctx context.Context, fn func(id, js string)) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, verdict_json FROM ads`)
	if err != nil {
		return wrap("erase", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return wrap("erase", err)
		}
		fn(id, js)
	}
	return wrap("erase", rows.Err())
}

// jsonRows returns the rows (key, JSON document) of query whose document
// m matches.
func (s *Store) jsonRows(ctx context.Context, query string, m *matcher) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, wrap("erase", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key, js string
		if err := rows.Scan(&key, &js); err != nil {
			return nil, wrap("erase", err)
		}
		if m.match(js) {
			out[key] = js
		}
	}
	return out, wrap("erase", rows.Err())
}

// eraseJSON replaces m's contacts in every string of a JSON document; a
// document that does not parse is replaced by its text with the contacts
// replaced.
func eraseJSON(js string, m *matcher) string {
	var doc any
	d := json.NewDecoder(strings.NewReader(js))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return m.replace(js, erasedPlaceholder)
	}
	var walk func(x any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			return m.replace(t, erasedPlaceholder)
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
		case map[string]any:
			for k := range t {
				t[k] = walk(t[k])
			}
		}
		return x
	}
	b, err := json.Marshal(walk(doc))
	if err != nil {
		return m.replace(js, erasedPlaceholder)
	}
	return string(b)
}
