package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lurewatch/lure/ad"
)

// ErrNoCluster is returned for an unknown cluster or an ad the network
// engine has not seen.
var ErrNoCluster = errors.New("store: no such cluster")

// Networks holds the recruiter networks the network engine links: its
// ads with their signatures and contacts, and the clusters' summaries.
// Get it with Store.Networks.
type Networks struct {
	db *sql.DB
}

// Networks returns the recruiter networks kept in the store.
func (s *Store) Networks() *Networks { return &Networks{db: s.db} }

// NetworkContact is one contact of an ad: Kind is "phone", "email" or
// "handle".
type NetworkContact struct {
	Value string `json:"value"`
	Kind  string `json:"kind"`
}

// NetworkAd is what the network engine keeps of one ad.
type NetworkAd struct {
	AdID        string
	Seq         int64
	ContentHash string
	Site        string
	City        string // network.CityKey: canonical region ("UA/Kyiv") or normalised location text
	Seen        time.Time
	Score       float64
	Signature   []byte // nil for an ad without text tokens
	Contacts    []NetworkContact
	Cluster     string
}

// SaveNetworkAd writes one ad's network state in one transaction: the ad
// row and its contacts, every ad of the merged clusters relabelled to
// a.Cluster, and the cluster's summary. It is idempotent.
func (s *Networks) SaveNetworkAd(ctx context.Context, a NetworkAd, merged []string) error {
	return s.SaveNetworkAds(ctx, []NetworkSave{{Ad: a, Merged: merged}})
}

// NetworkSave is one assignment for SaveNetworkAds: the ad and the
// clusters it merged.
type NetworkSave struct {
	Ad     NetworkAd
	Merged []string
}

// SaveNetworkAds writes assignments in order in one transaction, each as
// SaveNetworkAd does; on error nothing is written.
func (s *Networks) SaveNetworkAds(ctx context.Context, saves []NetworkSave) error {
	if len(saves) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("save network ad", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	for _, sv := range saves {
		if err := saveNetworkAd(ctx, tx, sv.Ad, sv.Merged); err != nil {
			return wrap("save network ad", err)
		}
	}
	return wrap("save network ad", tx.Commit())
}

// saveNetworkAd writes one assignment inside tx.
func saveNetworkAd(ctx context.Context, tx *sql.Tx, a NetworkAd, merged []string) error {
	var real []string
	for _, m := range merged {
		if m != a.Cluster {
			real = append(real, m)
		}
	}
	// The common case — a new ad joining a cluster that has a summary,
	// merging nothing — updates the summary in place; anything else
	// recounts the cluster.
	inc, err := newcomer(ctx, tx, a, len(real) == 0)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO network_ads (ad_id, seq, content_hash, site, city, seen, score, signature, cluster)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ad_id) DO UPDATE SET content_hash = excluded.content_hash, site = excluded.site,
	city = excluded.city, seen = excluded.seen, score = excluded.score,
	signature = excluded.signature, cluster = excluded.cluster`,
		a.AdID, a.Seq, a.ContentHash, a.Site, a.City, formatTime(a.Seen), a.Score, a.Signature, a.Cluster); err != nil {
		return err
	}
	// Links only grow: a changed ad keeps its old contacts.
	for _, c := range a.Contacts {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO network_contacts (contact, kind, ad_id) VALUES (?, ?, ?)`,
			c.Value, c.Kind, a.AdID); err != nil {
			return err
		}
	}
	for _, m := range real {
		if _, err := tx.ExecContext(ctx, `UPDATE network_ads SET cluster = ? WHERE cluster = ?`, a.Cluster, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM network_clusters WHERE id = ?`, m); err != nil {
			return err
		}
	}
	if inc != nil {
		seen := formatTime(a.Seen)
		_, err = tx.ExecContext(ctx, `UPDATE network_clusters SET size = size + 1, sites = sites + ?,
	cities = cities + ?, contacts = contacts + ?, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?),
	max_score = max(max_score, ?), updated_at = ? WHERE id = ?`,
			inc.site, inc.city, inc.contacts, seen, seen, a.Score, formatTime(time.Now()), a.Cluster)
	} else {
		err = refreshCluster(ctx, tx, a.Cluster)
	}
	return err
}

// increment is what a new ad adds to its cluster's distinct counts.
type increment struct{ site, city, contacts int }

// newcomer returns what ad a adds to its cluster's summary when it is a
// new ad joining a cluster with a summary and merging nothing (noMerge);
// nil otherwise. It must run before a's rows are written.
func newcomer(ctx context.Context, tx *sql.Tx, a NetworkAd, noMerge bool) (*increment, error) {
	if !noMerge {
		return nil, nil
	}
	var n, summary int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM network_ads WHERE ad_id = ?),
		(SELECT count(*) FROM network_clusters WHERE id = ?)`, a.AdID, a.Cluster).Scan(&n, &summary); err != nil {
		return nil, err
	}
	if n > 0 || summary == 0 {
		return nil, nil
	}
	inc := &increment{}
	if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM network_ads WHERE cluster = ? AND site = ?),
		? <> '' AND NOT EXISTS (SELECT 1 FROM network_ads WHERE cluster = ? AND city = ?)`,
		a.Cluster, a.Site, a.City, a.Cluster, a.City).Scan(&inc.site, &inc.city); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range a.Contacts {
		if seen[c.Value] {
			continue
		}
		seen[c.Value] = true
		var known int
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM network_contacts c
			JOIN network_ads n ON n.ad_id = c.ad_id WHERE c.contact = ? AND n.cluster = ?)`, c.Value, a.Cluster).Scan(&known); err != nil {
			return nil, err
		}
		if known == 0 {
			inc.contacts++
		}
	}
	return inc, nil
}

