package index

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func verdict(id, site, lang, title, body string, score float64, signals ...string) ad.Verdict {
	band := ad.BandMedium
	if score >= 70 {
		band = ad.BandHigh
	}
	v := ad.Verdict{
		V: ad.Version, Score: score, Band: band, Flagged: true, RulePack: "p1",
		Ad: ad.Ad{V: ad.Version, ID: id, Site: site, URL: "https://" + site + "/" + id,
			Kind: ad.KindJob, Lang: lang, Title: title, Body: body, Crawled: t0},
		Entities: ad.Entities{Destinations: []string{"DE"}},
	}
	for _, s := range signals {
		v.Hits = append(v.Hits, ad.Hit{Rule: lang + "." + s, Weight: 1, Signal: s})
	}
	return v
}

func fixtures() []ad.Verdict {
	return []ad.Verdict{
		verdict("ru1", "rabota.example", "ru", "Работа для девушки за границей",
			"Молодые девушки, работа в Германии, билеты и визу оплачиваем. Документы оформим.", 88, "free_travel", "young_women"),
		verdict("ro1", "locuri.example", "ro", "Căutăm fete tinere pentru muncă în străinătate",
			"Salariu mare, cazare gratuită, plecare imediată în Germania.", 75, "free_travel"),
		verdict("en1", "jobs.example", "en", "Waitress wanted in Dubai",
			"No experience needed. Travel paid. <b>Apply</b> via WhatsApp.", 55, "vague_job"),
		verdict("uk1", "rabota.example", "uk", "Робота для дівчат у Польщі",
			"Житло безкоштовне, дорогу оплачуємо.", 62, "free_travel"),
	}
}

func openFilled(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, v := range fixtures() {
		if err := ix.Put(context.Background(), v); err != nil {
			t.Fatalf("Put %s: %v", v.Ad.ID, err)
		}
	}
	return ix, dir
}

func hitIDs(r Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchText(t *testing.T) {
	ix, _ := openFilled(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"russian inflection девушкам→девушки", Query{Text: "девушкам"}, []string{"ru1"}},
		{"russian inflection Германия→Германии", Query{Text: "германия"}, []string{"ru1"}},
		{"russian several words", Query{Text: "работа визу"}, []string{"ru1"}},
		{"russian stop word ignored", Query{Text: "работа в Германии"}, []string{"ru1"}},
		{"romanian with diacritics", Query{Text: "străinătate"}, []string{"ro1"}},
		{"romanian without diacritics", Query{Text: "munca in strainatate"}, []string{"ro1"}},
		{"romanian cedilla variant", Query{Text: "străinătate gratuită"}, []string{"ro1"}},
		{"romanian stemmed fetele tineri→fete tinere", Query{Text: "fetele tineri"}, []string{"ro1"}},
		{"romanian stemmed gratuit→gratuită", Query{Text: "cazare gratuit"}, []string{"ro1"}},
		{"english stemmed", Query{Text: "waitresses"}, []string{"en1"}},
		{"ukrainian folded exact", Query{Text: "Польщі"}, []string{"uk1"}},
		{"every word must match", Query{Text: "девушки dubai"}, nil},
		{"punctuation only", Query{Text: "!!! ..."}, nil},
		{"match all by score", Query{}, []string{"ru1", "ro1", "uk1", "en1"}},
		{"site filter", Query{Site: "rabota.example"}, []string{"ru1", "uk1"}},
		{"signal filter", Query{Signal: "free_travel"}, []string{"ru1", "ro1", "uk1"}},
		{"band filter", Query{Band: "high"}, []string{"ru1", "ro1"}},
		{"lang filter", Query{Lang: "en"}, []string{"en1"}},
		{"text and filter", Query{Text: "работа", Site: "locuri.example"}, nil},
		{"paging", Query{Limit: 2, Offset: 1}, []string{"ro1", "uk1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if got := hitIDs(r); !reflect.DeepEqual(got, want) {
				t.Errorf("Search(%+v) = %v, want %v", tc.q, got, want)
			}
		})
	}
}

