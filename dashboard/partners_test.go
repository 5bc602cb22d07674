package dashboard

import (
	"context"
	"strings"
	"testing"

	"github.com/lurewatch/lure/store"
)

func TestKnownToPartners(t *testing.T) {
	f := networkFixture(t)
	if _, err := f.store.ImportIndicators(context.Background(), "test", []store.PartnerIndicator{
		{Partner: "Partner <NGO>", TLP: "amber", Kind: store.IndicatorPhone, Value: "+79001234567"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path      string
		want, not []string
	}{
		{"/ads/net2", []string{`id="known"`, "Partner &lt;NGO&gt;", "TLP:amber", "shared phone of this ad", "known to 1 partner"}, nil},
		{"/ads/low1", nil, []string{`id="known"`, "known to 1 partner"}},
		{"/clusters/net1", []string{"Known to partners", "Partner &lt;NGO&gt;", "3 ads by phone"}, nil},
		{"/?known=1", []string{`href="/ads/net1"`, `href="/ads/net3"`, `<option value="1" selected>Known to a partner`}, []string{`href="/ads/ru1"`}},
		{"/", []string{`href="/ads/net1"`, `href="/ads/ru1"`}, nil},
	} {
		resp, body := f.get(t, tc.path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", tc.path, resp.StatusCode)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", tc.path, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(body, w) {
				t.Errorf("GET %s: has %q", tc.path, w)
			}
		}
	}
	// The network score counts it: 40 for the shared phone in three
	// cities, 30 for the partner.
	var one ClusterView
	f.getJSON(t, "/api/v1/clusters/net1", 200, &one)
	if one.Network.Score != 70 {
		t.Errorf("network score %v: %+v", one.Network.Score, one.Network.Features)
	}
	var list struct {
		Total int `json:"total"`
	}
	f.getJSON(t, "/api/v1/ads?known=1", 200, &list)
	if list.Total != 3 {
		t.Errorf("api known=1: %d ads", list.Total)
	}
}
