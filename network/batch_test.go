package network

import (
	"context"
	"reflect"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// AddBatch assigns and saves as Add does one verdict at a time.
func TestAddBatchMatchesAdd(t *testing.T) {
	ctx := context.Background()
	vs := []ad.Verdict{
		verdict("b1", "s1", "Львів", "Продам велосипед гірський, як новий.", "+380501111111"),
		verdict("b2", "s1", "Київ", "Шукаю няню для дитини, повний день.", "+380502222222"),
		verdict("c1", "s1", "Москва", fill("3000", "Ольгу")),
		verdict("b3", "s2", "Київ", "Віддам кошеня в добрі руки.", "+380502222222"),
		verdict("c2", "s2", "Москва", fill("3100", "Олю")),
		verdict("b4", "s2", "Одеса", "Ремонт пральних машин вдома.", "+380501111111", "+380502222222"),
	}
	vs = append(vs, vs[2]) // a replay inside the batch
	changed := verdict("c2", "s3", "Казань", fill("3200", "Олю"))
	vs = append(vs, changed)

	one := openStore(t)
	e1, _ := New(ctx, Options{Store: one.Networks()})
	want := feed(t, one, e1, vs...)

	batch := openStore(t)
	for _, v := range vs {
		if _, err := batch.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	e2, _ := New(ctx, Options{Store: batch.Networks()})
	got, err := e2.AddBatch(ctx, vs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AddBatch = %+v\nwant %+v", got, want)
	}
	clusters := func(st *store.Store) []store.ClusterSummary {
		cs, _, err := st.Networks().Clusters(ctx, store.ClusterFilter{MinSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	if a, b := clusters(one), clusters(batch); !reflect.DeepEqual(a, b) {
		t.Errorf("stored clusters %+v\nwant %+v", b, a)
	}
	for _, v := range vs {
		a, n, _ := one.Networks().ClusterOf(ctx, v.Ad.ID)
		b, m, _ := batch.Networks().ClusterOf(ctx, v.Ad.ID)
		if a != b || n != m {
			t.Errorf("%s stored in %s (%d), want %s (%d)", v.Ad.ID, b, m, a, n)
		}
	}

	// A replayed batch does what replaying the verdicts one by one does:
	// nothing, but for the ad whose content changed within the batch.
	again, err := e2.AddBatch(ctx, vs)
	if err != nil {
		t.Fatal(err)
	}
	if want := feed(t, one, e1, vs...); !reflect.DeepEqual(again, want) {
		t.Errorf("replayed AddBatch = %+v\nwant %+v", again, want)
	}
	for i, a := range again[:len(vs)-2] {
		if !a.Replay && vs[i].Ad.ID != "c2" {
			t.Errorf("replayed %s: %+v, want a replay", vs[i].Ad.ID, a)
		}
	}
}
