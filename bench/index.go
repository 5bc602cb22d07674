package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/internal/pipelinetest"
	"github.com/lurewatch/lure/rules"
)

// IndexOptions configure Index.
type IndexOptions struct {
	// Dir is an empty directory for the index (required).
	Dir string
	// N is how many flagged ads to index. Default 10,000.
	N int
	// Batch is how many verdicts go into one PutAll. Default 1,000.
	Batch int
	// Queries is how many searches to time. Default 300.
	Queries int
}

// FlaggedVerdicts returns n flagged verdicts of generated ads
// (internal/pipelinetest), scored by the default rule pack. The generator
// varies a few templates, so each template is scored once and its verdict
// reused for the ads made from it.
func FlaggedVerdicts(ctx context.Context, n int) ([]ad.Verdict, error) {
	p, err := rules.Default()
	if err != nil {
		return nil, err
	}
	c, err := classifier.New(p, classifier.Options{})
	if err != nil {
		return nil, err
	}
	var out []ad.Verdict
	for size := 2 * n; len(out) < n; size *= 2 {
		ads, err := pipelinetest.GenerateAds(size, time.Now())
		if err != nil {
			return nil, err
		}
		byTemplate := map[string]ad.Verdict{}
		out = out[:0]
		for _, a := range ads {
			key := a.Body + "\x00" + a.Lang + "\x00" + a.Salary + "\x00" + a.Location + "\x00" + a.Contact
			v, ok := byTemplate[key]
			if !ok {
				v = c.Score(ctx, a)
				byTemplate[key] = v
			}
			if v.Flagged && len(out) < n {
				v.Ad = a
				out = append(out, v)
			}
		}
		if len(byTemplate) > 0 && len(out) == 0 {
			return nil, fmt.Errorf("bench: no generated ad is flagged")
		}
	}
	return out, nil
}

// Index indexes N flagged ads with index.PutAll in batches and then times
// Queries searches of one or two words drawn from the indexed texts.
func Index(ctx context.Context, o IndexOptions) ([]Row, error) {
	if o.Dir == "" {
		return nil, fmt.Errorf("bench: index: no directory")
	}
	if o.N <= 0 {
		o.N = 10_000
	}
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	if o.Queries <= 0 {
		o.Queries = 300
	}
	vs, err := FlaggedVerdicts(ctx, o.N)
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(o.Dir)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	start := time.Now()
	for i := 0; i < len(vs); i += o.Batch {
		if err := ix.PutAll(ctx, vs[i:min(i+o.Batch, len(vs))]); err != nil {
			return nil, err
		}
	}
	took := time.Since(start)
	if n, err := ix.Count(); err != nil || n != uint64(len(vs)) {
		return nil, fmt.Errorf("bench: index holds %d of %d ads (%v)", n, len(vs), err)
	}
	words := QueryWords(vs)
	r := rand.New(rand.NewPCG(1, 2))
	qs := make([]string, o.Queries)
	for i := range qs {
		qs[i] = words[r.IntN(len(words))]
		if r.IntN(2) == 0 {
			qs[i] += " " + words[r.IntN(len(words))]
		}
	}
	// Baseline: a linear scan of the lower-cased texts in memory for every
	// word, as a store without an index would do.
	texts := make([]string, len(vs))
	for i, v := range vs {
		texts[i] = strings.ToLower(v.Ad.Title + "\n" + v.Ad.Body + "\n" + v.Ad.Location + "\n" + v.Ad.Salary)
	}
	scan := make([]time.Duration, 0, min(o.Queries, 50))
	for _, q := range qs[:cap(scan)] {
		t0 := time.Now()
		n := 0
		for _, t := range texts {
			all := true
			for _, w := range strings.Fields(q) {
				if !strings.Contains(t, w) {
					all = false
					break
				}
			}
			if all {
				n++
			}
		}
		scan = append(scan, time.Since(t0))
		_ = n
	}
	lat := make([]time.Duration, 0, o.Queries)
	hits := 0
	for _, q := range qs {
		t0 := time.Now()
		res, err := ix.Search(ctx, index.Query{Text: q})
		if err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(t0))
		if res.Total > 0 {
			hits++
		}
	}
	if hits == 0 {
		return nil, fmt.Errorf("bench: no search found anything")
	}
	size := fmt.Sprintf("%dk", o.N/1000)
	return []Row{
		{Name: "Bleve indexing, " + size + " flagged ads", Result: Rate(len(vs), took, "ads/s"), Note: fmt.Sprintf("PutAll batches of %d; %v in all", o.Batch, took.Round(time.Millisecond))},
		{Name: "Bleve search, " + size + " flagged ads", Result: fmt.Sprintf("p50 %v · p95 %v", round(Percentile(lat, 50)), round(Percentile(lat, 95))),
			Baseline: fmt.Sprintf("p50 %v · p95 %v (linear scan in memory)", round(Percentile(scan, 50)), round(Percentile(scan, 95))),
			Ratio:    fmt.Sprintf("%.1f× (p50)", float64(Percentile(scan, 50))/float64(Percentile(lat, 50))),
			Note:     fmt.Sprintf("%d one/two-word queries, top 20 with highlights (facets come from the store), %d with hits; scan counts matches only", o.Queries, hits)},
	}, nil
}

// QueryWords returns the distinct words of four letters or more in the
// titles and bodies of vs.
func QueryWords(vs []ad.Verdict) []string {
	seen := map[string]bool{}
	for _, v := range vs[:min(len(vs), 200)] {
		for _, w := range strings.FieldsFunc(v.Ad.Title+" "+v.Ad.Body, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 4 {
				seen[strings.ToLower(w)] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

func round(d time.Duration) time.Duration {
	if d > 10*time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(10 * time.Microsecond)
}
