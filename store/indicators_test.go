package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// indicatorStore holds two ads the network engine saw: x1 with a phone,
// x2 with an e-mail.
func indicatorStore(t *testing.T) *Store {
	t.Helper()
	s, _ := openTemp(t)
	ctx := context.Background()
	for i, c := range []NetworkContact{{Value: "+380671112233", Kind: "phone"}, {Value: "hr@example.com", Kind: "email"}} {
		id := []string{"x1", "x2"}[i]
		v := ad.Verdict{V: ad.Version, Ad: ad.Ad{V: ad.Version, ID: id, Site: "s", URL: "https://s/" + id, Kind: ad.KindJob, Title: "t"}.WithHash(),
			Score: 60, Band: ad.BandMedium, Flagged: true, RulePack: "p"}
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := s.Networks().SaveNetworkAd(ctx, NetworkAd{AdID: id, Seq: int64(i + 1), ContentHash: v.Ad.ContentHash, Site: "s",
			City: "UA/Kyiv", Seen: time.Date(2026, 5, 1+i, 0, 0, 0, 0, time.UTC), Contacts: []NetworkContact{c}, Cluster: id}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestImportIndicators(t *testing.T) {
	ctx := context.Background()
	s := indicatorStore(t)
	d1, d5 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	p := PartnerIndicator{Partner: "P", TLP: "green", Kind: IndicatorPhone, Value: "+380671112233", FirstSeen: d1, LastSeen: d1, Sites: []string{"a"}, Ads: 1}
	res, err := s.ImportIndicators(ctx, "ana", []PartnerIndicator{p}, map[string]any{"source": "f.json"})
	if err != nil || res.Added != 1 || res.Updated != 0 {
		t.Fatalf("first import %+v %v", res, err)
	}
	if res, err = s.ImportIndicators(ctx, "ana", []PartnerIndicator{p}, nil); err != nil || res.Added != 0 || res.Updated != 0 {
		t.Errorf("same again %+v %v", res, err)
	}
	// A later sighting widens the period and raises the count; TLP follows
	// the newest file.
	q := p
	q.LastSeen, q.FirstSeen, q.Ads, q.TLP = d5, d5, 3, "red"
	if res, err = s.ImportIndicators(ctx, "ana", []PartnerIndicator{q}, nil); err != nil || res.Updated != 1 {
		t.Errorf("wider %+v %v", res, err)
	}
	got, err := s.PartnerIndicators(ctx, "P", 0)
	if err != nil || len(got) != 1 || !got[0].FirstSeen.Equal(d1) || !got[0].LastSeen.Equal(d5) || got[0].Ads != 3 || got[0].TLP != "red" {
		t.Errorf("stored %+v %v", got, err)
	}
	// One bad indicator refuses the batch: nothing of it is written.
	bad := []PartnerIndicator{{Partner: "Q", TLP: "amber", Kind: IndicatorEmail, Value: "hr@example.com"}, {Partner: "Q", TLP: "purple", Kind: IndicatorEmail, Value: "x@y.z"}}
	if _, err := s.ImportIndicators(ctx, "ana", bad, nil); err == nil || !strings.Contains(err.Error(), "indicator 1") {
		t.Errorf("bad batch: %v", err)
	}
	if got, _ := s.PartnerIndicators(ctx, "Q", 0); len(got) != 0 {
		t.Errorf("bad batch wrote %+v", got)
	}
	es, _, err := s.AuditLog(ctx, AuditFilter{Action: "indicators_import"})
	if err != nil || len(es) != 3 || !strings.Contains(es[2].After, `"source":"f.json"`) || !strings.Contains(es[2].After, `"added":1`) {
		t.Errorf("audit %+v %v", es, err)
	}
	ks, err := s.KnownTo(ctx, "x1")
	if err != nil || len(ks) != 1 || ks[0].Partner != "P" || ks[0].Kinds[0] != "phone" || ks[0].TLP != "red" {
		t.Errorf("x1 known to %+v %v", ks, err)
	}
	if ks, err := s.KnownTo(ctx, "x2"); err != nil || len(ks) != 0 {
		t.Errorf("x2 known to %+v %v", ks, err)
	}
	// A hashed indicator matches once its hash is linked to the ad.
	if _, err := s.ImportIndicators(ctx, "ana", []PartnerIndicator{{Partner: "Q", TLP: "amber", Kind: IndicatorEmail, Hashed: true,
		Value: strings.Repeat("ab", 32)}}, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SaveIndicatorMatches(ctx, []AdHash{{AdID: "x2", Hash: strings.Repeat("ab", 32)}, {AdID: "gone", Hash: "h"}}, nil); err != nil || n != 1 {
		t.Errorf("save matches %d %v", n, err)
	}
	vs, n, err := s.List(ctx, Filter{Known: true})
	if err != nil || n != 2 || len(vs) != 2 {
		t.Errorf("known filter %d %v", n, err)
	}
	if ps, err := s.Partners(ctx); err != nil || len(ps) != 2 || ps[0].KnownAds != 1 || ps[1].ByKind[IndicatorEmail] != 1 {
		t.Errorf("partners %+v %v", ps, err)
	}
}

func TestConfirmedContacts(t *testing.T) {
	ctx := context.Background()
	s := indicatorStore(t)
	if cs, err := s.Networks().ConfirmedContacts(ctx, 10); err != nil || len(cs) != 0 {
		t.Fatalf("nothing confirmed: %+v %v", cs, err)
	}
	if _, err := s.Apply(ctx, Change{AdIDs: []string{"x1"}, Actor: "ana", Status: StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Networks().ConfirmedContacts(ctx, 10)
	if err != nil || len(cs) != 1 || cs[0].Value != "+380671112233" || cs[0].Confirmed != 1 || cs[0].Ads != 1 ||
		len(cs[0].Countries) != 1 || cs[0].Countries[0] != "UA" {
		t.Errorf("confirmed %+v %v", cs, err)
	}
}
