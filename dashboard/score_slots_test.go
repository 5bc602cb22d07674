package dashboard

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
)

// gateScorer signals each Score call on entered and returns once
// release is closed (or its context ends).
type gateScorer struct {
	entered chan struct{}
	release chan struct{}
}

func (g *gateScorer) Score(ctx context.Context, a ad.Ad) ad.Verdict {
	g.entered <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return ad.Verdict{V: ad.Version, Ad: a, Band: ad.BandLow}
}

func TestScoreConcurrencyCap(t *testing.T) {
	g := &gateScorer{entered: make(chan struct{}, 4), release: make(chan struct{})}
	f := newFixture(t, Options{Scorer: g, Screening: ScreenLimits{Concurrency: 1, SlotWait: 20 * time.Millisecond}})

	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/v1/score", strings.NewReader(benignAd))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens["viewer"])
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-g.entered // the first request holds the only slot

	resp, body := f.score(t, "analyst", benignAd)
	var e struct {
		Error      string
		RetryAfter int `json:"retry_after"`
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("second request while the slot is held = %d Retry-After %q %s, want 503", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || !strings.Contains(e.Error, "capacity") || e.RetryAfter != 1 {
		t.Errorf("503 body %q", body)
	}

	close(g.release)
	if code := <-first; code != http.StatusOK {
		t.Fatalf("first request = %d, want 200", code)
	}
	if resp, body := f.score(t, "analyst", benignAd); resp.StatusCode != http.StatusOK {
		t.Fatalf("after release = %d %s, want 200", resp.StatusCode, body)
	}
}

func TestScreenLimitsConcurrencyDefault(t *testing.T) {
	l := ScreenLimits{}.withDefaults()
	if l.Concurrency < 2 || l.SlotWait != DefaultScoreSlotWait {
		t.Errorf("defaults: concurrency %d, slot wait %v", l.Concurrency, l.SlotWait)
	}
	if l := (ScreenLimits{Concurrency: 3}).withDefaults(); l.Concurrency != 3 {
		t.Errorf("concurrency 3 became %d", l.Concurrency)
	}
}
