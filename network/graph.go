package network

import (
	"errors"
	"sort"
)

var errBadSignature = errors.New("network: stored signature has the wrong length")

// DefaultThreshold is the estimated Jaccard similarity of masked shingles
// above which two ads are near-duplicates of one template.
const DefaultThreshold = 0.55

// Link says why an ad joined a cluster.
type Link struct {
	// Via is "contact" or "template".
	Via string `json:"via"`
	// With is the ad ID it was linked to.
	With string `json:"with"`
	// Contact is the shared contact (Via "contact").
	Contact string `json:"contact,omitempty"`
	// Similarity is the estimated Jaccard similarity (Via "template").
	Similarity float64 `json:"similarity,omitempty"`
}

// Assignment is where an ad landed.
type Assignment struct {
	AdID string `json:"ad_id"`
	// Cluster is the cluster ID: the ID of the cluster's first ad.
	Cluster string `json:"cluster"`
	// Size is the number of ads in the cluster.
	Size int `json:"size"`
	// Merged lists the cluster IDs this ad joined into Cluster.
	Merged []string `json:"merged,omitempty"`
	// Links are the new links the ad made.
	Links []Link `json:"links,omitempty"`
	// Replay is true when the ad was already assigned with this content.
	Replay bool `json:"replay,omitempty"`
}

// graph is the in-memory state: LSH buckets, the contact index and a
// union-find forest over ads numbered in arrival order. It is not safe
// for concurrent use.
//
// Everything the engine holds per ad is pointer-free (IDs live in one
// byte arena, maps are keyed by 64-bit hashes), so that the garbage
// collector does not scan a million strings on every cycle.
type graph struct {
	threshold float64
	ids       map[uint64]int32 // hash of the ad ID → ad
	clash     map[string]int32 // ads whose ID hash was taken already
	arena     []byte           // every ad ID, concatenated
	ends      []uint32         // ad i's ID is arena[ends[i-1]:ends[i]]
	hashes    []uint64         // content hash of each ad
	sigs      []short
	parent    []int32
	size      []int32          // valid at roots
	label     []int32          // valid at roots: the cluster's first ad
	bands     map[uint32]int32 // LSH bucket → its first ad
	contacts  map[uint64]int32 // hash of the contact → its first ad
}

func newGraph(threshold float64) *graph {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	return &graph{threshold: threshold, ids: map[uint64]int32{}, clash: map[string]int32{},
		bands: map[uint32]int32{}, contacts: map[uint64]int32{}}
}

// Len returns the number of ads in the graph.
func (g *graph) Len() int { return len(g.ends) }

// idOf returns the ID of ad i.
func (g *graph) idOf(i int32) string {
	start := uint32(0)
	if i > 0 {
		start = g.ends[i-1]
	}
	return string(g.arena[start:g.ends[i]])
}

// lookup returns the number of the ad with this ID.
func (g *graph) lookup(id string) (int32, bool) {
	if i, ok := g.ids[hashOf(id)]; ok && g.idOf(i) == id {
		return i, true
	}
	i, ok := g.clash[id]
	return i, ok
}

// push adds an ad ID and returns its number.
func (g *graph) push(id string) int32 {
	i := int32(len(g.ends))
	g.arena = append(g.arena, id...)
	g.ends = append(g.ends, uint32(len(g.arena)))
	if _, taken := g.ids[hashOf(id)]; taken {
		g.clash[id] = i
	} else {
		g.ids[hashOf(id)] = i
	}
	return i
}

func (g *graph) find(i int32) int32 {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

// union joins the clusters of a and b and returns the label of the one
// that was absorbed, or -1 when they were one already.
func (g *graph) union(a, b int32) int32 {
	ra, rb := g.find(a), g.find(b)
	if ra == rb {
		return -1
	}
	if g.size[ra] < g.size[rb] {
		ra, rb = rb, ra
	}
	g.parent[rb] = ra
	g.size[ra] += g.size[rb]
	lost := g.label[rb]
	if lost < g.label[ra] {
		lost, g.label[ra] = g.label[ra], lost
	}
	return lost
}

// clusterOf returns the cluster ID and size of ad i.
func (g *graph) clusterOf(i int32) (string, int) {
	r := g.find(i)
	return g.idOf(g.label[r]), int(g.size[r])
}

// add assigns one ad: hash is its content hash, sig its signature, cs its
// contact keys.
func (g *graph) add(id string, hash uint64, sig *Signature, cs []string) Assignment {
	i, ok := g.lookup(id)
	if ok && g.hashes[i] == hash {
		c, n := g.clusterOf(i)
		return Assignment{AdID: id, Cluster: c, Size: n, Replay: true}
	}
	if !ok {
		i = g.push(id)
		g.hashes = append(g.hashes, hash)
		g.sigs = append(g.sigs, short{})
		g.parent = append(g.parent, i)
		g.size = append(g.size, 1)
		g.label = append(g.label, i)
	}
	g.hashes[i] = hash
	var a Assignment
	join := func(j int32, l Link) {
		if lost := g.union(i, j); lost >= 0 {
			l.With = g.idOf(j)
			a.Links = append(a.Links, l)
			a.Merged = append(a.Merged, g.idOf(lost))
		}
	}
	if !sig.Empty() {
		g.sigs[i] = sig.short()
		for _, k := range sig.bandKeys() {
			j, seen := g.bands[k]
			if !seen {
				g.bands[k] = i
				continue
			}
			if j == i || g.find(j) == g.find(i) {
				continue
			}
			if s := similarity(&g.sigs[i], &g.sigs[j]); s >= g.threshold {
				join(j, Link{Via: "template", Similarity: s})
			}
		}
	}
	for _, c := range cs {
		// A 64-bit hash stands for the contact; a collision would link
		// two ads wrongly with odds of about n²/2⁶⁵.
		h := hashOf(c)
		j, seen := g.contacts[h]
		if !seen {
			g.contacts[h] = i
			continue
		}
		if j != i {
			join(j, Link{Via: "contact", Contact: c})
		}
	}
	a.AdID = id
	a.Cluster, a.Size = g.clusterOf(i)
	// The ad's own old cluster ID is not "merged" into anything when it
	// is the surviving label.
	a.Merged = removeString(a.Merged, a.Cluster)
	if !ok {
		a.Merged = removeString(a.Merged, id) // a new ad was no cluster yet
	}
	sort.Strings(a.Merged)
	return a
}

func removeString(ss []string, s string) []string {
	out := ss[:0]
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