// refreshCluster rewrites the summary row of one cluster; a cluster of
// fewer than two ads has none.
func refreshCluster(ctx context.Context, tx *sql.Tx, id string) error {
	now := formatTime(time.Now())
	if _, err := tx.ExecContext(ctx, `DELETE FROM network_clusters WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO network_clusters (id, size, sites, cities, contacts, first_seen, last_seen, max_score, updated_at)
SELECT ?, count(*), count(DISTINCT site), count(DISTINCT nullif(city, '')),
	(SELECT count(DISTINCT c.contact) FROM network_contacts c JOIN network_ads n2 ON n2.ad_id = c.ad_id WHERE n2.cluster = ?),
	min(seen), max(seen), max(score), ?
FROM network_ads WHERE cluster = ? HAVING count(*) >= 2`, id, id, now, id)
	return err
}

// LoadNetwork calls fn with every ad the network engine saw, in arrival
// order, contacts included.
func (s *Networks) LoadNetwork(ctx context.Context, fn func(NetworkAd) error) error {
	contacts := map[string][]NetworkContact{}
	rows, err := s.db.QueryContext(ctx, `SELECT ad_id, contact, kind FROM network_contacts ORDER BY ad_id, contact`)
	if err != nil {
		return wrap("load network", err)
	}
	for rows.Next() {
		var id string
		var c NetworkContact
		if err := rows.Scan(&id, &c.Value, &c.Kind); err != nil {
			rows.Close()
			return wrap("load network", err)
		}
		contacts[id] = append(contacts[id], c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("load network", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT ad_id, seq, content_hash, site, city, seen, score, signature, cluster
		FROM network_ads ORDER BY seq`)
	if err != nil {
		return wrap("load network", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a NetworkAd
		var seen string
		if err := rows.Scan(&a.AdID, &a.Seq, &a.ContentHash, &a.Site, &a.City, &seen, &a.Score, &a.Signature, &a.Cluster); err != nil {
			return wrap("load network", err)
		}
		a.Seen = parseTime(seen)
		a.Contacts = contacts[a.AdID]
		if err := fn(a); err != nil {
			return err
		}
	}
	return wrap("load network", rows.Err())
}

// RelabelNetwork moves ads to the clusters given (ad ID → cluster ID) and
// rewrites the summaries of every cluster touched, in one transaction.
// The engine calls it at start when its rebuilt clusters differ from the
// stored ones.
func (s *Networks) RelabelNetwork(ctx context.Context, labels map[string]string) error {
	if len(labels) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("relabel network", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	touched := map[string]bool{}
	for ad, cl := range labels {
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT cluster FROM network_ads WHERE ad_id = ?`, ad).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			return wrap("relabel network", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE network_ads SET cluster = ? WHERE ad_id = ?`, cl, ad); err != nil {
			return wrap("relabel network", err)
		}
		touched[old], touched[cl] = true, true
	}
	for id := range touched {
		if err := refreshCluster(ctx, tx, id); err != nil {
			return wrap("relabel network", err)
		}
	}
	return wrap("relabel network", tx.Commit())
}

// ClusterSummary is one cluster of linked ads.
type ClusterSummary struct {
	ID        string    `json:"id"`
	Size      int       `json:"size"`
	Sites     int       `json:"sites"`
	Cities    int       `json:"cities"`
	Contacts  int       `json:"contacts"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	MaxScore  float64   `json:"max_score"`
	Title     string    `json:"title"` // the title of the cluster's first ad
}

// Cluster orders.
const (
	ClusterBySize = "size"
	ClusterByRisk = "risk"
)

// ClusterFilter selects clusters; Sort is ClusterBySize (default) or
// ClusterByRisk (the highest per-ad score first).
type ClusterFilter struct {
	Sort    string
	MinSize int // 0 means 2
	Limit   int // 0 or more than MaxLimit means MaxLimit
	Offset  int
}

const clusterCols = `c.id, c.size, c.sites, c.cities, c.contacts, c.first_seen, c.last_seen, c.max_score, coalesce(a.title, '')`

func scanCluster(sc interface{ Scan(...any) error }) (ClusterSummary, error) {
	var c ClusterSummary
	var first, last string
	err := sc.Scan(&c.ID, &c.Size, &c.Sites, &c.Cities, &c.Contacts, &first, &last, &c.MaxScore, &c.Title)
	c.FirstSeen, c.LastSeen = parseTime(first), parseTime(last)
	return c, err
}

// Clusters returns clusters of at least f.MinSize ads and how many there
// are in all.
func (s *Networks) Clusters(ctx context.Context, f ClusterFilter) ([]ClusterSummary, int, error) {
	if f.MinSize < 2 {
		f.MinSize = 2
	}
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = MaxLimit
	}
	order := "c.size DESC, c.max_score DESC, c.id"
	switch f.Sort {
	case "", ClusterBySize:
	case ClusterByRisk:
		order = "c.max_score DESC, c.size DESC, c.id"
	default:
		return nil, 0, fmt.Errorf("store: clusters: unknown order %q", f.Sort)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM network_clusters WHERE size >= ?`, f.MinSize).Scan(&total); err != nil {
		return nil, 0, wrap("clusters", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+clusterCols+` FROM network_clusters c LEFT JOIN ads a ON a.id = c.id
		WHERE c.size >= ? ORDER BY `+order+` LIMIT ? OFFSET ?`, f.MinSize, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, wrap("clusters", err)
	}
	defer rows.Close()
	out := []ClusterSummary{}
	for rows.Next() {
		c, err := scanCluster(rows)
		if err != nil {
			return nil, 0, wrap("clusters", err)
		}
		out = append(out, c)
	}
	return out, total, wrap("clusters", rows.Err())
}

// Cluster returns one cluster's summary, or an error wrapping
// ErrNoCluster.
func (s *Networks) Cluster(ctx context.Context, id string) (ClusterSummary, error) {
	c, err := scanCluster(s.db.QueryRowContext(ctx, `SELECT `+clusterCols+` FROM network_clusters c
		LEFT JOIN ads a ON a.id = c.id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %q", ErrNoCluster, id)
	}
	return c, wrap("cluster", err)
}

// ClusterOf returns the cluster ID of an ad and the cluster's size (1
// for an ad linked to nothing), or an error wrapping ErrNoCluster when the
// network engine has not seen the ad.
func (s *Networks) ClusterOf(ctx context.Context, adID string) (string, int, error) {
	var id string
	var size sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT n.cluster, c.size FROM network_ads n
		LEFT JOIN network_clusters c ON c.id = n.cluster WHERE n.ad_id = ?`, adID).Scan(&id, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("%w: ad %q", ErrNoCluster, adID)
	}
	if err != nil {
		return "", 0, wrap("cluster of", err)
	}
	if !size.Valid {
		return id, 1, nil
	}
	return id, int(size.Int64), nil
}

// ClusterAd is one ad of a cluster.
type ClusterAd struct {
	ID     string    `json:"id"`
	Title  string    `json:"title"`
	Site   string    `json:"site"`
	City   string    `json:"city"`
	Seen   time.Time `json:"seen"`
	Score  float64   `json:"score"`
	Band   ad.Band   `json:"band"`
	Status string    `json:"status"`
}

// MaxClusterAds bounds ClusterAds.
const MaxClusterAds = MaxIDs

// ClusterAds returns up to limit ads of a cluster, oldest first, with
// their review status.
func (s *Networks) ClusterAds(ctx context.Context, id string, limit int) ([]ClusterAd, error) {
	if limit <= 0 || limit > MaxClusterAds {
		limit = MaxClusterAds
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n.ad_id, a.title, n.site, n.city, n.seen, a.score, a.band,
		coalesce(r.status, 'new')
		FROM network_ads n JOIN ads a ON a.id = n.ad_id LEFT JOIN reviews r ON r.ad_id = n.ad_id
		WHERE n.cluster = ? ORDER BY n.seen, n.seq LIMIT ?`, id, limit)
	if err != nil {
		return nil, wrap("cluster ads", err)
	}
	defer rows.Close()
	out := []ClusterAd{}
	for rows.Next() {
		var c ClusterAd
		var seen string
		if err := rows.Scan(&c.ID, &c.Title, &c.Site, &c.City, &seen, &c.Score, &c.Band, &c.Status); err != nil {
			return nil, wrap("cluster ads", err)
		}
		c.Seen = parseTime(seen)
		out = append(out, c)
	}
	return out, wrap("cluster ads", rows.Err())
}

// ContactSummary is one contact over every ad that uses it.
type ContactSummary struct {
	Value     string    `json:"value"`
	Kind      string    `json:"kind"`
	Ads       int       `json:"ads"`
	Sites     []string  `json:"sites"`
	Cities    []string  `json:"cities"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	AdIDs     []string  `json:"ad_ids"` // up to MaxContactAds
}

// MaxContactAds bounds ContactSummary.AdIDs; MaxContacts bounds the
// contacts returned.
const (
	MaxContactAds = 200
	MaxContacts   = 200
)

// ClusterContacts returns the contacts of a cluster's ads, each
// summarised over ALL ads using it (in or out of the cluster), most used
// first.
func (s *Networks) ClusterContacts(ctx context.Context, cluster string) ([]ContactSummary, error) {
	return s.contactSummaries(ctx, `SELECT DISTINCT c.contact FROM network_contacts c
		JOIN network_ads n ON n.ad_id = c.ad_id WHERE n.cluster = ? LIMIT `+fmt.Sprint(MaxContacts), cluster)
}

// AdContacts returns the contacts of one ad, each summarised over every
// ad using it.
func (s *Networks) AdContacts(ctx context.Context, adID string) ([]ContactSummary, error) {
	return s.contactSummaries(ctx, `SELECT contact FROM network_contacts WHERE ad_id = ? LIMIT `+fmt.Sprint(MaxContacts), adID)
}

func (s *Networks) contactSummaries(ctx context.Context, pick string, arg string) ([]ContactSummary, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT c.contact, c.kind, n.ad_id, n.site, n.city, n.seen
FROM network_contacts c JOIN network_ads n ON n.ad_id = c.ad_id
WHERE c.contact IN (`+pick+`)
ORDER BY c.contact, n.seen, n.seq`, arg)
	if err != nil {
		return nil, wrap("contacts", err)
	}
	defer rows.Close()
	var out []ContactSummary
	sites, cities := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var value, kind, id, site, city, seen string
		if err := rows.Scan(&value, &kind, &id, &site, &city, &seen); err != nil {
			return nil, wrap("contacts", err)
		}
		t := parseTime(seen)
		if len(out) == 0 || out[len(out)-1].Value != value {
			out = append(out, ContactSummary{Value: value, Kind: kind, FirstSeen: t, Sites: []string{}, Cities: []string{}})
			clear(sites)
			clear(cities)
		}
		c := &out[len(out)-1]
		c.Ads++
		c.LastSeen = t
		if len(c.AdIDs) < MaxContactAds {
			c.AdIDs = append(c.AdIDs, id)
		}
		if !sites[site] {
			sites[site] = true
			c.Sites = append(c.Sites, site)
		}
		if city != "" && !cities[city] {
			cities[city] = true
			c.Cities = append(c.Cities, city)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("contacts", err)
	}
	sortContacts(out)
	return out, nil
}

