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

// Indexed field names.
const (
	fID           = "id"
	fSite         = "site"
	fKind         = "kind"
	fLang         = "lang"
	fBand         = "band"
	fSignals      = "signals"
	fRules        = "rules"
	fDestinations = "destinations"
	fScore        = "score"
	fCrawled      = "crawled"
)

// textFields are the ad's text fields, indexed with the folded analyzer
// under their own name.
var textFields = []string{"title", "body", "salary", "location", "contact"}

// langTextFields are also indexed with the ad's language analyzer, as
// "<field>_<analyzer>".
var langTextFields = []string{"title", "body"}

func langField(field, analyzer string) string { return field + "_" + analyzer }

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
	kw := func(name string, store bool) {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	kw(fID, true)
	for _, n := range []string{fSite, fKind, fLang, fBand, fSignals, fRules, fDestinations} {
		kw(n, false)
	}
	score := mapping.NewNumericFieldMapping()
	score.IncludeInAll = false
	dm.AddFieldMappingsAt(fScore, score)
	crawled := mapping.NewDateTimeFieldMapping()
	crawled.IncludeInAll = false
	dm.AddFieldMappingsAt(fCrawled, crawled)

	text := func(name, analyzer string) {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = true // for highlighting
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}
	for _, n := range textFields {
		text(n, foldedAnalyzer)
	}
	seen := map[string]bool{}
	for _, a := range langAnalyzers {
		if seen[a] {
			continue
		}
		seen[a] = true
		for _, n := range langTextFields {
			text(langField(n, a), a)
		}
	}
	im.AddDocumentMapping(docType, dm)
	im.DefaultMapping = dm
	im.DefaultType = docType
	return im, nil
}
