package classifier

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/textnorm"
)

func benchAds(b *testing.B) []ad.Ad {
	var ads []ad.Ad
	for _, f := range loadAds(b) {
		ads = append(ads, f.ad())
	}
	return ads
}

// devCorpus is the labelled development corpus of the repository.
const devCorpus = "../testdata/corpus/dev.jsonl"

// corpusAds reads the development corpus (JSON Lines of ads; labels and
// unknown fields ignored).
func corpusAds(b *testing.B) []ad.Ad {
	f, err := os.Open(devCorpus)
	if err != nil {
		b.Fatalf("the development corpus is part of the repository: %v", err)
	}
	defer f.Close()
	var ads []ad.Ad
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var a ad.Ad
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			b.Fatal(err)
		}
		a.V, a.Site = ad.Version, "corpus"
		if a.Kind == "" {
			a.Kind = ad.KindJob
		}
		ads = append(ads, a)
	}
	if err := sc.Err(); err != nil || len(ads) < 100 {
		b.Fatalf("%d corpus ads, %v", len(ads), err)
	}
	return ads
}

// BenchmarkScore scores the ads of the development corpus
// (testdata/corpus/dev.jsonl, sub-benchmark corpus) and the fixtures of
// testdata/ads.json (fixtures) in turn (lure), and runs the naive baseline
// on the same ads in the same run (naive): every rule and every gazetteer
// country as its own regular expression over the normalised text of each
// field, without extraction, feature or combination rules. ads/s is
// reported for both; naive also reports how many times slower it is than
// lure (x-slower), so the speed-up is measured, not claimed.
func BenchmarkScore(b *testing.B) {
	c := newDefault(b)
	b.Run("corpus", func(b *testing.B) { benchScore(b, c, corpusAds(b)) })
	b.Run("fixtures", func(b *testing.B) { benchScore(b, c, benchAds(b)) })
}

func benchScore(b *testing.B, c *Classifier, ads []ad.Ad) {
	ctx := context.Background()
	var lureNs float64
	b.Run("lure", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Score(ctx, ads[i%len(ads)])
			i++
		}
		lureNs = float64(b.Elapsed().Nanoseconds()) / float64(i)
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "ads/s")
	})
	b.Run("naive", func(b *testing.B) {
		n := newNaive(b, c.Pack())
		b.ReportAllocs()
		i, hits := 0, 0
		for b.Loop() {
			hits += n.score(ads[i%len(ads)])
			i++
		}
		if hits == 0 {
			b.Fatal("naive baseline found nothing")
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "ads/s")
		if lureNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i)/lureNs, "x-slower")
		}
	})
}

// naive is the baseline: one regular expression per rule.
type naive struct{ res []*regexp.Regexp }

func naivePattern(p string) string {
	body, stem := strings.CutSuffix(p, "*")
	q := regexp.QuoteMeta(textnorm.Normalise(body).S)
	if stem {
		return `(?:^|[^\pL\pN])` + q + `[\pL\pN]*`
	}
	return `(?:^|[^\pL\pN])` + q + `(?:[^\pL\pN]|$)`
}

func newNaive(b *testing.B, p *rules.Pack) *naive {
	n := &naive{}
	add := func(alts []string) {
		if len(alts) == 0 {
			return
		}
		n.res = append(n.res, regexp.MustCompile(strings.Join(alts, "|")))
	}
	for _, r := range p.Rules {
		var alts []string
		for _, pat := range r.Patterns {
			alts = append(alts, naivePattern(pat))
		}
		for _, re := range r.Regex {
			alts = append(alts, "(?:"+re+")")
		}
		add(alts)
	}
	for _, pats := range p.Gazetteer.Countries {
		var alts []string
		for _, pat := range pats {
			alts = append(alts, naivePattern(pat))
		}
		add(alts)
	}
	if len(n.res) < len(p.Rules)/2 {
		b.Fatalf("only %d baseline expressions", len(n.res))
	}
	return n
}

func (n *naive) score(a ad.Ad) int {
	hits := 0
	for _, f := range ad.Fields {
		text := a.Field(f)
		if text == "" {
			continue
		}
		t := textnorm.Normalise(text)
		for _, re := range n.res {
			hits += len(re.FindAllStringIndex(t.S, 5))
		}
	}
	return hits
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		newDefault(b)
	}
}
