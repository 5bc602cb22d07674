package main

import (
	"context"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
)

// The network seeder posts one recruiter's template three times (other
// names, salaries and cities, one with look-alike letters) with the same
// phone on two of them, and links every stored ad with the network
// engine, as the indexer hook does.
func init() {
	seeders = append(seeders, func(ctx context.Context, env seedEnv) error {
		now := time.Now().UTC().Truncate(time.Second)
		body := "Срочно требуются девушки на работу хостес в Дубае. Зарплата от SAL долларов в месяц. " +
			"Жильё и билеты бесплатно, визу оформим. Звоните, спросить NAME."
		for i, p := range []struct{ name, sal, city, phone string }{
			{"Ольгу", "3000", "Москва", "+79995550011"},
			{"Марину", "3500", "Казань", "+79995550011"},
			{"Нaтaшу", "4000", "Самара", ""}, // Latin look-alike letters
		} {
			slug := []string{"net-a", "net-b", "net-c"}[i]
			a := ad.Ad{V: ad.Version, ID: "t-" + slug, Site: []string{"seti.example", "vakansii.example", "seti.example"}[i],
				URL: "https://example.org/ad/" + slug, Kind: ad.KindJob, Lang: "ru", Title: "Хостес в Дубае",
				Body:     strings.NewReplacer("SAL", p.sal, "NAME", p.name).Replace(body),
				Location: p.city, Contact: p.phone, Crawled: now, Posted: now.Add(-time.Duration(3-i) * time.Hour)}
			a.ContentHash = a.Hash()
			v := env.classifier.Score(ctx, a)
			v.Flagged = true
			if _, err := env.store.Upsert(ctx, v); err != nil {
				return err
			}
			if err := env.index.Put(ctx, v); err != nil {
				return err
			}
		}
		e, err := network.New(ctx, network.Options{Store: env.store})
		if err != nil {
			return err
		}
		for {
			vs, err := env.store.NetworkBacklog(ctx, 100)
			if err != nil {
				return err
			}
			if len(vs) == 0 {
				return nil
			}
			for _, v := range vs {
				if _, err := e.Add(ctx, v); err != nil {
					return err
				}
			}
		}
	})
}
