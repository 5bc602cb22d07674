package classifier

// Flags (pairs of regional indicators) stay symbols in normalised text:
// the classifier adds each gazetteer country's flag as a pattern.

// flag returns the emoji flag of an ISO 3166 alpha-2 code.
func flag(code string) string {
	if len(code) != 2 {
		return ""
	}
	const base = 0x1F1E6 - 'A'
	return string([]rune{base + rune(code[0]), base + rune(code[1])})
}
