package classifier

import (
	"errors"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

func TestHolderReload(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHolder(c)
	a := ad.Ad{V: 1, ID: "r", Site: "s", Kind: ad.KindJob, Lang: "ru", Body: "Работа за границей, звоните"}
	before := h.Score(t.Context(), a)

	// Scoring goes on while packs are swapped.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				if v := h.Score(t.Context(), a); v.RulePack == "" {
					t.Error("verdict without rule pack")
					return
				}
			}
		}
	}()

	t.Run("bad pack keeps the old one", func(t *testing.T) {
		bad, _ := rules.Default()
		r, _ := bad.Rule("ru.work_abroad")
		r.Examples.Silent = append(r.Examples.Silent, "Работа за границей") // contradicts the rule
		bad.Version = "rp-bad"
		err := h.Reload(t.Context(), bad)
		if !errors.Is(err, ErrBadPack) {
			t.Fatalf("Reload = %v, want ErrBadPack", err)
		}
		if h.Classifier() != c {
			t.Error("classifier replaced by a bad pack")
		}
		if got := testutil.ToFloat64(m.reloads.WithLabelValues("rejected")); got != 1 {
			t.Errorf("rejected reloads = %v", got)
		}
	})
	t.Run("good pack is swapped in", func(t *testing.T) {
		good, _ := rules.Default()
		r, _ := good.Rule("ru.work_abroad")
		r.Weight = 3
		good.Version = "rp-new"
		if err := h.Reload(t.Context(), good); err != nil {
			t.Fatal(err)
		}
		after := h.Score(t.Context(), a)
		if after.RulePack != "rp-new" || after.Score <= before.Score {
			t.Errorf("after reload: pack %s score %v (before %v)", after.RulePack, after.Score, before.Score)
		}
		if h.Pack() != good {
			t.Errorf("Pack() = %s after reload, want rp-new", h.Pack().Version)
		}
		if got := testutil.ToFloat64(m.reloads.WithLabelValues("ok")); got != 1 {
			t.Errorf("ok reloads = %v", got)
		}
		if err := h.Reload(t.Context(), good); err != nil {
			t.Errorf("reloading the same pack: %v", err)
		}
	})
	close(stop)
	wg.Wait()
}
