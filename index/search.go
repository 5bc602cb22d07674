package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Search limits.
const (
	DefaultLimit = 20
	MaxLimit     = 500
	MaxOffset    = 10000
	// MaxQueryBytes bounds Query.Text; MaxQueryTerms bounds its words.
	MaxQueryBytes = 512
	MaxQueryTerms = 32
	// FacetSize is how many terms each facet returns.
	FacetSize = 20
)

// Facet names in Result.Facets.
const (
	FacetSite   = "site"
	FacetBand   = "band"
	FacetSignal = "signal"
)

// ErrBadQuery is wrapped by errors about the query itself.
var ErrBadQuery = errors.New("index: bad query")

// Query is a search over the flagged ads. Empty fields do not filter.
type Query struct {
	// Text is matched word by word (every word must occur, in any indexed
	// text field) in the ad's language analysis and in the folded one.
	// Empty Text matches every ad.
	Text   string
	Site   string
	Band   string
	Kind   string
	Lang   string
	Signal string
	Limit  int // 0 means DefaultLimit; at most MaxLimit
	Offset int // at most MaxOffset
}

// Result is one page of search results.
type Result struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount // by FacetSite, FacetBand, FacetSignal
}

// Hit is one matching ad.
type Hit struct {
	ID    string
	Score float64 // relevance; 0 when Query.Text is empty
	// Fragments holds highlighted excerpts by ad field ("title", "body",
	// …). They are HTML: the ad text is escaped and matches are wrapped in
	// <mark>…</mark>.
	Fragments map[string][]string
}

// FacetCount is one term of a facet and its number of ads.
type FacetCount struct {
	Term  string
	Count int
}

// variant is one way of analysing text: an analyzer and the fields
// indexed with it.
type variant struct {
	analyzer string
	fields   []string
}

func variants() []variant {
	out := []variant{{analyzer: foldedAnalyzer, fields: textFields}}
	var names []string
	for _, a := range langAnalyzers {
		if !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	sort.Strings(names)
	for _, a := range names {
		v := variant{analyzer: a}
		for _, f := range langTextFields {
			v.fields = append(v.fields, langField(f, a))
		}
		out = append(out, v)
	}
	return out
}

var allVariants = variants()

// Search runs q. With Text, hits are ordered by relevance; without, by the
// ads' risk score (highest first), then crawl time (newest first).
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	if q.Limit < 0 || q.Offset < 0 || q.Offset > MaxOffset {
		return Result{}, fmt.Errorf("%w: limit %d, offset %d", ErrBadQuery, q.Limit, q.Offset)
	}
	if len(q.Text) > MaxQueryBytes {
		return Result{}, fmt.Errorf("%w: text is %d bytes, limit %d", ErrBadQuery, len(q.Text), MaxQueryBytes)
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)

	var must []query.Query
	text := strings.TrimSpace(q.Text)
	if text != "" {
		tq, err := ix.textQuery(text)
		if err != nil {
			return Result{}, err
		}
		if tq == nil { // nothing searchable in the text
			return Result{Hits: []Hit{}, Facets: map[string][]FacetCount{}}, nil
		}
		must = append(must, tq)
	}
	for _, f := range []struct{ field, val string }{
		{fSite, q.Site}, {fBand, q.Band}, {fKind, q.Kind}, {fLang, q.Lang}, {fSignals, q.Signal},
	} {
		if f.val != "" {
			t := bleve.NewTermQuery(f.val)
			t.SetField(f.field)
			must = append(must, t)
		}
	}
	var bq query.Query
	switch len(must) {
	case 0:
		bq = bleve.NewMatchAllQuery()
	case 1:
		bq = must[0]
	default:
		bq = bleve.NewConjunctionQuery(must...)
	}

	req := bleve.NewSearchRequestOptions(bq, q.Limit, q.Offset, false)
	if text != "" {
		req.SortBy([]string{"-_score", "-" + fScore, "_id"})
		req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	} else {
		req.SortBy([]string{"-" + fScore, "-" + fCrawled, "_id"})
	}
	req.AddFacet(FacetSite, bleve.NewFacetRequest(fSite, FacetSize))
	req.AddFacet(FacetBand, bleve.NewFacetRequest(fBand, FacetSize))
	req.AddFacet(FacetSignal, bleve.NewFacetRequest(fSignals, FacetSize))

	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	out := Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Fragments: mergeFragments(h.Fragments)}
		if text != "" {
			hit.Score = h.Score
		}
		out.Hits = append(out.Hits, hit)
	}
	for name, fr := range res.Facets {
		counts := []FacetCount{}
		for _, t := range fr.Terms.Terms() {
			counts = append(counts, FacetCount{Term: t.Term, Count: t.Count})
		}
		out.Facets[name] = counts
	}
	return out, nil
}

// textQuery builds, for each analysis variant, a conjunction over the
// query's terms of a disjunction over the variant's fields, and joins the
// variants with a disjunction. Words the variant drops (stop words) do not
// take part in it. It returns nil when no variant yields a term.
func (ix *Index) textQuery(text string) (query.Query, error) {
	var alts []query.Query
	for _, v := range allVariants {
		an := ix.idx.Mapping().AnalyzerNamed(v.analyzer)
		if an == nil {
			return nil, fmt.Errorf("index: analyzer %q missing", v.analyzer)
		}
		var terms []string
		for _, tok := range an.Analyze([]byte(text)) {
			if t := string(tok.Term); !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if len(terms) == 0 {
			continue
		}
		if len(terms) > MaxQueryTerms {
			return nil, fmt.Errorf("%w: %d words, limit %d", ErrBadQuery, len(terms), MaxQueryTerms)
		}
		var conj []query.Query
		for _, t := range terms {
			var disj []query.Query
			for _, f := range v.fields {
				tq := bleve.NewTermQuery(t)
				tq.SetField(f)
				disj = append(disj, tq)
			}
			conj = append(conj, bleve.NewDisjunctionQuery(disj...))
		}
		alts = append(alts, bleve.NewConjunctionQuery(conj...))
	}
	if len(alts) == 0 {
		return nil, nil
	}
	return bleve.NewDisjunctionQuery(alts...), nil
}

// mergeFragments maps bleve's per-index-field fragments to ad fields,
// preferring the language-analysed field (it highlights inflected forms).
func mergeFragments(in map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, f := range textFields {
		if fr := in[f]; len(fr) > 0 {
			out[f] = fr
		}
	}
	for _, v := range allVariants[1:] {
		for i, lf := range v.fields {
			if fr := in[lf]; len(fr) > 0 {
				out[langTextFields[i]] = fr
			}
		}
	}
	return out
}
