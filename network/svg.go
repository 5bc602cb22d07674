package network

import (
	"math"

	"github.com/lurewatch/lure/store"
)

// Graph is a drawing of a cluster: ads on an outer ring, contacts on an
// inner ring, a line for each ad using a contact and a dashed line from
// each ad to the most similar earlier ad of its template. Coordinates are
// for an SVG view box of Size×Size.
type Graph struct {
	Size      float64
	Ads       []Node
	Contacts  []Node
	Uses      []Edge
	Templates []Edge
	// HiddenAds and HiddenContacts count what did not fit.
	HiddenAds, HiddenContacts int
}

// Node is one ad or contact.
type Node struct {
	X, Y  float64
	ID    string // ad ID or contact value
	Label string
	Class string // the ad's band, or the contact's kind
}

// Edge is a line between two nodes.
type Edge struct{ X1, Y1, X2, Y2 float64 }

// Limits of the graph.
const (
	graphSize     = 640.0
	graphAds      = 60
	graphContacts = 24
)

func ring(n int, r float64, i int) (float64, float64) {
	a := 2*math.Pi*float64(i)/float64(max(n, 1)) - math.Pi/2
	c := graphSize / 2
	return math.Round((c+r*math.Cos(a))*10) / 10, math.Round((c+r*math.Sin(a))*10) / 10
}

func layout(ads []store.ClusterAd, contacts []store.ContactSummary, ms []Member, threshold float64) Graph {
	g := Graph{Size: graphSize}
	shownAds := ads
	if len(shownAds) > graphAds {
		shownAds, g.HiddenAds = shownAds[:graphAds], len(shownAds)-graphAds
	}
	shownC := contacts
	if len(shownC) > graphContacts {
		shownC, g.HiddenContacts = shownC[:graphContacts], len(shownC)-graphContacts
	}
	pos := map[string]int{}
	for i, a := range shownAds {
		x, y := ring(len(shownAds), 270, i)
		pos[a.ID] = i
		g.Ads = append(g.Ads, Node{X: x, Y: y, ID: a.ID, Label: a.Title, Class: "band-" + string(a.Band)})
	}
	r := 120.0
	if len(shownC) == 1 {
		r = 0
	}
	for i, c := range shownC {
		x, y := ring(len(shownC), r, i)
		g.Contacts = append(g.Contacts, Node{X: x, Y: y, ID: c.Value, Label: c.Value, Class: c.Kind})
		for _, id := range c.AdIDs {
			if j, ok := pos[id]; ok {
				g.Uses = append(g.Uses, Edge{x, y, g.Ads[j].X, g.Ads[j].Y})
			}
		}
	}
	sets := make([]map[uint64]bool, len(ms))
	for i, m := range ms {
		sets[i] = map[uint64]bool{}
		for _, s := range Shingles(Tokens(m.Title, m.Body, m.Location)) {
			sets[i][s] = true
		}
	}
	for i := range ms {
		bi, best := -1, threshold
		for j := 0; j < i; j++ {
			if s := jaccard(sets[i], sets[j]); s >= best {
				bi, best = j, s
			}
		}
		a, okA := pos[ms[i].ID]
		if bi < 0 || !okA {
			continue
		}
		if b, ok := pos[ms[bi].ID]; ok {
			g.Templates = append(g.Templates, Edge{g.Ads[a].X, g.Ads[a].Y, g.Ads[b].X, g.Ads[b].Y})
		}
	}
	return g
}
