package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
)

// fetchLog records the ad pages a site served, in a pass.
type fetchLog struct {
	mu   sync.Mutex
	next http.Handler
	ads  []string
}

func (l *fetchLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if slug, ok := strings.CutPrefix(r.URL.Path, "/rabota-md/ad/"); ok {
		l.mu.Lock()
		l.ads = append(l.ads, slug)
		l.mu.Unlock()
	}
	l.next.ServeHTTP(w, r)
}

func (l *fetchLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ads
	l.ads = nil
	slices.Sort(out)
	return out
}

// TestRecheckUnseenAds crawls five ads once, then makes the listing
// incomplete (a second list page fails) and crawls again several times:
// each pass re-fetches at most recheck_max of the live ads it did not
// list, those checked least recently first, and only a 404 or 410 is
// reported removed.
func TestRecheckUnseenAds(t *testing.T) {
	slugs := []string{"a", "b", "c", "d", "e"}
	tests := []struct {
		name   string
		max    int
		listed []string       // listed after the first pass
		status map[string]int // answers other than 200 after the first pass
		passes [][]string     // ad pages fetched per pass; "x|y": either (rechecked in the same pass)
		gone   []map[string]string
	}{
		{name: "cap 2", max: 2,
			passes: [][]string{{"d", "e"}, {"b", "c"}, {"a", "d|e"}}},
		{name: "cap 1", max: 1,
			passes: [][]string{{"e"}, {"d"}, {"c"}, {"b"}, {"a"}, {"e"}}},
		{name: "cap above the live ads", max: 10,
			passes: [][]string{slugs, slugs}},
		{name: "off", max: -1,
			passes: [][]string{nil, nil}},
		{name: "listed ads are not rechecked", max: 2, listed: []string{"e"},
			passes: [][]string{{"c", "d", "e"}, {"a", "b", "e"}, {"c", "d", "e"}}},
		{name: "404 and 410 are removals", max: 2, status: map[string]int{"d": 404, "b": 410},
			passes: [][]string{{"d", "e"}, {"b", "c"}, {"a", "e"}, {"c", "a|e"}},
			gone:   []map[string]string{{"d": ad.RemovedGone404}, {"b": ad.RemovedGone410}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := &mutableSite{listOK: true, listed: slugs, pages: map[string]string{}, status: map[string]int{}}
			for _, sl := range slugs {
				site.pages[sl] = adPage("Объявление "+sl, "Текст объявления "+sl)
			}
			log := &fetchLog{next: site}
			srv := httptest.NewServer(log)
			defer srv.Close()
			p := testProfile(t, srv.URL)
			p.StartURLs = []string{"/rabota-md/", "/rabota-md/more"} // the second answers 404
			p.RecheckMax = tc.max
			st := openState(t)
			sink, rem := &collector{}, &removals{}
			m := NewMetrics(prometheus.NewRegistry())
			opts := Options{Profiles: []Profile{p}, Sink: sink, Removals: rem, State: st, Metrics: m, MaxRetries: -1}
			ctx := context.Background()
			// A first pass with an incomplete listing that lists every ad:
			// nothing to recheck.
			if err := Run(ctx, opts); err != nil {
				t.Fatal(err)
			}
			if got := log.take(); !slices.Equal(got, slugs) {
				t.Fatalf("first pass fetched %v", got)
			}
			if n := len(sink.take()); n != len(slugs) {
				t.Fatalf("first pass sent %d ads", n)
			}
			// Seen an hour ago, e first and a last.
			t0 := time.Now().Add(-time.Hour)
			for i, sl := range slugs {
				u, _ := ad.CanonicalURL(srv.URL + "/rabota-md/ad/" + sl)
				if err := st.Seen(ctx, u, t0.Add(time.Duration(len(slugs)-i)*time.Second)); err != nil {
					t.Fatal(err)
				}
			}
			site.edit(func(s *mutableSite) {
				s.listed = tc.listed
				for sl, code := range tc.status {
					s.status[sl] = code
				}
			})
			for i, want := range tc.passes {
				if err := Run(ctx, opts); err != nil {
					t.Fatal(err)
				}
				if got := log.take(); !fetched(got, want) {
					t.Errorf("pass %d fetched %v, want %v", i+1, got, want)
				}
				wantGone := map[string]string{}
				if i < len(tc.gone) {
					wantGone = tc.gone[i]
				}
				if got := rem.take(); len(got) != len(wantGone) {
					t.Errorf("pass %d removed %v, want %v", i+1, got, wantGone)
				} else {
					for sl, r := range wantGone {
						if got[sl] != r {
							t.Errorf("pass %d: %s removed %q, want %q", i+1, sl, got[sl], r)
						}
					}
				}
				if ads := sink.take(); len(ads) != 0 {
					t.Errorf("pass %d sent %d unchanged ads", i+1, len(ads))
				}
			}
		})
	}
}

// fetched reports whether got (sorted) holds exactly the pages of want,
// where "x|y" in want stands for x or y.
func fetched(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	left := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(left, func(g string) bool { return slices.Contains(strings.Split(w, "|"), g) })
		if i < 0 {
			return false
		}
		left = slices.Delete(left, i, i+1)
	}
	return true
}
