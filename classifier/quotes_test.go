package classifier

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func TestQuoteRanges(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Объявление «работа в Дубае» и «виза бесплатно».", []string{"работа в Дубае", "виза бесплатно"}},
		{"Anunțul „lucru în Germania” și „cazare gratuită“", []string{"lucru în Germania", "cazare gratuită"}},
		{`He saw "free flight and visa" online`, []string{"free flight and visa"}},
		{"«не закрыта", nil},
		{"", nil},
	} {
		var got []string
		for _, q := range quoteRanges(tc.in) {
			got = append(got, tc.in[q[0]:q[1]])
		}
		if len(got) != len(tc.want) {
			t.Fatalf("quoteRanges(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("quoteRanges(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}

// A report quoting an ad lists the quoted hits at weight 0 and scores
// low; the same words as the ad's own claims score high.
func TestQuotedLures(t *testing.T) {
	c := newDefault(t)
	lure := "Работа для девушек в Турции, перелёт оплачиваем, высокий доход, без опыта."
	own := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "a", Kind: ad.KindJob, Lang: "ru", Body: lure})
	report := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "b", Kind: ad.KindOther, Lang: "ru",
		Body: "Житель области задержан. Он размещал объявления «" + lure + "» и отбирал у приехавших документы."})
	if !own.Flagged || report.Flagged {
		t.Fatalf("ad %.1f flagged %v; report %.1f flagged %v", own.Score, own.Flagged, report.Score, report.Flagged)
	}
	var quotedHit, zero bool
	for _, h := range report.Hits {
		quotedHit = quotedHit || h.Rule == "f.quoted_lures"
		zero = zero || h.Rule == "ru.high_pay" && h.Weight == 0 && h.Quoted
	}
	if !quotedHit || !zero {
		t.Fatalf("report hits %+v: want f.quoted_lures and ru.high_pay at weight 0", report.Hits)
	}
}
