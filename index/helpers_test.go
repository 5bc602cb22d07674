package index

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/blevesearch/bleve/v2"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o644) }

func manyWords(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "word%d ", i)
	}
	return b.String()
}

// searchAllVariants returns the IDs of the ads text matches when every
// analysis variant takes part, whatever the text's scripts.
func (ix *Index) searchAllVariants(ctx context.Context, text string) ([]string, error) {
	tq, err := ix.variantsQuery(text, allVariants)
	if err != nil || tq == nil {
		return []string{}, err
	}
	res, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(tq, MaxLimit, 0, false))
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out, nil
}