func TestSearchHighlights(t *testing.T) {
	ix, _ := openFilled(t)
	r, err := ix.Search(context.Background(), Query{Text: "девушкам"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search = %+v, %v", r, err)
	}
	h := r.Hits[0]
	if h.Score <= 0 {
		t.Errorf("relevance = %v, want > 0", h.Score)
	}
	if fr := strings.Join(h.Fragments["title"], " "); !strings.Contains(fr, "<mark>девушки</mark>") {
		t.Errorf("title fragments = %q, want the inflected form marked", fr)
	}
	if fr := strings.Join(h.Fragments["body"], " "); !strings.Contains(fr, "<mark>девушки</mark>") {
		t.Errorf("body fragments = %q", fr)
	}

	r, err = ix.Search(context.Background(), Query{Text: "apply"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search(apply) = %+v, %v", r, err)
	}
	fr := strings.Join(r.Hits[0].Fragments["body"], " ")
	if !strings.Contains(fr, "&lt;b&gt;<mark>Apply</mark>&lt;/b&gt;") || strings.Contains(fr, "<b>") {
		t.Errorf("body fragment %q: ad markup must be escaped around the mark", fr)
	}

	r, err = ix.Search(context.Background(), Query{Text: "strainatate"})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("Search(strainatate) = %+v, %v", r, err)
	}
	if fr := strings.Join(r.Hits[0].Fragments["title"], " "); !strings.Contains(fr, "<mark>străinătate</mark>") {
		t.Errorf("title fragment %q: folded match must mark the original word", fr)
	}
}

func TestFacets(t *testing.T) {
	ix, _ := openFilled(t)
	r, err := ix.Search(context.Background(), Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 4 {
		t.Errorf("Total = %d, want 4", r.Total)
	}
	want := map[string][]FacetCount{
		FacetSite:   {{"rabota.example", 2}, {"jobs.example", 1}, {"locuri.example", 1}},
		FacetBand:   {{"high", 2}, {"medium", 2}},
		FacetSignal: {{"free_travel", 3}, {"vague_job", 1}, {"young_women", 1}},
	}
	if !reflect.DeepEqual(r.Facets, want) {
		t.Errorf("Facets = %+v\nwant %+v", r.Facets, want)
	}
}

func TestPutReplacesAndUnflaggedDeletes(t *testing.T) {
	ctx := context.Background()
	ix, _ := openFilled(t)
	v := fixtures()[2]
	v.Ad.Title = "Dancer wanted in Dubai"
	if err := ix.Put(ctx, v); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 4 {
		t.Errorf("Count after replace = %d, want 4", n)
	}
	for q, want := range map[string]int{"waitress": 0, "dancer": 1} {
		r, err := ix.Search(ctx, Query{Text: q})
		if err != nil || len(r.Hits) != want {
			t.Errorf("Search(%q) = %v, %v; want %d hits", q, hitIDs(r), err, want)
		}
	}
	v.Flagged = false
	if err := ix.Put(ctx, v); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 3 {
		t.Errorf("Count after unflagged Put = %d, want 3", n)
	}
	if err := ix.Delete("ru1"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete("no-such-id"); err != nil {
		t.Errorf("Delete(unknown) = %v", err)
	}
	r, _ := ix.Search(ctx, Query{Text: "девушки"})
	if len(r.Hits) != 0 {
		t.Errorf("deleted ad still found: %v", hitIDs(r))
	}
}

func TestPutAll(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	vs := fixtures()
	vs[3].Flagged = false
	if err := ix.PutAll(ctx, vs); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
}

func TestReopenPersists(t *testing.T) {
	ix, dir := openFilled(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer ix2.Close()
	if n, err := ix2.Count(); err != nil || n != 4 {
		t.Fatalf("Count after reopen = %d, %v; want 4", n, err)
	}
	r, err := ix2.Search(context.Background(), Query{Text: "девушкам"})
	if err != nil || !slices.Equal(hitIDs(r), []string{"ru1"}) {
		t.Errorf("Search after reopen = %v, %v", hitIDs(r), err)
	}
}

func TestOpenEmptyDirAndRefuseForeign(t *testing.T) {
	dir := t.TempDir() // exists, empty
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(empty dir): %v", err)
	}
	ix.Close()

	foreign := t.TempDir()
	if err := writeFile(filepath.Join(foreign, "x.txt")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(foreign); err == nil {
		t.Error("Open(non-empty non-index dir) succeeded")
	}
}

func TestSearchBadQuery(t *testing.T) {
	ix, _ := openFilled(t)
	for name, q := range map[string]Query{
		"negative limit": {Limit: -1},
		"huge offset":    {Offset: MaxOffset + 1},
		"long text":      {Text: strings.Repeat("a", MaxQueryBytes+1)},
		"many words":     {Text: manyWords(MaxQueryTerms + 1)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ix.Search(context.Background(), q); !errors.Is(err, ErrBadQuery) {
				t.Errorf("Search = %v, want ErrBadQuery", err)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"străinătate": "strainatate",
		"şcoală":      "scoala",
		"ёлка":        "елка",
		"łódź":        "lodz",
		"plain":       "plain",
		"девушки":     "девушки",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// folds only skips words that fold leaves as they are.
func TestFoldsSkipsOnlyUnchanged(t *testing.T) {
	for _, w := range []string{
		"plain", "девушки", "ёлка", "йод", "străinătate", "şcoală", "łódź", "straße",
		"Ærø", "ısparta", "ї", "cafe\u0301", "日本語", "한국어", "\u1100\u1161", "ελληνικά", "άλφα", "עברית", "მუშაობა",
	} {
		if !folds([]byte(w)) && fold(w) != w {
			t.Errorf("folds(%q) = false, but fold gives %q", w, fold(w))
		}
	}
	// Every rune of the table's range, alone and next to others (a
	// combining mark after a letter composes with it).
	var runes []rune
	for r := range rune(len(foldStable)) {
		if utf8.ValidRune(r) {
			runes = append(runes, r)
		}
	}
	for _, r := range runes {
		for _, next := range []rune{0, 'a', 'е', 0x0301, 0x0308, 0x0306, 0x0483, 0x0327} {
			w := string(r)
			if next != 0 {
				w += string(next)
			}
			if !folds([]byte(w)) && fold(w) != w {
				t.Errorf("folds(%q) = false, but fold gives %q", w, fold(w))
			}
		}
	}
	for _, w := range []string{"plain", "девушки", "работа", "მუშაობა", "ελληνικα"} {
		if folds([]byte(w)) {
			t.Errorf("folds(%q) = true for a word fold leaves as it is", w)
		}
	}
}
