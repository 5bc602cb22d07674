package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/lurewatch/lure/internal/netgen"
	"github.com/lurewatch/lure/network"
)

// NetworkOptions configure Network.
type NetworkOptions struct {
	// N is how many ads to assign. Default 1,000,000.
	N int
	// Window is how many ads the per-ad cost is averaged over, at the
	// start (the baseline) and at the end of the run. Default 10,000.
	Window int
	// BruteN is the size of the LSH versus brute-force comparison.
	// Default 5,000.
	BruteN int
}

// Network assigns N generated templated ads (internal/netgen: poster
// groups of 2–15 ads plus one-ad posters) to clusters with a memory-only
// network.Engine and reports the rate, the per-ad cost at the end of the
// run against the first Window ads, and LSH against brute-force pairwise
// comparison of signatures at BruteN ads. Generating the ads is not
// timed.
func Network(ctx context.Context, o NetworkOptions) ([]Row, error) {
	if o.N <= 0 {
		o.N = 1_000_000
	}
	if o.Window <= 0 {
		o.Window = 10_000
	}
	o.Window = min(o.Window, o.N/2)
	if o.BruteN <= 0 {
		o.BruteN = 5000
	}
	e, err := network.New(ctx, network.Options{})
	if err != nil {
		return nil, err
	}
	gen := netgen.Options{Seed: 7, Posters: o.N / 9, Unrelated: o.N / 10}
	var total, first, last time.Duration
	n, clusters := 0, 0
	netgen.Stream(gen, func(a netgen.Ad) bool {
		t := time.Now()
		as, aerr := e.Add(ctx, a.V)
		d := time.Since(t)
		if aerr != nil {
			err = aerr
			return false
		}
		if as.Size == 1 {
			clusters++
		}
		total += d
		if n < o.Window {
			first += d
		}
		if n >= o.N-o.Window {
			last += d
		}
		n++
		return n < o.N && ctx.Err() == nil
	})
	if err != nil {
		return nil, err
	}
	if n < o.N {
		return nil, fmt.Errorf("bench: network: generated %d ads, wanted %d", n, o.N)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(e)
	w := float64(o.Window)
	perFirst, perLast := float64(first.Microseconds())/w, float64(last.Microseconds())/w
	rows := []Row{{
		Name:     fmt.Sprintf("network: assign %s ads to clusters (MinHash + LSH + union-find)", Count(o.N)),
		Result:   fmt.Sprintf("%.0f ads/s · %.1f µs/ad at %s", float64(n)/total.Seconds(), perLast, Count(o.N)),
		Baseline: fmt.Sprintf("%.1f µs/ad at the first %s", perFirst, Count(o.Window)),
		Ratio:    fmt.Sprintf("%.2f×", perFirst/perLast),
		Note: fmt.Sprintf("%s in all (one goroutine, memory only, shingling included); Go heap %.0f MB after, %.0f B/ad",
			total.Round(time.Millisecond), float64(ms.HeapAlloc)/1e6, float64(ms.HeapAlloc)/float64(n)),
	}}
	lsh, brute, sign, err := bruteForce(ctx, o.BruteN)
	if err != nil {
		return nil, err
	}
	rows = append(rows, Row{
		Name:     fmt.Sprintf("network: near-duplicate search, %s ads", Count(o.BruteN)),
		Result:   fmt.Sprintf("%.1f µs/ad (engine: LSH buckets)", lsh),
		Baseline: fmt.Sprintf("%.1f µs/ad (brute force: every earlier signature)", brute),
		Ratio:    fmt.Sprintf("%.1f×", brute/lsh),
		Note: fmt.Sprintf("both include shingling and MinHash (%.1f µs/ad); brute force grows linearly with the ads held: ≈ %.1f ms/ad at %s",
			sign, (sign+(brute-sign)*float64(o.N)/float64(o.BruteN))/1e3, Count(o.N)),
	})
	return rows, nil
}

// bruteForce times, over the same n ads, the engine (shingling, MinHash,
// LSH buckets, union-find) against shingling and MinHash followed by a
// comparison of each new signature with every earlier one.
func bruteForce(ctx context.Context, n int) (lsh, brute, sign float64, err error) {
	ads := netgen.Generate(netgen.Options{Seed: 11, Posters: n / 9, Unrelated: n / 10})
	if len(ads) > n {
		ads = ads[:n]
	}
	n = len(ads)
	e, err := network.New(ctx, network.Options{})
	if err != nil {
		return 0, 0, 0, err
	}
	t := time.Now()
	for _, a := range ads {
		if _, err := e.Add(ctx, a.V); err != nil {
			return 0, 0, 0, err
		}
	}
	lshTotal := time.Since(t)
	t = time.Now()
	sigs := make([]network.Signature, n)
	for i, a := range ads {
		sigs[i] = network.Sign(network.Shingles(network.Tokens(a.V.Ad.Title, a.V.Ad.Body, a.V.Ad.Location)))
	}
	signTotal := time.Since(t)
	t = time.Now()
	links := 0
	for i := range sigs {
		for j := 0; j < i; j++ {
			if network.Similarity(sigs[i], sigs[j]) >= network.DefaultThreshold {
				links++
			}
		}
	}
	bruteTotal := signTotal + time.Since(t)
	if links == 0 {
		return 0, 0, 0, fmt.Errorf("bench: network: brute force found no near-duplicates")
	}
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(n) }
	return us(lshTotal), us(bruteTotal), us(signTotal), nil
}

// Count writes a number of ads briefly: 100000 as "100k", 1000000 as "1M".
func Count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
