package textnorm

// Emoji that stand for words in recruitment ads become those words (in
// English; rule packs match them like any other word), each letter mapped
// back to the emoji. Flags (pairs of regional indicators) stay symbols, so
// that a gazetteer can match a country's flag as a pattern.
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
