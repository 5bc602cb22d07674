-- 0011: what the queue and search lists show of an ad, so that a list
-- page never decodes full verdicts. The ads columns hold most of it
-- (site, title, score, band, kind, lang, posted, crawled); ad_summaries
-- adds the distinct signals of the hits, heaviest first, as a JSON array
-- of strings. Every write of a verdict rewrites its row; the step that
-- follows this file (fillSummaries, in Go, which ranks signals exactly as
-- the dashboard does) fills it from the stored verdicts and brings the
-- title column in line with them.
CREATE TABLE ad_summaries (
	ad_id   TEXT PRIMARY KEY REFERENCES ads (id) ON DELETE CASCADE,
	signals TEXT NOT NULL
);

-- The queue filtered by site, language, kind or band, in its order, read
-- from an index alone: with (flagged, site) and the like, a page scanned
-- the whole queue in order, reading every ad row to check the filter (all
-- of them for a value no ad has). These serve the filter counts as those
-- did, so they replace them.
CREATE INDEX ads_flagged_site_rank ON ads (flagged, site, score DESC, crawled DESC, id);
CREATE INDEX ads_flagged_lang_rank ON ads (flagged, lang, score DESC, crawled DESC, id);
CREATE INDEX ads_flagged_kind_rank ON ads (flagged, kind, score DESC, crawled DESC, id);
CREATE INDEX ads_flagged_band_rank ON ads (flagged, band, score DESC, crawled DESC, id);
DROP INDEX ads_flagged_site;
DROP INDEX ads_flagged_lang;
DROP INDEX ads_flagged_kind;
DROP INDEX ads_flagged_band;
-- Related ranks its candidate ads by score from this index rather than
-- from the (large) ad rows.
CREATE INDEX ads_id_score ON ads (id, score);
