package index_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/index"
)

func Example() {
	dir, err := os.MkdirTemp("", "lure-index")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ix, err := index.Open(filepath.Join(dir, "flagged.bleve"))
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	ctx := context.Background()
	v := ad.Verdict{
		V: ad.Version, Score: 91, Band: ad.BandHigh, Flagged: true, RulePack: "demo-1",
		Ad: ad.Ad{V: ad.Version, ID: "ad1", Site: "demo", Kind: ad.KindJob, Lang: "ru",
			Title: "Работа для девушек в Европе", Body: "Билеты оплачиваем."},
		Hits: []ad.Hit{{Rule: "ru.free-travel", Weight: 1.2, Signal: "free_travel"}},
	}
	if err := ix.Put(ctx, v); err != nil {
		log.Fatal(err)
	}
	res, err := ix.Search(ctx, index.Query{Text: "работу", Facets: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Total, res.Hits[0].ID, res.Hits[0].Fragments["title"][0])
	fmt.Println(res.Facets[index.FacetSignal])
	// Output:
	// 1 ad1 <mark>Работа</mark> для девушек в Европе
	// [{free_travel 1}]
}
