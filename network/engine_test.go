package network

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

func verdict(id, site, city, body string, phones ...string) ad.Verdict {
	v := ad.Verdict{V: ad.Version, Score: 60, Band: ad.BandMedium, RulePack: "test",
		Ad: ad.Ad{V: ad.Version, ID: id, Site: site, URL: "https://example.org/" + id, Kind: ad.KindJob,
			Title: "Работа", Body: body, Location: city, Posted: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}}
	v.Ad.ContentHash = v.Ad.Hash()
	v.Entities.Phones = phones
	return v
}

const tmpl = "Срочно требуются девушки на должность хостес в Дубае. Официальное трудоустройство, жильё бесплатно. " +
	"Зарплата от %s долларов в месяц. Возраст до 25 лет. Визу и билеты оплачиваем. Звоните, спросить %s."

func fill(salary, name string) string {
	return strings.Replace(strings.Replace(tmpl, "%s", salary, 1), "%s", name, 1)
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// feed stores and assigns verdicts, as the indexer hook does.
func feed(t *testing.T, st *store.Store, e *Engine, vs ...ad.Verdict) []Assignment {
	t.Helper()
	var out []Assignment
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

func TestEngineLinks(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	e, err := New(ctx, Options{Store: st.Networks()})
	if err != nil {
		t.Fatal(err)
	}
	as := feed(t, st, e,
		verdict("a1", "s1", "Москва", fill("3000", "Ольгу"), "+79001112233"),
		verdict("a2", "s2", "Казань", fill("3500", "Марину")),                                 // template only
		verdict("a3", "s1", "Пермь", "Продаю диван, почти новый, самовывоз.", "+79001112233"), // contact only
		verdict("a4", "s3", "Омск", "Сдаётся квартира посуточно в центре города, чисто и уютно."),
	)
	for _, tc := range []struct {
		i       int
		cluster string
		size    int
	}{{0, "a1", 1}, {1, "a1", 2}, {2, "a1", 3}, {3, "a4", 1}} {
		if a := as[tc.i]; a.Cluster != tc.cluster || a.Size != tc.size {
			t.Errorf("ad %d: cluster %s size %d; want %s, %d (%+v)", tc.i, a.Cluster, a.Size, tc.cluster, tc.size, a)
		}
	}
	if l := as[1].Links; len(l) == 0 || l[0].Via != "template" {
		t.Errorf("a2 links = %+v, want a template link", l)
	}
	if l := as[2].Links; len(l) == 0 || l[0].Via != "contact" || l[0].Contact != "+79001112233" {
		t.Errorf("a3 links = %+v, want a contact link", l)
	}
	// A replay changes nothing.
	if a := feed(t, st, e, verdict("a2", "s2", "Казань", fill("3500", "Марину"))); !a[0].Replay || a[0].Cluster != "a1" {
		t.Errorf("replay = %+v", a[0])
	}
	// The store agrees, and a new engine resumes to the same clusters.
	c, err := st.Networks().Cluster(ctx, "a1")
	if err != nil || c.Size != 3 || c.Sites != 2 || c.Contacts != 1 {
		t.Fatalf("stored cluster = %+v, %v", c, err)
	}
	e2, err := New(ctx, Options{Store: st.Networks()})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Len() != 4 {
		t.Errorf("resumed %d ads, want 4", e2.Len())
	}
	if a := feed(t, st, e2, verdict("a5", "s4", "Самара", fill("2800", "Ирину")))[0]; a.Cluster != "a1" || a.Size != 4 {
		t.Errorf("after resume: %+v", a)
	}
	// A contact joins two clusters; the younger one is relabelled.
	as = feed(t, st, e2, verdict("a6", "s3", "Омск", "Ремонт квартир под ключ, недорого, гарантия.", "+79001112233", "+380501234567"))
	as = append(as, feed(t, st, e2, verdict("a7", "s3", "Омск", "Куплю старые монеты и значки, дорого.", "+380501234567"))...)
	if as[1].Cluster != "a1" || as[1].Size != 6 {
		t.Errorf("a7 = %+v", as[1])
	}
	cl, size, err := st.Networks().ClusterOf(ctx, "a7")
	if err != nil || cl != "a1" || size != 6 {
		t.Errorf("ClusterOf(a7) = %s, %d, %v", cl, size, err)
	}
}

func TestEngineMerge(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	e, _ := New(ctx, Options{Store: st.Networks()})
	as := feed(t, st, e,
		verdict("b1", "s1", "Львів", "Продам велосипед гірський, як новий.", "+380501111111"),
		verdict("b2", "s1", "Київ", "Шукаю няню для дитини, повний день.", "+380502222222"),
		verdict("b3", "s2", "Київ", "Віддам кошеня в добрі руки.", "+380502222222"),
		verdict("b4", "s2", "Одеса", "Ремонт пральних машин вдома.", "+380501111111", "+380502222222"),
	)
	if a := as[3]; a.Cluster != "b1" || a.Size != 4 || len(a.Merged) != 1 || a.Merged[0] != "b2" {
		t.Errorf("merge = %+v", a)
	}
	if _, err := st.Networks().Cluster(ctx, "b2"); !errors.Is(err, store.ErrNoCluster) {
		t.Errorf("merged cluster b2 still listed: %v", err)
	}
	if id, _, _ := st.Networks().ClusterOf(ctx, "b3"); id != "b1" {
		t.Errorf("b3 in %s, want b1", id)
	}
}

// failing fails SaveNetworkAd while fail is set.
type failing struct {
	*store.Networks
	fail bool
}

func (f *failing) SaveNetworkAd(ctx context.Context, a store.NetworkAd, merged []string) error {
	if f.fail {
		return errors.New("disk full")
	}
	return f.Networks.SaveNetworkAd(ctx, a, merged)
}

func TestEngineRetryAfterFailedSave(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	fs := &failing{Networks: st.Networks()}
	e, _ := New(ctx, Options{Store: fs})
	feed(t, st, e, verdict("c1", "s1", "Москва", fill("3000", "Ольгу")))
	v := verdict("c2", "s1", "Москва", fill("3100", "Олю"))
	if _, err := st.Upsert(ctx, v); err != nil {
		t.Fatal(err)
	}
	fs.fail = true
	if _, err := e.Add(ctx, v); err == nil {
		t.Fatal("Add succeeded with a failing store")
	}
	fs.fail = false
	a, err := e.Add(ctx, v) // the retried message
	if err != nil || a.Replay || a.Cluster != "c1" {
		t.Fatalf("retry = %+v, %v; want a fresh assignment to c1", a, err)
	}
	if id, _, err := st.Networks().ClusterOf(ctx, "c2"); err != nil || id != "c1" {
		t.Errorf("stored cluster of c2 = %q, %v", id, err)
	}
}

func TestScore(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	burst := []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour), t0.Add(3 * time.Hour), t0.Add(4 * time.Hour)}
	for _, tc := range []struct {
		name string
		f    Facts
		want float64
	}{
		{"nothing", Facts{ContactAds: 1, ContactCities: 1}, 0},
		{"shared contact", Facts{ContactAds: 3}, 20},
		{"many cities", Facts{ContactAds: 4, ContactCities: 3}, 40},
		{"confirmed", Facts{Confirmed: 1}, 40},
		{"burst", Facts{Times: burst}, 20},
		{"spread out", Facts{Times: []time.Time{t0, t0.Add(48 * time.Hour), t0.Add(96 * time.Hour)}}, 0},
		{"everything, capped", Facts{ContactAds: 9, ContactCities: 9, Confirmed: 2, Times: burst}, 100},
		{"known to a partner", Facts{Partners: 1}, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Score(tc.f, Weights{}); got.Score != tc.want {
				t.Errorf("score %v, want %v: %+v", got.Score, tc.want, got.Features)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name, a, b string
	}{
		{"numbers", "Зарплата 3000 $, тел +7 900 111 22 33", "Зарплата 4500 $, тел +7 (912) 000-11-22"},
		{"look-alikes", "Работа в Дубае", "Рaбoтa в Дубae"},
		{"spacing", "Срочно работа", "С р о ч н о   работа"},
		{"emoji", "🔥 Работа ✅ в Турции", "Работа в Турции ⭐"},
		{"city", "Работа, Москва", "Работа, Казань"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := map[bool]string{true: "Москва", false: "Казань"}
			a := strings.Join(Tokens("", tc.a, loc[true]), " ")
			b := strings.Join(Tokens("", tc.b, loc[false]), " ")
			if a != b {
				t.Errorf("tokens differ:\n%q\n%q", a, b)
			}
		})
	}
}

func TestCity(t *testing.T) {
	for in, want := range map[string]string{"г. Москва, Россия": "москва", "Chișinău": "chisinau", "": "", "Київ (центр)": "київ"} {
		if got := City(in); got != want {
			t.Errorf("City(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGraphIDClash(t *testing.T) {
	g := newGraph(0)
	g.push("a")
	g.ids[hashOf("b")] = 0 // pretend "b" hashes like "a"
	if i := g.push("b"); i != 1 {
		t.Fatalf("push = %d", i)
	}
	for id, want := range map[string]int32{"a": 0, "b": 1} {
		if i, ok := g.lookup(id); !ok || i != want || g.idOf(i) != id {
			t.Errorf("lookup(%q) = %d, %v", id, i, ok)
		}
	}
	if _, ok := g.lookup("c"); ok {
		t.Error("lookup of an unknown ID succeeded")
	}
}

func TestWindow(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 90 * time.Minute: "1h30m", 45 * time.Second: "45s", 2*time.Hour + 5*time.Second: "2h0m5s"} {
		if got := window(d); got != want {
			t.Errorf("window(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestContacts(t *testing.T) {
	got := Contacts(ad.Entities{
		Phones:  []string{"+37369123456", "+442000000000", "+37369123456", "+79990000012"},
		Emails:  []string{"HR@Example.org"},
		Handles: []string{"@HostJobs", "t.me/HostJobs"},
	})
	var vals []string
	for _, c := range got {
		vals = append(vals, c.Kind+":"+c.Value)
	}
	want := "phone:+37369123456 phone:+79990000012 email:hr@example.org handle:@hostjobs handle:t.me/hostjobs"
	if strings.Join(vals, " ") != want {
		t.Errorf("Contacts = %v\nwant %s", vals, want)
	}
}
