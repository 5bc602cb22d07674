package network

import "math"

// MinHash and LSH parameters: NumHashes minimum hashes per signature,
// split into Bands bands of Rows rows. Two texts of Jaccard similarity J
// share at least one band with probability 1-(1-J^Rows)^Bands: 0.99 at
// J=0.6, 0.56 at J=0.4, 0.05 at J=0.2. Candidates are then verified by
// their estimated similarity (Options.Threshold; standard error about
// 0.045 with 128 values against 0.062 with 64, which keeps two different
// posters' templates that share phrases apart).
const (
	NumHashes = 128
	Bands     = 32
	Rows      = NumHashes / Bands
)

// Signature is the MinHash signature of a set of shingles.
type Signature [NumHashes]uint32

// seeds are fixed so that signatures stored on disk stay comparable.
var seeds = func() (s [NumHashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = mix(x + uint64(i)*0xbf58476d1ce4e5b9)
		s[i] = x
	}
	return s
}()

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Sign returns the MinHash signature of shingles. An empty set gets the
// all-ones signature, which Similar never accepts.
func Sign(shingles []uint64) Signature {
	var s Signature
	for i := range s {
		s[i] = math.MaxUint32
	}
	for _, sh := range shingles {
		for i, seed := range seeds {
			if h := uint32(mix(sh ^ seed)); h < s[i] {
				s[i] = h
			}
		}
	}
	return s
}

// Empty reports whether s is the signature of no shingles.
func (s *Signature) Empty() bool {
	for _, v := range s {
		if v != math.MaxUint32 {
			return false
		}
	}
	return true
}

// bandKeys returns the LSH bucket key of each band. Keys are 32 bits: a
// chance collision only adds a candidate, which verification rejects.
func (s *Signature) bandKeys() (keys [Bands]uint32) {
	for b := range keys {
		h := mix(uint64(b) + 1)
		for _, v := range s[b*Rows : (b+1)*Rows] {
			h = mix(h ^ uint64(v))
		}
		keys[b] = uint32(h)
	}
	return keys
}

// short is the compact form of a signature kept in memory for
// verification: the low 8 bits of each minimum (b-bit MinHash: two
// different minima agree by chance 1 time in 256, which similarity
// corrects for).
type short [NumHashes]uint8

func (s *Signature) short() (o short) {
	for i, v := range s {
		o[i] = uint8(v)
	}
	return o
}

// similarity estimates the Jaccard similarity of the sets behind a and b
// from their b-bit signatures: the share of equal values, corrected for
// chance agreement.
func similarity(a, b *short) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	const chance = 1.0 / 256
	return max(0, (float64(n)/NumHashes-chance)/(1-chance))
}

// Similarity estimates the Jaccard similarity of the shingle sets behind
// two signatures.
func Similarity(a, b Signature) float64 {
	if a.Empty() || b.Empty() {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}

// MarshalBinary encodes the signature as 4*NumHashes little-endian bytes.
func (s *Signature) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 4*NumHashes)
	for _, v := range s {
		b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote.
func (s *Signature) UnmarshalBinary(b []byte) error {
	if len(b) != 4*NumHashes {
		return errBadSignature
	}
	for i := range s {
		s[i] = uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24
	}
	return nil
}
