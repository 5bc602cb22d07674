package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

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
	// Facets asks for Result.Facets, counted over every hit. That costs
	// time in proportion to the hits rather than the page, so a page that
	// shows no facets, or takes its counts from elsewhere, leaves it unset.
	Facets bool
}

// Result is one page of search results.
type Result struct {
	Total uint64
	Hits  []Hit
	// Facets holds, by FacetSite, FacetBand and FacetSignal, the terms
	// of the hits when Query.Facets is set; it is empty otherwise.
	Facets map[string][]FacetCount
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

// variant is one way of analysing text: an analyzer, the fields indexed
// with it and the script whose words it stems and stops (nil: every
// script, the folded analyzer).
type variant struct {
	analyzer string
	fields   []string
	script   *unicode.RangeTable
}

// analyzerScripts is the script each language analyzer of langAnalyzers
// works on. On words of other scripts a language analyzer only lower-cases
// (no stop words, no stemming), so it finds a subset of what the folded
// analyzer finds, and a query without words of its script need not ask it.
var analyzerScripts = map[string]*unicode.RangeTable{
	"ru": unicode.Cyrillic,
	"ro": unicode.Latin,
	"en": unicode.Latin,
	"hr": unicode.Latin,
	"hu": unicode.Latin,
	"de": unicode.Latin,
	"tr": unicode.Latin,
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
		v := variant{analyzer: a, script: analyzerScripts[a]}
		for _, f := range langTextFields {
			v.fields = append(v.fields, langField(f, a))
		}
		out = append(out, v)
	}
	return out
}

var allVariants = variants()

// variantsFor returns the variants a query text is analysed with: the
// folded one, and the language ones whose script occurs in the text.
func variantsFor(text string) []variant {
	out := make([]variant, 0, len(allVariants))
	for _, v := range allVariants {
		if v.script == nil || hasScript(text, v.script) {
			out = append(out, v)
		}
	}
	return out
}

func hasScript(s string, script *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(script, r) {
			return true
		}
	}
	return false
}

// Search runs q. With Text, hits are ordered by relevance, ties by the
// ads' risk score (highest first), then ID; without, by the risk score,
// then crawl time (newest first), then ID.
//
// With Text, Bleve ranks by relevance alone: breaking its ties by risk
// score would load that field for every hit. The page's hits are then
// ordered in full here, so the order within a page is exact; across a
// page boundary, ads of equal relevance keep the index's own order (the
// order in which its segments hold them), which a background segment
// merge between two page requests can change, so such an ad may then show
// on two pages or on none.
// Highlighting runs in a second query restricted to the page's ads, so
// term locations are read for the page only.
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
	var tq query.Query
	if text != "" {
		var err error
		if tq, err = ix.textQuery(text); err != nil {
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
	// With Text, Bleve's default order (-_score) stands.
	if text == "" {
		req.SortBy([]string{"-" + fScore, "-" + fCrawled, "_id"})
	}
	if q.Facets {
		req.AddFacet(FacetSite, bleve.NewFacetRequest(fSite, FacetSize))
		req.AddFacet(FacetBand, bleve.NewFacetRequest(fBand, FacetSize))
		req.AddFacet(FacetSignal, bleve.NewFacetRequest(fSignals, FacetSize))
	}

	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	out := Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits)), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Fragments: map[string][]string{}}
		if text != "" {
			hit.Score = h.Score
		}
		out.Hits = append(out.Hits, hit)
	}
	if text != "" && len(out.Hits) > 0 {
		if err := ix.highlightPage(ctx, tq, out.Hits); err != nil {
			return Result{}, err
		}
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

// highlightPage sets the fragments of a page of hits of the text query tq
// and orders the page by relevance, risk score and ID. It runs tq again,
// restricted to the page's ads, with highlighting and their risk scores.
func (ix *Index) highlightPage(ctx context.Context, tq query.Query, hits []Hit) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), tq), len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	req.Fields = []string{fScore}
	req.Score = "none"
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("index: search: highlight: %w", err)
	}
	type detail struct {
		risk      float64
		fragments map[string][]string
	}
	byID := make(map[string]detail, len(res.Hits))
	for _, h := range res.Hits {
		risk, _ := h.Fields[fScore].(float64)
		byID[h.ID] = detail{risk: risk, fragments: mergeFragments(h.Fragments)}
	}
	// An ad deleted between the two queries keeps no fragments and sorts
	// as risk 0.
	for i := range hits {
		hits[i].Fragments = byID[hits[i].ID].fragments
		if hits[i].Fragments == nil {
			hits[i].Fragments = map[string][]string{}
		}
	}
	sortPage(hits, func(id string) float64 { return byID[id].risk })
	return nil
}

// sortPage orders a page of hits by relevance, then risk score (both
// highest first), then ID.
func sortPage(hits []Hit, risk func(id string) float64) {
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(risk(b.ID), risk(a.ID)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// textQuery builds, for each analysis variant of the text's scripts, a conjunction over the
// query's terms of a disjunction over the variant's fields, and joins the
// variants with a disjunction. Words the variant drops (stop words) do not
// take part in it. It returns nil when no variant yields a term.
func (ix *Index) textQuery(text string) (query.Query, error) {
	return ix.variantsQuery(text, variantsFor(text))
}

// variantsQuery is textQuery over the given variants.
func (ix *Index) variantsQuery(text string, vs []variant) (query.Query, error) {
	var alts []query.Query
	for _, v := range vs {
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
