package classifier

// Emoji that stand for words in recruitment ads become those words (in
// English; rule packs match them like any other word), each letter mapped
// back to the emoji. Flags (pairs of regional indicators) stay symbols:
// the classifier adds each gazetteer country's flag as a pattern.
var emojiWords = map[rune]string{
	'✈': "flight", '🛫': "flight", '🛬': "flight",
	'💃': "dancer", '🕺': "dancer",
	'💰': "money", '💵': "money", '💶': "money", '💷': "money", '💸': "money", '🤑': "money", '💲': "money",
	'🌍': "abroad", '🌎': "abroad", '🌏': "abroad",
	'🔞': "adult", '💋': "kiss", '👙': "bikini", '🍾': "champagne", '🍸': "cocktail",
	'🛂': "passport", '🏠': "housing", '🏨': "hotel", '🌴': "resort", '🏝': "resort",
	'📸': "photo", '📷': "photo", '👠': "heels", '💎': "luxury",
	'❗': " ", '‼': " ", '🔥': " ", '⚡': " ",
}

// flag returns the emoji flag of an ISO 3166 alpha-2 code.
func flag(code string) string {
	if len(code) != 2 {
		return ""
	}
	const base = 0x1F1E6 - 'A'
	return string([]rune{base + rune(code[0]), base + rune(code[1])})
}

// appendRune folds r, taken from original bytes [s, e), on to cs.
func appendRune(cs []char, r rune, s, e int32) []char {
	if r >= 0x2700 {
		if w, ok := emojiWords[r]; ok {
			cs = append(cs, char{' ', s, e})
			for i := 0; i < len(w); i++ {
				cs = append(cs, char{rune(w[i]), s, e})
			}
			return append(cs, char{' ', s, e})
		}
	}
	if r = foldRune(r); r >= 0 {
		cs = append(cs, char{r, s, e})
	}
	return cs
}
