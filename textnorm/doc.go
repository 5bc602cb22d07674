// Package textnorm normalises ad text for matching and linking, keeping a
// map from every normalised byte back to the original bytes it came from,
// so that a match can be shown as evidence in the original text.
//
// Normalise gives the match view: NFKC, case folding, no format or
// zero-width characters, no Latin diacritics, Latin/Cyrillic/Greek
// look-alikes folded to the script of their word (from the Unicode
// confusables data) and digits used as letters, spaced or dotted letters
// joined, emoji as words, flags kept, and every run of spaces and
// punctuation collapsed. Light gives the extraction view: the same folding
// with punctuation kept and numbers written as words turned into digits.
// Views computes both in one pass with reusable buffers, and the views
// derived from a match view: Latin-typed Russian or Ukrainian
// transliterated to Cyrillic, Georgian and Armenian typed in Latin reduced
// to a Latin skeleton, and Serbian Cyrillic read in Latin letters.
// FoldRegex and Romanise fold patterns the way text is folded.
//
// Deciding which fields get which view, and matching, is left to the
// classifier; the network linker reads words of the match view.
package textnorm
