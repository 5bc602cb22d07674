package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	bdocument "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
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

// variant is one way of analysing text: an analyzer, the field indexed
// with it, the stored ad fields that field holds, and the script whose
// words it stems and stops (nil: every script, the folded analyzer).
type variant struct {
	analyzer string
	field    string
	sources  []string
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
	out := []variant{{analyzer: foldedAnalyzer, field: fText, sources: textFields}}
	var names []string
	for _, a := range langAnalyzers {
		if !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	sort.Strings(names)
	for _, a := range names {
		out = append(out, variant{analyzer: a, field: langField(a), sources: langTextFields, script: analyzerScripts[a]})
	}
	return out
}

var allVariants = variants()

// variantsFor returns the variants a query text is analysed with: the
// folded one, and the language ones whose script occurs in the text. With
// a language filter (lang not empty), only that language's analyzer can
// match (an ad has the field of its own language's analyzer only).
func variantsFor(text, lang string) []variant {
	out := make([]variant, 0, len(allVariants))
	for _, v := range allVariants {
		if v.script == nil || hasScript(text, v.script) && (lang == "" || langAnalyzers[lang] == v.analyzer) {
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
// Each analysis variant of the text is one conjunction of term queries
// on one field. Highlighting runs in a second query restricted to the
// page's ads, so term locations and stored fields are read for the page
// only.
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
	var as []analysed
	if text != "" {
		var err error
		if as, err = ix.analyse(text, variantsFor(text, q.Lang)); err != nil {
			return Result{}, err
		}
		if len(as) == 0 { // nothing searchable in the text
			return Result{Hits: []Hit{}, Facets: map[string][]FacetCount{}}, nil
		}
		must = append(must, textQuery(as))
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
	if text == "" {
		req.SortBy([]string{"-" + fScore, "-" + fCrawled, "_id"})
	}
	// With Text, Bleve's default order (-_score) stands.
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
		if err := ix.highlightPage(ctx, textQuery(as), out.Hits); err != nil {
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
// restricted to the page's ads, with term locations and their stored
// fields, so locations and stored fields are read for the page only.
func (ix *Index) highlightPage(ctx context.Context, tq query.Query, hits []Hit) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), tq), len(ids), 0, false)
	req.IncludeLocations = true
	req.Fields = append([]string{fScore}, textFields...)
	req.Score = "none"
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("index: search: highlight: %w", err)
	}
	hl, err := htmlHighlighter()
	if err != nil {
		return fmt.Errorf("index: highlighter: %w", err)
	}
	type detail struct {
		risk      float64
		fragments map[string][]string
	}
	byID := make(map[string]detail, len(res.Hits))
	for _, h := range res.Hits {
		risk, _ := h.Fields[fScore].(float64)
		byID[h.ID] = detail{risk: risk, fragments: fragments(hl, h.Locations, h.Fields)}
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

// fragments highlights a hit, one fragment per ad field, from the term
// locations of its indexed fields and its stored ad fields. An indexed
// field joins ad fields (joinFields), so each location is moved to the
// ad field it falls in. A language field's fragments replace the folded
// field's (they mark inflected forms).
func fragments(hl highlight.Highlighter, locs search.FieldTermLocationMap, stored map[string]any) map[string][]string {
	out := map[string][]string{}
	split := func(field string, sources []string) {
		tlm := locs[field]
		if len(tlm) == 0 {
			return
		}
		start := 0
		for _, f := range sources {
			s, _ := stored[f].(string)
			if s == "" {
				continue
			}
			end := start + len(s)
			part := search.TermLocationMap{}
			for term, ls := range tlm {
				for _, l := range ls {
					if l.Start >= uint64(start) && l.End <= uint64(end) {
						part[term] = append(part[term], &search.Location{
							Pos: l.Pos, Start: l.Start - uint64(start), End: l.End - uint64(start), ArrayPositions: l.ArrayPositions,
						})
					}
				}
			}
			if len(part) > 0 {
				doc := bdocument.NewDocument("")
				doc.AddField(bdocument.NewTextField(f, nil, []byte(s)))
				dm := &search.DocumentMatch{Locations: search.FieldTermLocationMap{f: part}}
				if fr := hl.BestFragmentsInField(dm, doc, f, 1); len(fr) > 0 {
					out[f] = fr
				}
			}
			start = end + 1 // the line break joinFields puts between fields
		}
	}
	split(fText, textFields)
	for _, v := range allVariants[1:] {
		split(v.field, langTextFields)
	}
	return out
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

// htmlHighlighter is Bleve's HTML highlighter: fragments of the ad text,
// escaped, with the matches in <mark>…</mark>.
var htmlHighlighter = sync.OnceValues(func() (highlight.Highlighter, error) {
	return bleve.Config.Cache.HighlighterNamed(html.Name)
})

// analysed is a variant with the terms its analyzer makes of a query
// text, each once.
type analysed struct {
	variant
	terms []string
}

// analyse analyses text with each of the variants, leaving out those that
// make no term of it (a text of stop words only, say).
func (ix *Index) analyse(text string, vs []variant) ([]analysed, error) {
	var out []analysed
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
		out = append(out, analysed{variant: v, terms: terms})
	}
	return out, nil
}

// textQuery is, for each analysed variant, the conjunction of its terms
// in its field, and the disjunction of those. Words a variant drops (stop
// words) do not take part in it.
func textQuery(as []analysed) query.Query {
	alts := make([]query.Query, 0, len(as))
	for _, a := range as {
		conj := make([]query.Query, 0, len(a.terms))
		for _, t := range a.terms {
			tq := bleve.NewTermQuery(t)
			tq.SetField(a.field)
			conj = append(conj, tq)
		}
		if len(conj) == 1 {
			alts = append(alts, conj[0])
		} else {
			alts = append(alts, bleve.NewConjunctionQuery(conj...))
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// variantsQuery is the text query of text over the given variants; nil
// when none of them makes a term of it.
func (ix *Index) variantsQuery(text string, vs []variant) (query.Query, error) {
	as, err := ix.analyse(text, vs)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return textQuery(as), nil
}
