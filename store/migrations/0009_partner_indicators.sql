-- 0009: indicators shared by partner organisations (STIX 2.1 or MISP
-- files imported with "lure indicators import"), and what links them to
-- local ads. A contact indicator is either the normalised value (hashed
-- = 0) or the hex HMAC-SHA256 of it under a key the partners share
-- (hashed = 1); a template indicator is a network MinHash signature in
-- hex. Sites and countries are JSON arrays of strings.
CREATE TABLE partner_indicators (
	id          INTEGER PRIMARY KEY,
	partner     TEXT NOT NULL,
	tlp         TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
	kind        TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'handle', 'template')),
	hashed      INTEGER NOT NULL CHECK (hashed IN (0, 1)),
	value       TEXT NOT NULL,
	first_seen  TEXT,
	last_seen   TEXT,
	sites       TEXT NOT NULL DEFAULT '[]',
	countries   TEXT NOT NULL DEFAULT '[]',
	ads         INTEGER NOT NULL DEFAULT 0,
	imported_at TEXT NOT NULL,
	UNIQUE (partner, kind, hashed, value)
);
CREATE INDEX partner_indicators_value ON partner_indicators (value, hashed);

-- Keyed hashes of the contacts of local ads, written by whoever holds a
-- share key ("lure indicators import" and "lure indicators match"). Only
-- hashes: the contacts themselves stay in network_contacts.
CREATE TABLE partner_ad_hashes (
	hash  TEXT NOT NULL,
	ad_id TEXT NOT NULL REFERENCES network_ads (ad_id) ON DELETE CASCADE,
	PRIMARY KEY (hash, ad_id)
);
CREATE INDEX partner_ad_hashes_ad ON partner_ad_hashes (ad_id);

-- Local ads whose template signature is near a partner's template.
CREATE TABLE partner_template_matches (
	indicator_id INTEGER NOT NULL REFERENCES partner_indicators (id) ON DELETE CASCADE,
	ad_id        TEXT NOT NULL REFERENCES network_ads (ad_id) ON DELETE CASCADE,
	PRIMARY KEY (indicator_id, ad_id)
);
CREATE INDEX partner_template_matches_ad ON partner_template_matches (ad_id);

-- Every (ad, indicator) pair where a local ad is known to a partner:
-- plain contacts match live, hashed contacts and templates through the
-- two tables above.
CREATE VIEW partner_known (ad_id, indicator_id) AS
	SELECT c.ad_id, p.id FROM partner_indicators p
		JOIN network_contacts c ON c.contact = p.value AND c.kind = p.kind
		WHERE p.hashed = 0 AND p.kind <> 'template'
	UNION SELECT h.ad_id, p.id FROM partner_indicators p
		JOIN partner_ad_hashes h ON h.hash = p.value
		WHERE p.hashed = 1
	UNION SELECT m.ad_id, m.indicator_id FROM partner_template_matches m;
