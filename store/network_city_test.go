package store

import (
	"context"
	"testing"
	"time"
)

func TestBackfillNetworkCities(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	// Three ads of one cluster and one phone, saved with the old
	// location-text cities: Kyiv in three scripts and a place the
	// gazetteer does not know.
	for i, tc := range []struct{ id, region, city string }{
		{"k1", "UA/Kyiv", "київ"},
		{"k2", "UA/Kyiv", "киев"},
		{"k3", "UA", "бровары"}, // a bare country code is not a city
	} {
		v := verdict(tc.id, "site", 50, true, t0)
		v.Entities.Region = tc.region
		if _, err := s.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		a := NetworkAd{AdID: tc.id, Seq: int64(i + 1), ContentHash: "h" + tc.id, Site: "site", City: tc.city,
			Seen: t0, Cluster: "k1", Contacts: []NetworkContact{{Value: "+380441234567", Kind: "phone"}}}
		if err := s.Networks().SaveNetworkAd(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := s.Networks().Cluster(ctx, "k1"); err != nil || c.Cities != 3 {
		t.Fatalf("before: cluster = %+v, %v", c, err)
	}
	for _, tc := range []struct {
		name    string
		changed int
	}{{"first run", 2}, {"second run changes nothing", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := s.Networks().BackfillNetworkCities(ctx)
			if err != nil || n != tc.changed {
				t.Fatalf("backfill = %d, %v; want %d", n, err, tc.changed)
			}
			c, err := s.Networks().Cluster(ctx, "k1")
			if err != nil || c.Cities != 2 {
				t.Errorf("cluster = %+v, %v; want 2 cities", c, err)
			}
			cs, err := s.Networks().ClusterContacts(ctx, "k1")
			if err != nil || len(cs) != 1 || len(cs[0].Cities) != 2 {
				t.Fatalf("contacts = %+v, %v", cs, err)
			}
			got := map[string]bool{}
			for _, city := range cs[0].Cities {
				got[city] = true
			}
			if !got["UA/Kyiv"] || !got["бровары"] {
				t.Errorf("contact cities = %q, want UA/Kyiv and бровары", cs[0].Cities)
			}
		})
	}
}
