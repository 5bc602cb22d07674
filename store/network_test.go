package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestNetworkStore(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"n1", "n2", "n3", "n4"} {
		if _, err := s.Upsert(ctx, verdict(id, "site"+id, float64(10*(i+1)), true, t0)); err != nil {
			t.Fatal(err)
		}
	}
	backlog, err := s.Networks().NetworkBacklog(ctx, 0)
	if err != nil || len(backlog) != 4 {
		t.Fatalf("backlog = %d, %v", len(backlog), err)
	}
	save := func(id, cluster, city string, seq int64, merged []string, contacts ...string) {
		t.Helper()
		a := NetworkAd{AdID: id, Seq: seq, ContentHash: "h" + id, Site: "site" + id, City: city,
			Seen: t0.Add(time.Duration(seq) * time.Hour), Score: float64(seq), Cluster: cluster, Signature: []byte{1, 2}}
		for _, c := range contacts {
			a.Contacts = append(a.Contacts, NetworkContact{Value: c, Kind: "phone"})
		}
		if err := s.Networks().SaveNetworkAd(ctx, a, merged); err != nil {
			t.Fatal(err)
		}
	}
	save("n1", "n1", "kyiv", 1, nil, "+1")
	save("n2", "n1", "lviv", 2, nil, "+1")
	save("n3", "n3", "odesa", 3, nil, "+2")
	save("n4", "n3", "", 4, nil, "+2")
	save("n4", "n3", "", 4, nil, "+2") // idempotent
	if cs, total, err := s.Networks().Clusters(ctx, ClusterFilter{}); err != nil || total != 2 || cs[0].Size != 2 {
		t.Fatalf("clusters = %+v, %d, %v", cs, total, err)
	}
	// n4 learns +1 too: n3's cluster merges into n1's.
	save("n4", "n1", "", 4, []string{"n3"}, "+1")
	for _, tc := range []struct {
		name string
		f    ClusterFilter
		want []string
		err  bool
	}{
		{"by size", ClusterFilter{}, []string{"n1"}, false},
		{"by risk", ClusterFilter{Sort: ClusterByRisk}, []string{"n1"}, false},
		{"min size", ClusterFilter{MinSize: 5}, nil, false},
		{"bad order", ClusterFilter{Sort: "name; DROP TABLE ads"}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, _, err := s.Networks().Clusters(ctx, tc.f)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.ID)
			}
			if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
				t.Errorf("clusters = %v, want %v", got, tc.want)
			}
		})
	}
	c, err := s.Networks().Cluster(ctx, "n1")
	if err != nil || c.Size != 4 || c.Cities != 3 || c.Contacts != 2 || c.MaxScore != 4 || !c.FirstSeen.Equal(t0.Add(time.Hour)) {
		t.Errorf("cluster n1 = %+v, %v", c, err)
	}
	if _, err := s.Networks().Cluster(ctx, "n3"); !errors.Is(err, ErrNoCluster) {
		t.Errorf("merged cluster n3: %v", err)
	}
	cs, err := s.Networks().ClusterContacts(ctx, "n1")
	if err != nil || len(cs) != 2 || cs[0].Value != "+1" || cs[0].Ads != 3 || len(cs[0].Cities) != 2 || len(cs[0].AdIDs) != 3 {
		t.Errorf("contacts = %+v, %v", cs, err)
	}
	if ts, err := s.Networks().ClusterTimes(ctx, "n1"); err != nil || len(ts) != 4 || !ts[0].Before(ts[3]) {
		t.Errorf("times = %v, %v", ts, err)
	}
	// Relabelling (as at resume) moves ads and rewrites both summaries.
	if err := s.Networks().RelabelNetwork(ctx, map[string]string{"n3": "n3", "n4": "n3"}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Networks().Cluster(ctx, "n3"); err != nil || c.Size != 2 {
		t.Errorf("after relabel n3 = %+v, %v", c, err)
	}
	if id, size, err := s.Networks().ClusterOf(ctx, "n4"); err != nil || id != "n3" || size != 2 {
		t.Errorf("ClusterOf(n4) = %s, %d, %v", id, size, err)
	}
	if _, _, err := s.Networks().ClusterOf(ctx, "nope"); !errors.Is(err, ErrNoCluster) {
		t.Errorf("ClusterOf(nope) = %v", err)
	}
	var loaded []string
	if err := s.Networks().LoadNetwork(ctx, func(a NetworkAd) error {
		loaded = append(loaded, a.AdID+":"+a.Cluster)
		if len(a.Signature) != 2 || len(a.Contacts) == 0 {
			t.Errorf("loaded %+v", a)
		}
		return nil
	}); err != nil || len(loaded) != 4 || loaded[0] != "n1:n1" || loaded[3] != "n4:n3" {
		t.Errorf("loaded %v, %v", loaded, err)
	}
	if backlog, _ := s.Networks().NetworkBacklog(ctx, 0); len(backlog) != 0 {
		t.Errorf("backlog after saving = %d", len(backlog))
	}
}

// TestNetworkSummaryIncremental checks that the in-place summary update
// of new ads agrees with a full recount.
func TestNetworkSummaryIncremental(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		site, city string
		hours      int
		score      float64
		contacts   []string
	}{
		{"a", "kyiv", 5, 10, []string{"+1"}},
		{"a", "kyiv", 6, 20, []string{"+1"}},      // summary created by a recount
		{"b", "kyiv", 1, 5, []string{"+1", "+2"}}, // new site, new contact, earlier
		{"b", "", 9, 90, nil},                     // no city, latest, riskiest
		{"c", "lviv", 3, 1, []string{"+2", "+3"}}, // new site and city, one new contact
		{"a", "lviv", 4, 2, []string{"+3", "+3"}}, // nothing new
	} {
		id := fmt.Sprintf("i%d", i)
		if _, err := s.Upsert(ctx, verdict(id, tc.site, 10, true, t0)); err != nil {
			t.Fatal(err)
		}
		a := NetworkAd{AdID: id, Seq: int64(i + 1), ContentHash: "h", Site: tc.site, City: tc.city,
			Seen: t0.Add(time.Duration(tc.hours) * time.Hour), Score: tc.score, Cluster: "i0"}
		for _, c := range tc.contacts {
			a.Contacts = append(a.Contacts, NetworkContact{Value: c, Kind: "phone"})
		}
		if err := s.Networks().SaveNetworkAd(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			continue
		}
		got, err := s.Networks().Cluster(ctx, "i0")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Networks().RelabelNetwork(ctx, map[string]string{"i0": "i0"}); err != nil { // forces a recount
			t.Fatal(err)
		}
		want, _ := s.Networks().Cluster(ctx, "i0")
		if got != want {
			t.Errorf("after ad %d: incremental %+v\nrecounted %+v", i, got, want)
		}
	}
	c, _ := s.Networks().Cluster(ctx, "i0")
	if c.Size != 6 || c.Sites != 3 || c.Cities != 2 || c.Contacts != 3 || c.MaxScore != 90 ||
		!c.FirstSeen.Equal(t0.Add(time.Hour)) || !c.LastSeen.Equal(t0.Add(9*time.Hour)) {
		t.Errorf("final summary %+v", c)
	}
}
