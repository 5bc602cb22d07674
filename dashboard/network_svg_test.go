package dashboard

import (
	"fmt"
	"testing"

	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// Labels sit outside the rings, on the side of their node away from the
// centre, inside the view box.
func TestLayoutPlacesLabels(t *testing.T) {
	var ads []store.ClusterAd
	for i := range 4 {
		ads = append(ads, store.ClusterAd{ID: fmt.Sprint("a", i), Title: "t", Site: "s", City: "c"})
	}
	g := layout(ads, []store.ContactSummary{{Value: "+79001234567", Kind: "phone", AdIDs: []string{"a0"}}}, nil, network.DefaultThreshold)
	var minX, minY, w, h float64
	if _, err := fmt.Sscanf(g.View, "%g %g %g %g", &minX, &minY, &w, &h); err != nil {
		t.Fatalf("view %q: %v", g.View, err)
	}
	for i, want := range []struct {
		anchor string
		side   func(n GraphNode) bool
	}{
		{"middle", func(n GraphNode) bool { return n.LY < n.Y }}, // top
		{"start", func(n GraphNode) bool { return n.LX > n.X }},  // right
		{"middle", func(n GraphNode) bool { return n.LY > n.Y }}, // bottom
		{"end", func(n GraphNode) bool { return n.LX < n.X }},    // left
	} {
		n := g.Ads[i]
		if n.Anchor != want.anchor || !want.side(n) {
			t.Errorf("ad %d at (%v, %v): label at (%v, %v) anchored %s, want %s away from the centre", i, n.X, n.Y, n.LX, n.LY, n.Anchor, want.anchor)
		}
		if n.Site != "s" || n.City != "c" {
			t.Errorf("ad %d: site %q, city %q", i, n.Site, n.City)
		}
		if n.LX < minX || n.LX > minX+w || n.LY-lineHeight < minY || n.LY+lineHeight*labelLines > minY+h {
			t.Errorf("ad %d: label at (%v, %v) outside the view %s", i, n.LX, n.LY, g.View)
		}
	}
	if c := g.Contacts[0]; c.Anchor != "middle" || c.LY <= c.Y || c.LX != c.X {
		t.Errorf("lone contact at (%v, %v): label at (%v, %v) %s, want centred below", c.X, c.Y, c.LX, c.LY, c.Anchor)
	}
}
