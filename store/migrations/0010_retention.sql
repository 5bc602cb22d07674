-- 0010: retention. The campaign statistics of the ads that retention
-- removed, so that their counts outlive the ads: per day and the columns
-- of ad_dims (campaign_purged), and per day and destination or signal
-- (campaign_purged_facts). Campaign and Aim read these with ad_dims.
CREATE TABLE campaign_purged (
	day      TEXT NOT NULL,
	week     TEXT NOT NULL,
	site     TEXT NOT NULL,
	lang     TEXT NOT NULL DEFAULT '',
	region   TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	total    INTEGER NOT NULL CHECK (total >= 0),
	risky    INTEGER NOT NULL CHECK (risky >= 0),
	PRIMARY KEY (day, site, lang, region, category)
);
CREATE INDEX campaign_purged_week ON campaign_purged (day, week);

CREATE TABLE campaign_purged_facts (
	dim   TEXT NOT NULL CHECK (dim IN ('destination', 'signal')),
	value TEXT NOT NULL,
	day   TEXT NOT NULL,
	week  TEXT NOT NULL,
	total INTEGER NOT NULL CHECK (total >= 0),
	risky INTEGER NOT NULL CHECK (risky >= 0),
	PRIMARY KEY (dim, value, day)
);
CREATE INDEX campaign_purged_facts_day ON campaign_purged_facts (dim, day);

-- The age retention reads: the crawl time of the stored version of an ad,
-- else when it was first stored.
CREATE INDEX ads_retention_age ON ads (flagged, coalesce(crawled, first_seen));
