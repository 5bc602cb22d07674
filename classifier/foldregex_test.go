package classifier

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// A rule regex written with letters that text folds (э, ё, ў, capitals)
// matches the text it was written for.
func TestRegexFolded(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	p.Rules = append(p.Rules, rules.Rule{ID: "test.folded", Signal: "vague_offer", Langs: []string{"be"}, Kind: "any", Weight: 1,
		Regex: []string{`патрэбна\pL* (?:Ўсё|усе) на квіток`}})
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "a", Kind: ad.KindMarriage, Lang: "be", Body: "Мне ПАТРЭБНА ўсё на квіток"})
	for _, h := range v.Hits {
		if h.Rule == "test.folded" {
			return
		}
	}
	t.Fatalf("test.folded did not fire: %+v", v.Hits)
}
