package dashboard

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

func netVerdict(id, site, city, body string, phones ...string) ad.Verdict {
	v := ad.Verdict{V: ad.Version, Score: 60, Band: ad.BandMedium, RulePack: "test",
		Ad: ad.Ad{V: ad.Version, ID: id, Site: site, URL: "https://example.org/" + id, Kind: ad.KindJob,
			Title: "Работа", Body: body, Location: city, Posted: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}}
	v.Ad.ContentHash = v.Ad.Hash()
	v.Entities.Phones = phones
	return v
}

const netTmpl = "Срочно требуются девушки на должность хостес в Дубае. Официальное трудоустройство, жильё бесплатно. " +
	"Зарплата от %s долларов в месяц. Возраст до 25 лет. Визу и билеты оплачиваем. Звоните, спросить %s."

func netFill(salary, name string) string {
	return strings.Replace(strings.Replace(netTmpl, "%s", salary, 1), "%s", name, 1)
}

func netStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// netFeed stores and assigns verdicts, as the indexer hook does.
func netFeed(t *testing.T, st *store.Store, e *network.Engine, vs ...ad.Verdict) []network.Assignment {
	t.Helper()
	var out []network.Assignment
	for _, v := range vs {
		if _, err := st.Upsert(context.Background(), v); err != nil {
			t.Fatal(err)
		}
		a, err := e.Add(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// netRegion scores an ad at location loc with c and returns its region,
// as the pipeline sets it before the engine sees the verdict.
func netRegion(t *testing.T, c *classifier.Classifier, loc string) string {
	t.Helper()
	v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "x", Site: "s", Kind: ad.KindJob,
		Title: "Работа", Body: "Работа за границей", Location: loc})
	return v.Entities.Region
}

func netClassifier(t *testing.T) *classifier.Classifier {
	t.Helper()
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := classifier.New(p, classifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestViews(t *testing.T) {
	ctx := context.Background()
	st := netStore(t)
	e, _ := network.New(ctx, network.Options{Store: st.Networks()})
	names := []string{"Ольгу", "Марину", "Наташу", "Свету", "Иру", "Лену"}
	for i, n := range names {
		v := netVerdict("d"+string(rune('0'+i)), "s"+string(rune('0'+i%2)), []string{"Москва", "Казань", "Самара"}[i%3], netFill("3000", n), "+79005556677")
		v.Ad.Posted = time.Date(2026, 3, 1, i, 0, 0, 0, time.UTC)
		netFeed(t, st, e, v)
	}
	if _, err := st.Apply(ctx, store.Change{AdIDs: []string{"d0"}, Actor: "ana", Status: store.StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
	vw := NewNetworkViews(st.Networks(), st, network.Weights{})
	cv, err := vw.Cluster(ctx, "d0")
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Ads) != 6 || len(cv.ContactList) != 1 || cv.ContactList[0].Ads != 6 || len(cv.ContactList[0].Cities) != 3 {
		t.Errorf("cluster view: %d ads, contacts %+v", len(cv.Ads), cv.ContactList)
	}
	// Every feature fires: contact in 6 ads and 3 cities, a confirmed
	// ad, 6 ads in 5 hours.
	if cv.Network.Score != 100 {
		t.Errorf("network score %v: %+v", cv.Network.Score, cv.Network.Features)
	}
	var varying []string
	for _, p := range cv.Representative.Pieces {
		if p.Varies {
			varying = append(varying, p.Text)
		}
	}
	if len(varying) != 1 || !strings.HasPrefix(varying[0], "О") && !strings.HasPrefix(varying[0], "М") && !strings.HasPrefix(varying[0], "Н") {
		t.Errorf("varying pieces = %q, want only the name", varying)
	}
	if len(cv.Graph.Ads) != 6 || len(cv.Graph.Uses) != 6 || len(cv.Graph.Templates) != 5 {
		t.Errorf("graph: %d ads, %d uses, %d template edges", len(cv.Graph.Ads), len(cv.Graph.Uses), len(cv.Graph.Templates))
	}
	av, err := vw.Ad(ctx, "d0")
	if err != nil || av.Cluster != "d0" || av.Size != 6 {
		t.Fatalf("ad view = %+v, %v", av, err)
	}
	for _, f := range av.Network.Features {
		if f.Name == "confirmed" && f.Fired {
			t.Errorf("d0's own confirmation counts for itself: %+v", f)
		}
	}
	rows, total, err := vw.Clusters(ctx, store.ClusterFilter{})
	if err != nil || total != 1 || len(rows) != 1 || rows[0].Size != 6 {
		t.Errorf("clusters = %+v, %d, %v", rows, total, err)
	}
}

// TestContactCitiesAcrossScripts: one phone in three ads of one city
// written in three scripts is one city, in three cities three.
func TestContactCitiesAcrossScripts(t *testing.T) {
	c := netClassifier(t)
	for _, tc := range []struct {
		name   string
		locs   []string
		cities int
		fires  bool
	}{
		{"one city in three scripts", []string{"Київ", "Киев", "Kyiv"}, 1, false},
		{"three cities", []string{"Київ", "Одесса", "Chișinău"}, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := netStore(t)
			e, err := network.New(ctx, network.Options{Store: st.Networks()})
			if err != nil {
				t.Fatal(err)
			}
			for i, loc := range tc.locs {
				v := netVerdict("c"+string(rune('0'+i)), "s", loc, netFill("3000", []string{"Ольгу", "Марину", "Наташу"}[i]), "+380441234567")
				v.Ad.Posted = time.Date(2026, 3, 1+3*i, 0, 0, 0, 0, time.UTC) // no burst
				v.Entities.Region = netRegion(t, c, loc)
				netFeed(t, st, e, v)
			}
			cv, err := NewNetworkViews(st.Networks(), st, network.Weights{}).Cluster(ctx, "c0")
			if err != nil {
				t.Fatal(err)
			}
			if len(cv.ContactList) != 1 || len(cv.ContactList[0].Cities) != tc.cities || cv.Cities != tc.cities {
				t.Fatalf("cluster of %d cities, contacts %+v; want %d cities", cv.Cities, cv.ContactList, tc.cities)
			}
			for _, f := range cv.Network.Features {
				if f.Name == "contact_cities" && f.Fired != tc.fires {
					t.Errorf("contact_cities fired = %v, want %v (%s)", f.Fired, tc.fires, f.Detail)
				}
			}
		})
	}
}
