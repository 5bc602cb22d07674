package index

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// Ads of the same text score the same relevance; the page breaks the tie
// by risk score (highest first), then ID.
func TestSearchTieBreakOnPage(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	risks := map[string]float64{"c1": 60, "c2": 80, "c3": 80, "c4": 70, "c5": 60}
	// One batch, one segment: no merge reorders equal-relevance ads
	// between the page requests below (see Search).
	var vs []ad.Verdict
	for _, id := range []string{"c5", "c3", "c1", "c4", "c2"} {
		vs = append(vs, verdict(id, "jobs.example", "en", "Cleaner wanted abroad", "Cleaning work, housing paid.", risks[id], "free_travel"))
	}
	vs = append(vs, verdict("d1", "jobs.example", "en", "Cleaner wanted abroad now, cleaner", "Cleaner, cleaner, cleaner.", 10))
	if err := ix.PutAll(ctx, vs); err != nil {
		t.Fatal(err)
	}

	r, err := ix.Search(ctx, Query{Text: "cleaner"})
	if err != nil {
		t.Fatal(err)
	}
	got := hitIDs(r)
	if len(got) != 6 {
		t.Fatalf("hits = %v, want 6", got)
	}
	// d1 says "cleaner" most often and is first whatever its risk.
	if want := []string{"d1", "c2", "c3", "c4", "c1", "c5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	for _, h := range r.Hits[2:] {
		if h.Score != r.Hits[1].Score {
			t.Fatalf("hits %s and %s differ in relevance (%v, %v): no tie to break", h.ID, r.Hits[1].ID, h.Score, r.Hits[1].Score)
		}
	}
	if fr := r.Hits[1].Fragments["title"]; len(fr) == 0 || !slices.ContainsFunc(fr, func(s string) bool { return s == "<mark>Cleaner</mark> wanted abroad" }) {
		t.Errorf("title fragments of %s = %q", r.Hits[1].ID, fr)
	}

	// Pages of two: every ad once, each page in order.
	var paged []string
	for off := 0; off < 6; off += 2 {
		p, err := ix.Search(ctx, Query{Text: "cleaner", Limit: 2, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		ids := hitIDs(p)
		for i := 1; i < len(p.Hits); i++ {
			a, b := p.Hits[i-1], p.Hits[i]
			if a.Score < b.Score || a.Score == b.Score && (risks[a.ID] < risks[b.ID] || risks[a.ID] == risks[b.ID] && a.ID > b.ID) {
				t.Errorf("page at %d = %v: out of order", off, ids)
			}
		}
		paged = append(paged, ids...)
	}
	slices.Sort(paged)
	if want := []string{"c1", "c2", "c3", "c4", "c5", "d1"}; !reflect.DeepEqual(paged, want) {
		t.Errorf("pages hold %v, want each ad once", paged)
	}
}

func TestSortPage(t *testing.T) {
	hits := []Hit{{ID: "b", Score: 1}, {ID: "a", Score: 1}, {ID: "c", Score: 2}, {ID: "d", Score: 1}}
	risk := map[string]float64{"a": 50, "b": 50, "c": 10, "d": 90}
	sortPage(hits, func(id string) float64 { return risk[id] })
	var got []string
	for _, h := range hits {
		got = append(got, h.ID)
	}
	if want := []string{"c", "d", "a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sortPage = %v, want %v", got, want)
	}
}

func analyzerNames(vs []variant) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.analyzer)
	}
	return out
}

func TestVariantsByScript(t *testing.T) {
	latin := []string{foldedAnalyzer, "de", "en", "hr", "hu", "ro", "tr"}
	for text, want := range map[string][]string{
		"waitress dubai": latin,
		"străinătate":    latin,
		"девушки":        {foldedAnalyzer, "ru"},
		"Польщі":         {foldedAnalyzer, "ru"},
		"девушки dubai":  analyzerNames(allVariants),
		"სამუშაო საზღვარგარეთ": {foldedAnalyzer}, // Georgian
		"աշխատանք": {foldedAnalyzer}, // Armenian
		"1500 €":   {foldedAnalyzer},
	} {
		if got := analyzerNames(variantsFor(text, "")); !reflect.DeepEqual(got, want) {
			t.Errorf("variantsFor(%q) = %v, want %v", text, got, want)
		}
	}
	for lang, want := range map[string][]string{
		"en": {foldedAnalyzer, "en"},
		"mo": {foldedAnalyzer, "ro"},
		"ru": {foldedAnalyzer, "ru"},
		"uk": {foldedAnalyzer},
	} {
		if got := analyzerNames(variantsFor("девушки dubai", lang)); !reflect.DeepEqual(got, want) {
			t.Errorf("variantsFor(%q, %q) = %v, want %v", "девушки dubai", lang, got, want)
		}
	}
	for lang, a := range langAnalyzers {
		if analyzerScripts[a] == nil {
			t.Errorf("analyzer %q (language %s) has no script in analyzerScripts", a, lang)
		}
	}
}

// A language analyzer only lower-cases words of other scripts, so leaving
// it out of a query of another script loses no hit.
func TestVariantsByScriptSameHits(t *testing.T) {
	ix, _ := openFilled(t)
	ctx := context.Background()
	for _, text := range []string{"dubai", "waitress", "germania", "работа", "девушки", "Польщі", "wanted in", "гратуит"} {
		r, err := ix.Search(ctx, Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		all, err := ix.searchAllVariants(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(r); !reflect.DeepEqual(sorted(got), sorted(all)) {
			t.Errorf("Search(%q) = %v; with every variant %v", text, got, all)
		}
		// With a language filter, only that language's analyzer.
		for _, lang := range []string{"ru", "ro", "en", "uk"} {
			r, err := ix.Search(ctx, Query{Text: text, Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{}
			for _, v := range fixtures() {
				if v.Language() == lang && slices.Contains(all, v.Ad.ID) {
					want = append(want, v.Ad.ID)
				}
			}
			if got := hitIDs(r); !reflect.DeepEqual(sorted(got), sorted(want)) {
				t.Errorf("Search(%q, lang %s) = %v; with every variant %v", text, lang, got, want)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestFacetsOnlyWhenAsked(t *testing.T) {
	ix, _ := openFilled(t)
	for _, q := range []Query{{}, {Text: "работа"}} {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if r.Facets == nil || len(r.Facets) != 0 {
			t.Errorf("Search(%+v).Facets = %v, want empty", q, r.Facets)
		}
	}
	r, err := ix.Search(context.Background(), Query{Text: "работа", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(r.Facets[FacetSite]); got != "[{rabota.example 1}]" {
		t.Errorf("site facet = %s", got)
	}
}
