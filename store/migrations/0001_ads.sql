-- 0001: every scored ad, with its full verdict.
CREATE TABLE ads (
	id           TEXT PRIMARY KEY,
	site         TEXT NOT NULL,
	url          TEXT NOT NULL,
	kind         TEXT NOT NULL,
	lang         TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL DEFAULT '',
	score        REAL NOT NULL,
	band         TEXT NOT NULL,
	flagged      INTEGER NOT NULL CHECK (flagged IN (0, 1)),
	rule_pack    TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	posted       TEXT,
	crawled      TEXT,
	scored_at    TEXT,
	first_seen   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	verdict_json TEXT NOT NULL
);

CREATE INDEX ads_flagged_score ON ads (flagged, score DESC);
CREATE INDEX ads_site ON ads (site);
CREATE INDEX ads_band ON ads (band);
