package classifier_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/rules"
)

func Example() {
	pack, err := rules.Default()
	if err != nil {
		panic(err)
	}
	c, err := classifier.New(pack, classifier.Options{})
	if err != nil {
		panic(err)
	}
	a := ad.Ad{
		V: ad.Version, ID: "ex1", Site: "demo", Kind: ad.KindJob, Lang: "ru",
		Title: "Работа за границей для девушек",
		Body:  "Билеты и виза в счёт зарплаты. Едете по туристической визе.",
	}
	v := c.Score(context.Background(), a)
	fmt.Println(v.Band, v.Flagged)
	for _, h := range v.Hits[:2] {
		fmt.Printf("%s %+.1f %q\n", h.Rule, h.Weight, h.Evidence[0].Text)
	}
	// Output:
	// high true
	// ru.tourist_visa +2.0 "по туристической визе"
	// ru.debt_travel +1.5 "в счёт зарплаты"
}

func ExampleClassifier_Explain() {
	pack, _ := rules.Default()
	c, _ := classifier.New(pack, classifier.Options{})
	v := c.Score(context.Background(), ad.Ad{V: 1, ID: "ex2", Site: "demo", Kind: ad.KindJob, Lang: "en",
		Title: "Hostess in Dubai", Body: "No experience, high salary. WhatsApp only."})
	lines := strings.Split(c.Explain(v), "\n")
	fmt.Println(strings.Join(lines[1:5], "\n")) // the first line names the pack version
	// Output:
	//  +1.20  c.pay_noexp_abroad [vague_offer] High pay without experience for work abroad
	//         body[15:26] "high salary"
	//         body[0:13] "No experience"
	//         title[11:16] "Dubai"
}

// A Holder swaps rule packs under running scorers; a pack whose rules
// fail their own examples is rejected and the old one stays.
func ExampleHolder_Reload() {
	pack, _ := rules.Default()
	c, _ := classifier.New(pack, classifier.Options{})
	h := classifier.NewHolder(c)

	bad, _ := rules.Default()
	r, _ := bad.Rule("ru.work_abroad")
	r.Examples.Silent = append(r.Examples.Silent, "Работа за границей")
	bad.Version = "rp-broken"
	err := h.Reload(context.Background(), bad)
	fmt.Println(err != nil, h.Classifier().Pack().Version == pack.Version)
	// Output: true true
}

// E164 reads a phone number as written in an ad, national numbers in the
// region of the ad's site or language.
func ExampleE164() {
	fmt.Println(classifier.E164("8 (916) 204-55-18", "RU"))
	fmt.Println(classifier.E164("069 123 456", "MD"))
	// Output:
	// +79162045518 true
	// +37369123456 true
}
