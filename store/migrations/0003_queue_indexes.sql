-- 0003: covering indexes for the queue's filter counts and joins, so they
-- never read the (large) verdict rows.
CREATE INDEX ads_flagged_site ON ads (flagged, site);
CREATE INDEX ads_flagged_lang ON ads (flagged, lang);
CREATE INDEX ads_flagged_kind ON ads (flagged, kind);
CREATE INDEX ads_flagged_band ON ads (flagged, band);
CREATE INDEX ads_id_flagged ON ads (id, flagged);
CREATE INDEX ads_flagged_crawled ON ads (flagged, crawled DESC);
CREATE INDEX ads_flagged_rank ON ads (flagged, score DESC, crawled DESC, id);
