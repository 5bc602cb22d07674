-- 0007: campaign statistics. One row per ad with the day it counts on
-- (posted, else crawled, else first seen; UTC), the Monday of that week,
-- the columns the counts group by (copied from ads, so that the counts
-- read this table's index alone) and its origin region and job category
-- (verdict entities). Rewritten with the ad on Upsert; back-filled here
-- from the stored verdicts.
CREATE TABLE ad_dims (
	ad_id    TEXT PRIMARY KEY REFERENCES ads (id) ON DELETE CASCADE,
	day      TEXT NOT NULL,
	week     TEXT NOT NULL,
	site     TEXT NOT NULL,
	lang     TEXT NOT NULL DEFAULT '',
	flagged  INTEGER NOT NULL CHECK (flagged IN (0, 1)),
	region   TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ad_dims_day ON ad_dims (day, week, flagged, site, lang, region, category, ad_id);
INSERT OR REPLACE INTO ad_dims (ad_id, day, week, site, lang, flagged, region, category)
	SELECT id, substr(coalesce(posted, crawled, first_seen), 1, 10),
		date(substr(coalesce(posted, crawled, first_seen), 1, 10), 'weekday 0', '-6 days'),
		site, lang, flagged,
		coalesce(json_extract(verdict_json, '$.entities.region'), ''),
		coalesce(json_extract(verdict_json, '$.entities.category'), '')
	FROM ads;
