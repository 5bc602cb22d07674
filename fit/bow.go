package fit

import (
	"slices"
	"strings"
	"unicode"

	"github.com/lurewatch/lure/ad"
)

// Vocabulary maps the words and word pairs of a bag-of-words model to
// feature indexes.
type Vocabulary struct {
	index map[string]int32
	terms []string
}

// Len is the number of features.
func (v *Vocabulary) Len() int { return len(v.terms) }

// Term returns the word or word pair of feature j.
func (v *Vocabulary) Term(j int) string { return v.terms[j] }

// Tokens returns the lower-cased words of every text field of a (runs of
// letters and digits) followed by its adjacent word pairs, each once.
func Tokens(a ad.Ad) []string {
	var words []string
	for _, f := range ad.Fields {
		prev := ""
		for w := range strings.FieldsFuncSeq(strings.ToLower(a.Field(f)), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			words = append(words, w)
			if prev != "" {
				words = append(words, prev+" "+w)
			}
			prev = w
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// BuildVocabulary keeps the terms that occur in at least minDF of the
// ads, in sorted order.
func BuildVocabulary(ads []ad.Ad, minDF int) *Vocabulary {
	df := map[string]int{}
	for _, a := range ads {
		for _, t := range Tokens(a) {
			df[t]++
		}
	}
	v := &Vocabulary{index: map[string]int32{}}
	for t, n := range df {
		if n >= minDF {
			v.terms = append(v.terms, t)
		}
	}
	slices.Sort(v.terms)
	for j, t := range v.terms {
		v.index[t] = int32(j)
	}
	return v
}

// Row returns the features of a, sorted; terms outside the vocabulary are
// dropped.
func (v *Vocabulary) Row(a ad.Ad) []int32 {
	var row []int32
	for _, t := range Tokens(a) {
		if j, ok := v.index[t]; ok {
			row = append(row, j)
		}
	}
	slices.Sort(row)
	return row
}

// BagOfWords is the design matrix of ads over v.
func (v *Vocabulary) BagOfWords(ads []ad.Ad, labels []bool) Data {
	d := Data{NFeatures: v.Len(), Y: slices.Clone(labels)}
	for _, a := range ads {
		d.Rows = append(d.Rows, v.Row(a))
	}
	return d
}