func sortContacts(cs []ContactSummary) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].Ads > cs[j-1].Ads || cs[j].Ads == cs[j-1].Ads && cs[j].Value < cs[j-1].Value); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// ClusterTimes returns the seen times of a cluster's ads, oldest first
// (at most MaxClusterAds*10 of the newest).
func (s *Networks) ClusterTimes(ctx context.Context, cluster string) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seen FROM (SELECT seen FROM network_ads WHERE cluster = ?
		ORDER BY seen DESC LIMIT ?) ORDER BY seen`, cluster, MaxClusterAds*10)
	if err != nil {
		return nil, wrap("cluster times", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var seen string
		if err := rows.Scan(&seen); err != nil {
			return nil, wrap("cluster times", err)
		}
		out = append(out, parseTime(seen))
	}
	return out, wrap("cluster times", rows.Err())
}

// ClusterConfirmed returns the IDs of a cluster's ads that analysts
// confirmed as risky (up to MaxIDs).
func (s *Networks) ClusterConfirmed(ctx context.Context, cluster string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT n.ad_id FROM network_ads n JOIN reviews r ON r.ad_id = n.ad_id
		WHERE n.cluster = ? AND r.status = ? ORDER BY n.seq LIMIT ?`, cluster, StatusConfirmed, MaxIDs)
	if err != nil {
		return nil, wrap("cluster confirmed", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("cluster confirmed", err)
		}
		out = append(out, id)
	}
	return out, wrap("cluster confirmed", rows.Err())
}

