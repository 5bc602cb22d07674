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

// A warning that lists the indicators without quoting them reports them:
// its lure hits count 0, marked reported. The same indicators in an ad
// that borrows the warning's words but states pay and a phone number
// count in full, and the warning words count 0, marked own offer.
func TestReportedLures(t *testing.T) {
	c := newDefault(t)
	score := func(kind ad.Kind, body string) ad.Verdict {
		t.Helper()
		return c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "x", Kind: kind, Lang: "ru", Body: body})
	}
	lures := "паспорт хранится у бригадира, зарплата в конце сезона, въезд по туристической визе."
	warning := score(ad.KindOther, "Памятка для тех, кто едет на заработки. Признаки обмана: "+lures+" Если вам предлагают такое — звоните на горячую линию.")
	offer := score(ad.KindJob, "Осторожно, мошенники! Мы честная фирма. Стройка в Чехии, 1800 евро в месяц, "+lures+" Звоните +420 555 012 345.")
	if warning.Flagged || !offer.Flagged {
		t.Fatalf("warning %.1f flagged %v (want not); offer %.1f flagged %v (want flagged)", warning.Score, warning.Flagged, offer.Score, offer.Flagged)
	}
	var reported, ownOffer, counted int
	for _, h := range warning.Hits {
		if h.Weight > 0 {
			t.Errorf("warning: %s counts %.1f; a warning's lure hits count 0", h.Rule, h.Weight)
		}
		if h.Reported {
			reported++
		}
	}
	for _, h := range offer.Hits {
		if h.OwnOffer {
			ownOffer++
			if h.Weight != 0 || h.Signal != "awareness" {
				t.Errorf("offer: own-offer hit %+v: want an awareness rule at weight 0", h)
			}
		}
		if h.Weight > 0 && h.Signal == "documents_held" {
			counted++
		}
	}
	if reported < 2 || ownOffer == 0 || counted == 0 {
		t.Fatalf("reported %d (want ≥ 2), own offer %d, documents counted %d (want > 0)\nwarning %+v\noffer %+v", reported, ownOffer, counted, warning.Hits, offer.Hits)
	}
	if r := NotCounted(warning.Hits[len(warning.Hits)-1]); r == "" {
		t.Errorf("NotCounted(%+v) gives no reason", warning.Hits[len(warning.Hits)-1])
	}
}

// Pay quoted from an ad, or a report naming the messenger the lure came
// through, is not an offer of the report's own.
func TestOffers(t *testing.T) {
	c := newDefault(t)
	for _, tc := range []struct {
		body string
		want bool
	}{
		{"Стройка в Чехии, 1800 евро в месяц. Звоните +420 555 012 345.", true},
		{"Объявление «стройка в Чехии, 1800 евро в месяц» висело в Telegram. Звоните на горячую линию +420 555 012 345.", false},
		{"Стройка в Чехии, 1800 евро в месяц, пишите в Telegram.", false},
		{"Стройка в Чехии. Звоните +420 555 012 345.", false},
	} {
		a := ad.Ad{V: ad.Version, ID: "x", Kind: ad.KindJob, Lang: "ru", Body: tc.body}
		s := c.getScoring(&a)
		for _, f := range ad.Fields {
			s.field(f, a.Field(f))
		}
		got := s.offers()
		c.putScoring(s)
		if got != tc.want {
			t.Errorf("offers(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}
