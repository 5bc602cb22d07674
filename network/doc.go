// Package network links ads into recruiter networks: ads that share a
// contact (phone, e-mail, messenger handle or link) or a near-duplicate
// text template end up in one cluster.
//
// Its one job is the linking: it turns an ad's text into masked word
// shingles (numbers, the ad's own city, emoji, spacing and look-alike
// letters do not count), signs them with MinHash, finds near-duplicates
// with locality-sensitive hashing (banded signatures), verifies each
// candidate by its estimated Jaccard similarity and joins linked ads with
// union-find. It is incremental — an ad joins its cluster as it arrives —
// and idempotent by ad ID and content hash. It also computes the network
// score, a documented layer on top of the per-ad verdict that never
// changes ad.Verdict.Score.
//
// Storage is left to a Store (*store.Networks implements it): the engine
// writes each assignment there and replays the stored signatures and
// contacts at start to resume; Backfill links the stored ads it has not
// seen (those stored before it existed). Normalising the text is left to
// package textnorm, extracting contacts and the canonical region that keys
// an ad's city (CityKey) to the classifier, and what the pages show of a
// network (members, contacts, representative ad with its varying words,
// graph layout) to the dashboard.
package network
