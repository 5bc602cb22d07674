-- 0002: review work: users, sessions, API tokens, decisions, the audit
-- log, saved searches, and the contacts each ad carries.
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
	pw_hash    TEXT NOT NULL,
	disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Only a SHA-256 of each session secret is stored.
CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	addr       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);

-- The current review state of an ad; its history is in audit_log.
CREATE TABLE reviews (
	ad_id      TEXT PRIMARY KEY,
	status     TEXT NOT NULL DEFAULT 'new',
	note       TEXT NOT NULL DEFAULT '',
	assignee   TEXT NOT NULL DEFAULT '',
	decided_by TEXT NOT NULL DEFAULT '',
	decided_at TEXT,
	updated_at TEXT NOT NULL
);
CREATE INDEX reviews_status ON reviews (status);
CREATE INDEX reviews_assignee ON reviews (assignee);

CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	ad_id  TEXT NOT NULL DEFAULT '',
	before TEXT NOT NULL DEFAULT '',
	after  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_ad ON audit_log (ad_id, id);
CREATE INDEX audit_actor ON audit_log (actor, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE saved_searches (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	query      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (user_id, name)
);

-- Contacts (phones, emails, messenger handles) of each ad, to link ads
-- that share one. Rewritten with the ad on Upsert.
CREATE TABLE ad_contacts (
	contact TEXT NOT NULL,
	ad_id   TEXT NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
	PRIMARY KEY (contact, ad_id)
);
CREATE INDEX ad_contacts_ad ON ad_contacts (ad_id);
INSERT OR IGNORE INTO ad_contacts (contact, ad_id)
	SELECT j.value, ads.id FROM ads, json_each(ads.verdict_json, '$.entities.phones') AS j
	UNION SELECT lower(j.value), ads.id FROM ads, json_each(ads.verdict_json, '$.entities.emails') AS j
	UNION SELECT lower(j.value), ads.id FROM ads, json_each(ads.verdict_json, '$.entities.handles') AS j;

-- Queue filters that would otherwise read the verdict JSON.
CREATE TABLE ad_signals (
	signal TEXT NOT NULL,
	ad_id  TEXT NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
	PRIMARY KEY (signal, ad_id)
);
CREATE INDEX ad_signals_ad ON ad_signals (ad_id);
INSERT OR IGNORE INTO ad_signals (signal, ad_id)
	SELECT json_extract(j.value, '$.signal'), ads.id FROM ads, json_each(ads.verdict_json, '$.hits') AS j
	WHERE coalesce(json_extract(j.value, '$.signal'), '') <> '';

CREATE TABLE ad_destinations (
	country TEXT NOT NULL,
	ad_id   TEXT NOT NULL REFERENCES ads (id) ON DELETE CASCADE,
	PRIMARY KEY (country, ad_id)
);
CREATE INDEX ad_destinations_ad ON ad_destinations (ad_id);
INSERT OR IGNORE INTO ad_destinations (country, ad_id)
	SELECT j.value, ads.id FROM ads, json_each(ads.verdict_json, '$.entities.destinations') AS j;

CREATE INDEX ads_crawled ON ads (crawled);
