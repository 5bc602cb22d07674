-- 0007: campaign statistics. One row per ad with the day it counts on
-- (posted, else crawled, else first seen; UTC), the Monday of that week,
-- and its origin region and job category (verdict entities). Rewritten
-- with the ad on Upsert; back-filled here from the stored verdicts.
CREATE TABLE ad_dims (
	ad_id    TEXT PRIMARY KEY REFERENCES ads (id) ON DELETE CASCADE,
	day      TEXT NOT NULL,
	week     TEXT NOT NULL,
	region   TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ad_dims_day ON ad_dims (day, ad_id, week, region, category);
INSERT OR REPLACE INTO ad_dims (ad_id, day, week, region, category)
	SELECT id, substr(coalesce(posted, crawled, first_seen), 1, 10),
		date(substr(coalesce(posted, crawled, first_seen), 1, 10), 'weekday 0', '-6 days'),
		coalesce(json_extract(verdict_json, '$.entities.region'), ''),
		coalesce(json_extract(verdict_json, '$.entities.category'), '')
	FROM ads;
