package textmodel

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/textnorm"
)

// Config says which n-grams a model reads and how they are hashed and
// weighted. It is stored in the model file.
type Config struct {
	// Bits is the size of the hash table: features fall into 2^Bits
	// buckets.
	Bits int
	// WordMin and WordMax are the word n-gram orders (0, 0: no word
	// features).
	WordMin, WordMax int
	// CharMin and CharMax are the character n-gram orders, read inside
	// each word padded with a space on either side (0, 0: none).
	CharMin, CharMax int
	// WordScale and CharScale are the value of every word (character)
	// feature of an ad times √(number of distinct word (character)
	// features of the ad): each block is a unit vector times its scale.
	WordScale, CharScale float64
}

// DefaultConfig reads word 1–2-grams and character 3–5-grams into 2^18
// buckets, the word block at scale 10 and the character block at 2.5
// (chosen by cross-validation on the DIFrauD validation split; a larger
// scale is weaker regularisation of that block).
func DefaultConfig() Config {
	return Config{Bits: 18, WordMin: 1, WordMax: 2, CharMin: 3, CharMax: 5, WordScale: 10, CharScale: 2.5}
}

// Limits of a Config.
const (
	MinBits  = 8
	MaxBits  = 22
	MaxOrder = 8
	MaxScale = 1000
)

// Validate reports whether c is usable.
func (c Config) Validate() error {
	switch {
	case c.Bits < MinBits || c.Bits > MaxBits:
		return fmt.Errorf("textmodel: bits %d outside [%d, %d]", c.Bits, MinBits, MaxBits)
	case !validOrders(c.WordMin, c.WordMax):
		return fmt.Errorf("textmodel: word orders %d–%d invalid (0 0, or 1 ≤ min ≤ max ≤ %d)", c.WordMin, c.WordMax, MaxOrder)
	case !validOrders(c.CharMin, c.CharMax):
		return fmt.Errorf("textmodel: character orders %d–%d invalid (0 0, or 1 ≤ min ≤ max ≤ %d)", c.CharMin, c.CharMax, MaxOrder)
	case c.WordMax == 0 && c.CharMax == 0:
		return fmt.Errorf("textmodel: no word and no character features")
	case !validScale(c.WordScale) || !validScale(c.CharScale):
		return fmt.Errorf("textmodel: scales %v, %v must be in (0, %d]", c.WordScale, c.CharScale, MaxScale)
	}
	return nil
}

func validOrders(lo, hi int) bool {
	return lo == 0 && hi == 0 || 1 <= lo && lo <= hi && hi <= MaxOrder
}

func validScale(s float64) bool { return s > 0 && s <= MaxScale && !math.IsNaN(s) }

// Kind tells word from character features.
type Kind uint8

const (
	Word Kind = 1 + iota
	Char
)

func (k Kind) String() string {
	if k == Word {
		return "word"
	}
	return "chars"
}

// FNV-1a, 32 bits, with a final avalanche so that the low bits used as
// the bucket are well mixed.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvByte(h uint32, b byte) uint32 { return (h ^ uint32(b)) * fnvPrime }

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

var (
	wordSeed = fnvByte(fnvOffset, 'w')
	charSeed = fnvByte(fnvOffset, 'c')
)

// Bucket returns the bucket of one feature: a word n-gram is its words
// joined by single spaces, a character n-gram its characters (a space
// standing for a word boundary), both as in the match view of package
// textnorm.
func (c Config) Bucket(k Kind, gram string) uint32 {
	seed := charSeed
	if k == Word {
		seed = wordSeed
	}
	return mix(fnvString(seed, gram)) & (1<<c.Bits - 1)
}

// occurrence is one n-gram seen in a field: its bucket, kind and byte
// range in the match view (for a character n-gram, without the boundary
// spaces).
type occurrence struct {
	bucket uint32
	kind   Kind
	pad    uint8 // character n-grams: 1 starts, 2 ends with a boundary
	i, j   int32
}

// tok is a word of the match view: byte range [s, e).
type tok struct{ s, e int32 }

// scanner holds the buffers of one feature pass. Not safe for concurrent
// use.
type scanner struct {
	views textnorm.Views
	toks  []tok
	runes []int32 // byte offsets of the runes of a padded word
}

