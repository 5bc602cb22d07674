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
		{"/ads/low1", nil, []string{`id="known"`, "known to"}},
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
}
