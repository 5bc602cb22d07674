package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/bench"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// dashboardUsers is the number of concurrent dashboard users measured,
// and dashboardRequests the requests each makes.
const (
	dashboardUsers    = 50
	dashboardRequests = 40
)

// dashboardRows fills a store and an index under dir with n flagged ads,
// serves the dashboard over loopback HTTP and times the pages an analyst
// opens (the queue, a queue filtered by site and page, a search, an ad
// page), first for one user alone (the baseline) and then for
// dashboardUsers users at once, each with its own API token.
func dashboardRows(ctx context.Context, dir string, n int) ([]bench.Row, error) {
	vs, err := bench.FlaggedVerdicts(ctx, n)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	for i := 0; i < len(vs); i += 1000 {
		chunk := vs[i:min(i+1000, len(vs))]
		if _, err := st.UpsertBatch(ctx, chunk); err != nil {
			return nil, err
		}
		if err := ix.PutAll(ctx, chunk); err != nil {
			return nil, err
		}
	}
	tokens := make([]string, dashboardUsers)
	for i := range tokens {
		secret, hash, err := auth.NewToken()
		if err != nil {
			return nil, err
		}
		if _, err := st.Accounts().CreateToken(ctx, fmt.Sprintf("bench-%d", i), auth.Analyst, hash); err != nil {
			return nil, err
		}
		tokens[i] = secret
	}
	h, err := dashboard.New(dashboard.Options{Store: st, Index: ix, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: dashboardUsers}, Timeout: time.Minute}

	words := bench.QueryWords(vs)
	sites := map[string]bool{}
	for _, v := range vs[:min(len(vs), 1000)] {
		sites[v.Ad.Site] = true
	}
	siteList := make([]string, 0, len(sites))
	for s := range sites {
		siteList = append(siteList, s)
	}
	slices.Sort(siteList)
	// paths returns user u's j-th page: the pages an analyst goes through,
	// in turn.
	paths := func(r *rand.Rand, j int) string {
		switch j % 4 {
		case 0:
			return "/"
		case 1:
			return fmt.Sprintf("/?site=%s&page=%d", url.QueryEscape(siteList[r.IntN(len(siteList))]), 1+r.IntN(5))
		case 2:
			q := words[r.IntN(len(words))]
			if r.IntN(2) == 0 {
				q += " " + words[r.IntN(len(words))]
			}
			return "/search?q=" + url.QueryEscape(q)
		default:
			return "/ads/" + url.PathEscape(vs[r.IntN(len(vs))].Ad.ID)
		}
	}
	var byKind map[string][]time.Duration
	get := func(token, path string) (time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		t := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return d, err
	}
	kinds := []string{"queue", "filtered queue", "search", "ad page"}
	run := func(users int) ([]time.Duration, time.Duration, error) {
		var (
			mu    sync.Mutex
			lat   []time.Duration
			first error
			wg    sync.WaitGroup
		)
		byKind = map[string][]time.Duration{}
		start := time.Now()
		for u := range users {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(u), 7))
				for j := range dashboardRequests {
					d, err := get(tokens[u], paths(r, j+u))
					mu.Lock()
					if err != nil && first == nil {
						first = err
					}
					lat = append(lat, d)
					k := kinds[(j+u)%4]
					byKind[k] = append(byKind[k], d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return lat, time.Since(start), first
	}
	if _, _, err := run(1); err != nil { // warm caches
		return nil, err
	}
	alone, _, err := run(1)
	if err != nil {
		return nil, err
	}
	many, took, err := run(dashboardUsers)
	if err != nil {
		return nil, err
	}
	p95, p95Alone := bench.Percentile(many, 95), bench.Percentile(alone, 95)
	perKind := ""
	for _, k := range kinds {
		perKind += fmt.Sprintf("; %s p95 %v", k, bench.Percentile(byKind[k], 95).Round(time.Millisecond))
	}
	return []bench.Row{{
		Name: fmt.Sprintf("dashboard, %d users at once, %s flagged ads (queue, filtered queue, search, ad page)", dashboardUsers, bench.Count(n)),
		Result: fmt.Sprintf("p50 %v p95 %v · %s", bench.Percentile(many, 50).Round(100*time.Microsecond), p95.Round(100*time.Microsecond),
			bench.Rate(len(many), took, "pages/s")),
		Baseline: fmt.Sprintf("one user alone: p95 %v", p95Alone.Round(100*time.Microsecond)),
		Ratio:    fmt.Sprintf("%.1f× (p95)", float64(p95)/float64(max(p95Alone, 1))),
		Note:     fmt.Sprintf("%d requests per user over loopback HTTP with analyst tokens%s", dashboardRequests, perKind),
	}}, nil
}
