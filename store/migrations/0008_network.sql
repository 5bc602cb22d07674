-- 0008: recruiter networks. Every ad the network engine saw, with its
-- MinHash signature (so the engine can resume after a restart), its
-- normalised city and its cluster; the contacts each ad carries; and one
-- summary row per cluster of two or more ads.
CREATE TABLE network_ads (
	ad_id        TEXT PRIMARY KEY REFERENCES ads (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL UNIQUE, -- arrival order, the replay order at start
	content_hash TEXT NOT NULL,
	site         TEXT NOT NULL,
	city         TEXT NOT NULL DEFAULT '',
	seen         TEXT NOT NULL,           -- posted, else crawled, else scored time
	score        REAL NOT NULL DEFAULT 0, -- the per-ad score, for ranking
	signature    BLOB,                    -- NULL for an ad without text tokens
	cluster      TEXT NOT NULL            -- the ID of the cluster's first ad
);
CREATE INDEX network_ads_cluster ON network_ads (cluster, seen);
CREATE INDEX network_ads_site ON network_ads (cluster, site);
CREATE INDEX network_ads_city ON network_ads (cluster, city);

CREATE TABLE network_contacts (
	contact TEXT NOT NULL,
	kind    TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'handle')),
	ad_id   TEXT NOT NULL REFERENCES network_ads (ad_id) ON DELETE CASCADE,
	PRIMARY KEY (contact, ad_id)
);
CREATE INDEX network_contacts_ad ON network_contacts (ad_id);

CREATE TABLE network_clusters (
	id         TEXT PRIMARY KEY,
	size       INTEGER NOT NULL,
	sites      INTEGER NOT NULL,
	cities     INTEGER NOT NULL,
	contacts   INTEGER NOT NULL,
	first_seen TEXT NOT NULL,
	last_seen  TEXT NOT NULL,
	max_score  REAL NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX network_clusters_size ON network_clusters (size DESC, max_score DESC);
CREATE INDEX network_clusters_risk ON network_clusters (max_score DESC, size DESC);
