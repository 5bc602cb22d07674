package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	// The language analyzers named in langAnalyzers.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// docType is the bleve document type of an indexed ad.
const docType = "ad"

// langAnalyzers maps an ad's language code to a bleve language analyzer
// (stop words and stemming). Ads in other languages (uk, bg, sr, …) are
// searchable through the language-neutral folded fields only.
var langAnalyzers = map[string]string{
	"ru": "ru",
	"ro": "ro",
	"mo": "ro",
	"en": "en",
	"hr": "hr",
	"hu": "hu",
	"de": "de",
	"tr": "tr",
}

// mappingVersion names the mapping below. Open writes it into a new
// index (as the internal key versionKey), and Verify reports an index
// that carries another version, or none (indexes made before the key
// existed), as outdated, so that it is rebuilt from the system of record.
// Change it with every change to the mapping or to what document indexes.
//
// Version 2 indexes the text views into one folded field and one field per
// language analyzer instead of one field per view and analyzer, without
// doc values; the views are stored once, for highlighting.
const mappingVersion = "2"

var versionKey = []byte("lure.mapping.version")

// Field names.
const (
	fSite    = "site"
	fKind    = "kind"
	fLang    = "lang"
	fBand    = "band"
	fSignals = "signals"
	fScore   = "score"
	fCrawled = "crawled"
	// fText holds all of textFields, analysed with the folded analyzer.
	fText = "text"
)

// textFields are the ad's text fields. Each is stored under its own name,
// for highlighting, and not indexed: their words are indexed in fText.
var textFields = []string{"title", "body", "salary", "location", "contact"}

// langTextFields are also indexed with the ad's language analyzer, into
// langField(analyzer).
var langTextFields = []string{"title", "body"}

// langField is the field that holds langTextFields analysed with a
// language analyzer. An ad has at most one, that of its language.
func langField(analyzer string) string { return fText + "_" + analyzer }

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomAnalyzer(foldedAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, foldFilterName},
	}); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	im.DefaultAnalyzer = foldedAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	dm := mapping.NewDocumentStaticMapping()
	// Keyword fields filter; those that facets count keep doc values.
	kw := func(name string, docValues bool) {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.DocValues = docValues
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	kw(fSite, true)
	kw(fBand, true)
	kw(fSignals, true)
	kw(fKind, false)
	kw(fLang, false)
	// The risk score sorts searches without text (doc values) and breaks
	// relevance ties on a page (stored); the crawl time sorts only.
	score := mapping.NewNumericFieldMapping()
	score.IncludeInAll = false
	dm.AddFieldMappingsAt(fScore, score)
	crawled := mapping.NewDateTimeFieldMapping()
	crawled.Store = false
	crawled.IncludeInAll = false
	dm.AddFieldMappingsAt(fCrawled, crawled)

	// Term vectors are read for the page's hits only, to highlight them;
	// nothing sorts or counts on the text, so it has no doc values.
	text := func(name, analyzer string) {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.DocValues = false
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	text(fText, foldedAnalyzer)
	seen := map[string]bool{}
	for _, a := range langAnalyzers {
		if !seen[a] {
			seen[a] = true
			text(langField(a), a)
		}
	}
	for _, n := range textFields {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.DocValues = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(n, f)
	}
	// No query reads the composite field of all fields.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	im.AddDocumentMapping(docType, dm)
	im.DefaultMapping = dm
	im.DefaultType = docType
	return im, nil
}
