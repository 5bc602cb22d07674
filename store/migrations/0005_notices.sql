-- 0005: takedown notices to platforms, one per site, with their items
-- (frozen at drafting), their lifecycle history, and the removals the
-- crawler verified.
CREATE TABLE notices (
	id              INTEGER PRIMARY KEY,
	site            TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'acknowledged', 'removed', 'rejected', 'withdrawn')),
	note            TEXT NOT NULL DEFAULT '',
	notifier_name   TEXT NOT NULL DEFAULT '',
	notifier_email  TEXT NOT NULL DEFAULT '',
	created_by      TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	sent_at         TEXT,
	acknowledged_at TEXT,
	closed_at       TEXT
);
CREATE INDEX notices_status ON notices (status, site);
CREATE INDEX notices_site ON notices (site, id);

-- One ad of a notice. item_json holds what the notice says about the ad
-- (URL, evidence, review note, snapshot), frozen when the notice was
-- drafted; removed_at is the verified removal.
CREATE TABLE notice_items (
	notice_id      INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
	ad_id          TEXT NOT NULL,
	pos            INTEGER NOT NULL,
	item_json      TEXT NOT NULL,
	removed_at     TEXT,
	removal_reason TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (notice_id, ad_id)
);
CREATE INDEX notice_items_ad ON notice_items (ad_id);

CREATE TABLE notice_history (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	notice_id   INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notice_history_notice ON notice_history (notice_id, id);

-- Ads the crawler found gone from their site (lure.ads.removed), one row
-- per ad; a new verdict for the ad after the removal deletes the row.
CREATE TABLE ad_removals (
	ad_id       TEXT PRIMARY KEY,
	site        TEXT NOT NULL,
	url         TEXT NOT NULL,
	reason      TEXT NOT NULL,
	last_seen   TEXT,
	detected_at TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
