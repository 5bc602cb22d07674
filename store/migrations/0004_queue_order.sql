-- 0004: the queue's "newest first" order, fully served by an index.
CREATE INDEX ads_flagged_newest ON ads (flagged, crawled DESC, score DESC, id);
-- Listing every ad (flagged or not), riskiest first.
CREATE INDEX ads_rank ON ads (score DESC, crawled DESC, id);
