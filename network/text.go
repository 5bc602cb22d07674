package network

import (
	"strings"
	"unicode"

	"github.com/lurewatch/lure/textnorm"
)

// Text limits: an ad's text is cut to MaxTextBytes before shingling and
// to MaxTokens tokens after.
const (
	MaxTextBytes = 16 << 10
	MaxTokens    = 2000
)

// Masks that stand for the parts of a template that a poster varies.
const (
	maskNumber = "#" // any token with a digit: salaries, ages, phones, dates
	maskCity   = "@" // a word of the ad's own location
)

// Tokens returns the comparison tokens of an ad's title and body: the
// classifier's matching view (NFKC, case folding, look-alike letters
// folded, spaced letters joined, emoji as words), split into words, with
// every token holding a digit replaced by "#", every word of the ad's
// normalised location replaced by "@", runs of one mask kept as one, and
// symbol-only tokens dropped.
func Tokens(title, body, location string) []string {
	text := title + "\n" + body
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
	}
	city := map[string]bool{}
	for _, w := range words(textnorm.Normalise(clip(location, 256)).S) {
		if len([]rune(w)) >= 3 {
			city[w] = true
		}
	}
	var out []string
	for _, w := range words(textnorm.Normalise(text).S) {
		switch {
		case strings.IndexFunc(w, unicode.IsDigit) >= 0:
			w = maskNumber
		case city[w]:
			w = maskCity
		}
		if (w == maskNumber || w == maskCity) && len(out) > 0 && out[len(out)-1] == w {
			continue // "+7 912 345 67 89" is one number
		}
		out = append(out, w)
		if len(out) == MaxTokens {
			break
		}
	}
	return out
}

// words splits a normalised text into tokens of letters and digits only.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// clip cuts s to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// ShingleSize is the number of consecutive tokens in one shingle.
const ShingleSize = 3

// Shingles returns the distinct hashes of the ShingleSize-token windows
// of tokens (one window of all tokens when there are fewer).
func Shingles(tokens []string) []uint64 {
	if len(tokens) == 0 {
		return nil
	}
	n := max(1, len(tokens)-ShingleSize+1)
	seen := make(map[uint64]struct{}, n)
	out := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		h := uint64(fnvOffset)
		for _, t := range tokens[i:min(i+ShingleSize, len(tokens))] {
			h = fnv(h, t)
			h = (h ^ 0xff) * fnvPrime // token separator
		}
		if _, ok := seen[h]; !ok {
			seen[h] = struct{}{}
			out = append(out, h)
		}
	}
	return out
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// CityKey returns the city an ad counts in for its network: the
// classifier's canonical region when it names a city ("MD/Chișinău",
// read from the location text with the multilingual gazetteer of
// rules/regions.yaml, so "Київ", "Киев" and "Kyiv" are one city), else
// City(location). A bare country code ("UA") is not a city. Canonical
// keys contain "/" and City never does, so the two cannot collide.
func CityKey(region, location string) string {
	if r := strings.TrimSpace(region); strings.Contains(r, "/") && len(r) <= 256 {
		return r
	}
	return City(location)
}

// City returns the normalised city of an ad's location text: the
// classifier's matching view of the part before the first comma, without
// a leading "г"/"м"/"or"/"mun" abbreviation. "" when there is none.
func City(location string) string {
	loc := clip(location, 256)
	if i := strings.IndexAny(loc, ",;/(|"); i >= 0 {
		loc = loc[:i]
	}
	ws := words(textnorm.Normalise(loc).S)
	if len(ws) > 1 {
		switch ws[0] {
		case "г", "м", "с", "or", "mun", "sat", "смт", "пгт":
			ws = ws[1:]
		}
	}
	return strings.Join(ws, " ")
}
