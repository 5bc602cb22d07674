-- 0006: screening webhooks: platforms' subscriptions to flagged ads of
-- their own sites, and the delivery log of the events sent to them.
CREATE TABLE webhook_subscriptions (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	url        TEXT NOT NULL,
	-- sites is a JSON array of the site names the subscription covers.
	sites      TEXT NOT NULL,
	min_score  REAL NOT NULL DEFAULT 0 CHECK (min_score >= 0 AND min_score <= 100),
	-- secret signs the events (HMAC-SHA256); it is needed in clear to sign.
	secret     TEXT NOT NULL,
	disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- One row per event: at most one per subscription, ad and content hash.
CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	event_id        TEXT NOT NULL UNIQUE,
	subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
	ad_id           TEXT NOT NULL,
	content_hash    TEXT NOT NULL,
	payload         TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_at         TEXT NOT NULL,
	last_code       INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	delivered_at    TEXT,
	UNIQUE (subscription_id, ad_id, content_hash)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
CREATE INDEX webhook_deliveries_sub ON webhook_deliveries (subscription_id, id);
