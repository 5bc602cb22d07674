package store

import (
	"context"
	"time"
)

// BackfillNetworkCities gives the network ads saved before cities were
// keyed on the canonical region their canonical city: every network ad
// whose stored verdict names a city-level region ("MD/Chișinău", from
// ad_dims) but whose city differs takes that region, and the summaries
// of the clusters touched are recounted. Ads without a city-level region
// keep their normalised location text. It is idempotent and returns the
// number of ads changed; after the first run it only reads.
func (s *Networks) BackfillNetworkCities(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT n.ad_id, n.cluster, d.region
FROM network_ads n JOIN ad_dims d ON d.ad_id = n.ad_id
WHERE instr(d.region, '/') > 0 AND n.city <> d.region`)
	if err != nil {
		return 0, wrap("backfill network cities", err)
	}
	type fix struct{ id, cluster, city string }
	var fixes []fix
	for rows.Next() {
		var f fix
		if err := rows.Scan(&f.id, &f.cluster, &f.city); err != nil {
			rows.Close()
			return 0, wrap("backfill network cities", err)
		}
		fixes = append(fixes, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, wrap("backfill network cities", err)
	}
	if len(fixes) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("backfill network cities", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	clusters := map[string]bool{}
	for _, f := range fixes {
		if _, err := tx.ExecContext(ctx, `UPDATE network_ads SET city = ? WHERE ad_id = ?`, f.city, f.id); err != nil {
			return 0, wrap("backfill network cities", err)
		}
		clusters[f.cluster] = true
	}
	now := formatTime(time.Now())
	for c := range clusters {
		// Only the city count changes; a cluster without a summary (one
		// ad) has nothing to recount.
		if _, err := tx.ExecContext(ctx, `UPDATE network_clusters SET updated_at = ?,
	cities = (SELECT count(DISTINCT nullif(city, '')) FROM network_ads WHERE cluster = ?) WHERE id = ?`, now, c, c); err != nil {
			return 0, wrap("backfill network cities", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap("backfill network cities", err)
	}
	return len(fixes), nil
}