// ClusterIDs returns the IDs of up to limit ads of a cluster, oldest
// first; for whole-cluster decisions.
func (s *Networks) ClusterIDs(ctx context.Context, cluster string, limit int) ([]string, error) {
	ads, err := s.ClusterAds(ctx, cluster, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ads))
	for i, a := range ads {
		ids[i] = a.ID
	}
	return ids, nil
}

// NetworkBacklog returns up to limit stored verdicts the network engine
// has not seen yet, oldest first: ads stored before the network tables
// existed.
func (s *Networks) NetworkBacklog(ctx context.Context, limit int) ([]ad.Verdict, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, verdict_json FROM ads
		WHERE NOT EXISTS (SELECT 1 FROM network_ads n WHERE n.ad_id = ads.id)
		ORDER BY first_seen, id LIMIT ?`, limit)
	if err != nil {
		return nil, wrap("network backlog", err)
	}
	defer rows.Close()
	var out []ad.Verdict
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return nil, wrap("network backlog", err)
		}
		v, err := decodeVerdict(id, js)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, wrap("network backlog", rows.Err())
}

// Contact returns one contact summarised over every ad using it, or an
// error wrapping ErrNoCluster when no ad uses it.
func (s *Networks) Contact(ctx context.Context, value string) (ContactSummary, error) {
	cs, err := s.contactSummaries(ctx, `SELECT ?`, value)
	if err != nil {
		return ContactSummary{}, err
	}
	if len(cs) == 0 {
		return ContactSummary{}, fmt.Errorf("%w: no ad uses this contact", ErrNoCluster)
	}
	return cs[0], nil
}
