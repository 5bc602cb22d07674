package dashboard

import (
	"fmt"
	"math"

	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// Graph is a drawing of a cluster: ads on an outer ring, contacts on an
// inner ring, a line for each ad using a contact and a dashed line from
// each ad to the most similar earlier ad of its template. Coordinates are
// for an SVG view box of Size×Size, widened by View for the nodes' labels.
type Graph struct {
	Size float64
	// View is the SVG view box, "minX minY width height": the Size×Size
	// square with room around it for the labels of the ads.
	View      string
	Ads       []GraphNode
	Contacts  []GraphNode
	Uses      []GraphEdge
	Templates []GraphEdge
	// HiddenAds and HiddenContacts count what did not fit.
	HiddenAds, HiddenContacts int
}

// GraphNode is one ad or contact.
type GraphNode struct {
	X, Y  float64
	ID    string // ad ID or contact value
	Label string // the ad's title, or the contact's value
	Class string // the ad's band, or the contact's kind
	// Site and City are the ad's; "" for a contact.
	Site, City string
	// LX and LY place the first line of the node's label, away from the
	// rings, anchored at Anchor (an SVG text-anchor: start, middle, end).
	// A label has labelLines lines for an ad, one for a contact.
	LX, LY float64
	Anchor string
}

// GraphEdge is a line between two nodes.
type GraphEdge struct{ X1, Y1, X2, Y2 float64 }

// Limits of the graph.
const (
	graphSize     = 640.0
	graphAds      = 60
	graphContacts = 24
)

// Label geometry: the gap between a node and its label, the height of a
// line (the dashboard's cluster.html sets it as the second line's dy),
// the lines of an ad's label, and the margin of the view box around
// the graph's square (labels of ads on the left and right run into it).
const (
	labelGap   = 14.0
	lineHeight = 14.0
	labelLines = 2
	viewPadX   = 170.0
	viewPadY   = 30.0
)

func ring(n int, r float64, i int) (float64, float64) {
	a := angle(n, i)
	c := graphSize / 2
	return round1(c + r*math.Cos(a)), round1(c + r*math.Sin(a))
}

func angle(n, i int) float64 { return 2*math.Pi*float64(i)/float64(max(n, 1)) - math.Pi/2 }

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// label places the label of node i of n on a ring of radius r just
// outside it: to the right of nodes on the right, to the left of those on
// the left, above the top and below the bottom. A node alone at the
// centre (r 0) has its label below it.
func label(n int, r float64, i, lines int) (x, y float64, anchor string) {
	c := graphSize / 2
	if r == 0 {
		return c, round1(c + labelGap + lineHeight/2), "middle"
	}
	a := angle(n, i)
	cos, sin := math.Cos(a), math.Sin(a)
	x, y = c+(r+labelGap)*cos, c+(r+labelGap)*sin
	switch {
	case cos > 0.25:
		anchor = "start"
	case cos < -0.25:
		anchor = "end"
	default:
		anchor = "middle"
	}
	extra := float64(lines-1) * lineHeight
	switch {
	case sin < -0.6: // above: the last line ends at the gap
		y -= extra
	case sin > 0.6: // below: the first line's letters start at the gap
		y += lineHeight * 0.8
	default: // beside: the lines centred on the node's height
		y += lineHeight*0.35 - extra/2
	}
	return round1(x), round1(y), anchor
}

func layout(ads []store.ClusterAd, contacts []store.ContactSummary, ms []Member, threshold float64) Graph {
	g := Graph{Size: graphSize, View: fmt.Sprintf("%g %g %g %g", -viewPadX, -viewPadY, graphSize+2*viewPadX, graphSize+2*viewPadY)}
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
		lx, ly, anchor := label(len(shownAds), 270, i, labelLines)
		pos[a.ID] = i
		g.Ads = append(g.Ads, GraphNode{X: x, Y: y, ID: a.ID, Label: a.Title, Class: "band-" + string(a.Band),
			Site: a.Site, City: a.City, LX: lx, LY: ly, Anchor: anchor})
	}
	r := 120.0
	if len(shownC) == 1 {
		r = 0
	}
	for i, c := range shownC {
		x, y := ring(len(shownC), r, i)
		lx, ly, anchor := label(len(shownC), r, i, 1)
		g.Contacts = append(g.Contacts, GraphNode{X: x, Y: y, ID: c.Value, Label: c.Value, Class: c.Kind, LX: lx, LY: ly, Anchor: anchor})
		for _, id := range c.AdIDs {
			if j, ok := pos[id]; ok {
				g.Uses = append(g.Uses, GraphEdge{x, y, g.Ads[j].X, g.Ads[j].Y})
			}
		}
	}
	sets := make([]map[uint64]bool, len(ms))
	for i, m := range ms {
		sets[i] = map[uint64]bool{}
		for _, s := range network.Shingles(network.Tokens(m.Title, m.Body, m.Location)) {
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
			g.Templates = append(g.Templates, GraphEdge{g.Ads[a].X, g.Ads[a].Y, g.Ads[b].X, g.Ads[b].Y})
		}
	}
	return g
}
