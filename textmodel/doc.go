// Package textmodel is the learned half of a hybrid scorer: hashed word
// and character n-grams of an ad's normalised text, each with a weight
// fitted beside the rule weights (package fit), so that the score stays
// logistic(bias + Σ rule weights + Σ w·x).
//
// Features are read from the match view of package textnorm (case,
// look-alike letters, diacritics, spacing and punctuation folded), so
// that "wоrk" with a Cyrillic о and "w o r k" give the features of
// "work", and related languages share character n-grams. Word n-grams
// and character n-grams inside words (padded with a boundary space) are
// hashed into 2^Bits buckets; each block is a unit vector per ad times
// its scale, so long texts do not outweigh short ones.
//
// A Model explains itself: Score returns the features that moved the
// logit most with their first occurrence in the original text. Models
// are stored in a small, versioned text format (see Parse) with their
// own hash, which a rule pack folds into its version (rules.Pack.SetText).
package textmodel
