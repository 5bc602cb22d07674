package network_test

import (
	"context"
	"fmt"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
)

func Example() {
	e, err := network.New(context.Background(), network.Options{}) // memory only
	if err != nil {
		panic(err)
	}
	post := func(id, city, body, phone string) network.Assignment {
		v := ad.Verdict{V: ad.Version, Band: ad.BandLow, Ad: ad.Ad{V: ad.Version, ID: id, Site: "s", Kind: ad.KindJob,
			Body: body, Location: city}.WithHash()}
		if phone != "" {
			v.Entities.Phones = []string{phone}
		}
		a, err := e.Add(context.Background(), v)
		if err != nil {
			panic(err)
		}
		return a
	}
	post("1", "Chișinău", "Angajăm urgent fete ca hostess în Dubai. Salariu de la 3000 euro. Cazare gratuită. Sunați la Ana.", "")
	a := post("2", "Bălți", "Angajăm URGENT 🔥 fete ca hostess în Dubai! Salariu de la 4500 euro. Cazare gratuită. Sunați la Ana.", "+37369123456")
	fmt.Println(a.Cluster, a.Size, a.Links[0].Via)
	a = post("3", "Cahul", "Vând apartament cu 2 camere, reparație nouă.", "+37369123456")
	fmt.Println(a.Cluster, a.Size, a.Links[0].Via)
	// Output:
	// 1 2 template
	// 1 3 contact
}

func ExampleScore() {
	e := network.Score(network.Facts{ContactAds: 7, ContactCities: 4}, network.Weights{})
	fmt.Println(e.Score)
	for _, f := range e.Features {
		fmt.Println(f.Name, f.Fired, f.Weight)
	}
	// Output:
	// 40
	// contact_ads true 20
	// contact_cities true 20
	// confirmed false 40
	// burst false 20
	// partner_known false 30
}