// scan calls emit for every n-gram of the match view s.
func (c *Config) scan(sc *scanner, s string, emit func(occurrence)) {
	mask := uint32(1)<<c.Bits - 1
	sc.toks = sc.toks[:0]
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				sc.toks = append(sc.toks, tok{int32(start), int32(i)})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	toks := sc.toks
	if c.WordMax > 0 {
		for i := range toks {
			h := wordSeed
			for k := 0; k < c.WordMax && i+k < len(toks); k++ {
				t := toks[i+k]
				if k > 0 {
					h = fnvByte(h, ' ')
				}
				h = fnvString(h, s[t.s:t.e])
				if k+1 >= c.WordMin {
					emit(occurrence{bucket: mix(h) & mask, kind: Word, i: toks[i].s, j: t.e})
				}
			}
		}
	}
	if c.CharMax == 0 {
		return
	}
	for _, t := range toks {
		w := s[t.s:t.e]
		// runes[k] is the byte offset (in s) where padded rune k starts;
		// rune 0 and the last are the boundary spaces.
		sc.runes = append(sc.runes[:0], t.s)
		for i := 0; i < len(w); {
			sc.runes = append(sc.runes, t.s+int32(i))
			if w[i] < utf8.RuneSelf {
				i++
			} else {
				_, n := utf8.DecodeRuneInString(w[i:])
				i += n
			}
		}
		sc.runes = append(sc.runes, t.e)
		n := len(sc.runes) // padded length in runes
		for p := 0; p < n; p++ {
			h := charSeed
			for k := 0; k < c.CharMax && p+k < n; k++ {
				q := p + k
				if q == 0 || q == n-1 {
					h = fnvByte(h, ' ')
				} else {
					end := t.e
					if q+1 < n-1 {
						end = sc.runes[q+1]
					}
					h = fnvString(h, s[sc.runes[q]:end])
				}
				if k+1 >= c.CharMin {
					i, j, pad := sc.runes[p], t.e, uint8(0)
					if p == 0 {
						i, pad = t.s, 1
					}
					if q+1 < n-1 {
						j = sc.runes[q+1]
					} else if q == n-1 {
						pad |= 2
					}
					if i < j {
						emit(occurrence{bucket: mix(h) & mask, kind: Char, pad: pad, i: i, j: j})
					}
				}
			}
		}
	}
}

// Vector is the feature vector of one ad: sorted buckets and their
// values.
type Vector struct {
	Buckets []int32
	Values  []float64
}

// Vectorise returns the feature vector of a, as the model scores it.
func (c Config) Vectorise(a *ad.Ad) Vector {
	var sc scanner
	word := map[uint32]bool{}
	char := map[uint32]bool{}
	for _, f := range ad.Fields {
		text := a.Field(f)
		if text == "" {
			continue
		}
		mt, _ := sc.views.Of(truncate(text))
		c.scan(&sc, mt.S, func(o occurrence) {
			if o.kind == Word {
				word[o.bucket] = true
			} else {
				char[o.bucket] = true
			}
		})
	}
	vals := map[uint32]float64{}
	if len(word) > 0 {
		x := c.WordScale / math.Sqrt(float64(len(word)))
		for b := range word {
			vals[b] += x
		}
	}
	if len(char) > 0 {
		x := c.CharScale / math.Sqrt(float64(len(char)))
		for b := range char {
			vals[b] += x
		}
	}
	v := Vector{Buckets: make([]int32, 0, len(vals))}
	for b := range vals {
		v.Buckets = append(v.Buckets, int32(b))
	}
	slices.Sort(v.Buckets)
	v.Values = make([]float64, len(v.Buckets))
	for k, b := range v.Buckets {
		v.Values[k] = vals[uint32(b)]
	}
	return v
}

func truncate(s string) string {
	if len(s) <= ad.MaxFieldBytes {
		return s
	}
	n := ad.MaxFieldBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Grams calls emit for every n-gram occurrence of a with its bucket, its
// kind and its text in the match view (a space marking a word boundary of
// a character n-gram). It is slow; it is meant for reviewing a model.
func (c Config) Grams(a *ad.Ad, emit func(bucket uint32, k Kind, gram string)) {
	var sc scanner
	for _, f := range ad.Fields {
		text := a.Field(f)
		if text == "" {
			continue
		}
		mt, _ := sc.views.Of(truncate(text))
		s := mt.S
		c.scan(&sc, s, func(o occurrence) {
			g := s[o.i:o.j]
			if o.pad&1 != 0 {
				g = " " + g
			}
			if o.pad&2 != 0 {
				g += " "
			}
			emit(o.bucket, o.kind, strings.Clone(g))
		})
	}
}
