package dashboard

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/textnorm"
)

// Member is the text of one ad of a cluster, for Represent.
type Member struct {
	ID, Title, Body, Location string
}

// Piece is one word of the representative ad. Varies marks a word that
// is missing or different in some members; Values are (up to
// MaxValues) what those members have there instead.
type Piece struct {
	Text   string   `json:"text"`
	Varies bool     `json:"varies,omitempty"`
	Values []string `json:"values,omitempty"`
}

// Hint says what other members have in place of a varying piece.
func (p Piece) Hint() string {
	if len(p.Values) == 0 {
		return "missing in some ads of the network"
	}
	return "elsewhere: " + strings.Join(p.Values, " · ")
}

// Representative is the ad that best stands for a cluster, with the
// parts of its text that vary across the members.
type Representative struct {
	AdID   string  `json:"ad_id"`
	Title  string  `json:"title"`
	Pieces []Piece `json:"pieces"`
	// Compared is how many other members the pieces were compared with.
	Compared int `json:"compared"`
}

// KinSimilarity is the Jaccard similarity of masked shingles from which
// Represent compares a member with the representative word by word: below
// it the member shares no template with it (it is linked by a contact, or
// through other members), and comparing would mark every word.
const KinSimilarity = 0.4

// Limits of Represent: members compared, words per text, values kept
// per varying word.
const (
	MaxMembers = 50
	MaxWords   = 400
	MaxValues  = 6
)

// Represent picks the member most similar to the others (the medoid by
// Jaccard similarity of masked shingles) and marks which of its words
// differ in the members that share its template (KinSimilarity), aligning
// each of them to it word by word (longest common subsequence of
// normalised words). Compared counts those members; with none, no word is
// marked.
func Represent(ms []Member) Representative {
	if len(ms) == 0 {
		return Representative{}
	}
	if len(ms) > MaxMembers {
		ms = ms[:MaxMembers]
	}
	sets := make([]map[uint64]bool, len(ms))
	for i, m := range ms {
		sets[i] = map[uint64]bool{}
		for _, s := range network.Shingles(network.Tokens(m.Title, m.Body, m.Location)) {
			sets[i][s] = true
		}
	}
	best, bestSum := 0, -1.0
	for i := range ms {
		sum := 0.0
		for j := range ms {
			if i != j {
				sum += jaccard(sets[i], sets[j])
			}
		}
		if sum > bestSum {
			best, bestSum = i, sum
		}
	}
	rep := ms[best]
	words := strings.Fields(rep.Body)
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	keys := wordKeys(words)
	matched := make([]int, len(words))
	values := make([][]string, len(words))
	compared := 0
	for j, m := range ms {
		// Only the representative's template kin are compared: a member
		// linked by a contact alone (another text, another language)
		// would mark every word.
		if j == best || jaccard(sets[best], sets[j]) < KinSimilarity {
			continue
		}
		compared++
		other := strings.Fields(m.Body)
		if len(other) > MaxWords {
			other = other[:MaxWords]
		}
		align(keys, wordKeys(other), func(i, k int) { matched[i]++ }, func(i int, alt string) {
			if len(alt) > 80 {
				alt = clipRunes(alt, 80) + "…"
			}
			if alt != "" && len(values[i]) < MaxValues && !contains(values[i], alt) {
				values[i] = append(values[i], alt)
			}
		}, other)
	}
	r := Representative{AdID: rep.ID, Title: rep.Title, Compared: compared}
	for i, w := range words {
		p := Piece{Text: w}
		if compared > 0 && matched[i] < compared {
			p.Varies, p.Values = true, values[i]
		}
		r.Pieces = append(r.Pieces, p)
	}
	return r
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func jaccard(a, b map[uint64]bool) float64 {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	if u := len(a) + len(b) - n; u > 0 {
		return float64(n) / float64(u)
	}
	return 0
}

// wordKeys returns the comparison key of each word: its normalised
// letters and digits.
func wordKeys(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.Join(strings.FieldsFunc(textnorm.Normalise(w).S, notWordRune), "")
	}
	return out
}

// notWordRune reports whether r is neither a letter nor a digit.
func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// align runs a longest-common-subsequence alignment of a (the
// representative) and b, calling match for every aligned pair and alt
// for every unaligned word of a with the words of b that stand in its
// gap (joined), "" when there are none.
func align(a, b []string, match func(i, k int), alt func(i int, s string), bWords []string) {
	n, m := len(a), len(b)
	dp := make([][]uint16, n+1)
	for i := range dp {
		dp[i] = make([]uint16, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for k := m - 1; k >= 0; k-- {
			if a[i] == b[k] {
				dp[i][k] = dp[i+1][k+1] + 1
			} else {
				dp[i][k] = max(dp[i+1][k], dp[i][k+1])
			}
		}
	}
	i, k := 0, 0
	gapA, gapB := []int{}, []string{}
	flush := func() {
		s := strings.Join(gapB, " ")
		for _, x := range gapA {
			alt(x, s)
		}
		gapA, gapB = gapA[:0], gapB[:0]
	}
	for i < n && k < m {
		switch {
		case a[i] == b[k]:
			flush()
			match(i, k)
			i++
			k++
		case dp[i+1][k] >= dp[i][k+1]:
			gapA = append(gapA, i)
			i++
		default:
			gapB = append(gapB, bWords[k])
			k++
		}
	}
	for ; i < n; i++ {
		gapA = append(gapA, i)
	}
	for ; k < m; k++ {
		gapB = append(gapB, bWords[k])
	}
	flush()
}

// clipRunes cuts s to at most n bytes on a rune boundary.
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
