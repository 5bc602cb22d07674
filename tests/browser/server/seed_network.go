package main

import (
	"context"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
)

// The network seeder posts one recruiter's template four times (other
// names, salaries and cities, one with look-alike letters, one carrying
// script in every field) with the same phone on three of them, and links every stored ad with the network
// engine, as the indexer hook does.
func init() {
	seeders = append(seeders, func(ctx context.Context, env seedEnv) error {
		now := time.Now().UTC().Truncate(time.Second)
		body := "Срочно требуются девушки на работу хостес в Дубае. Зарплата от SAL долларов в месяц. " +
			"Жильё и билеты бесплатно, визу оформим. Звоните, спросить NAME."
		for i, p := range []struct{ name, sal, city, phone, title string }{
			{"Ольгу", "3000", "Москва", "+79995550011", "Хостес в Дубае"},
			{"Марину", "3500", "Казань", "+79995550011", "Хостес в Дубае"},
			{"Нaтaшу", "4000", "Самара", "", "Хостес в Дубае"}, // Latin look-alike letters
			// The same template with script in every field: the network
			// pages must render it inert.
			{"Ирину " + xss, "4500", "Сочи " + xss, "+79995550011 " + xss, "Хостес " + xss},
		} {
			slug := []string{"net-a", "net-b", "net-c", "net-x"}[i]
			a := ad.Ad{V: ad.Version, ID: "t-" + slug, Site: []string{"seti.example", "vakansii.example", "seti.example", "seti.example"}[i],
				URL: "https://example.org/ad/" + slug, Kind: ad.KindJob, Lang: "ru", Title: p.title,
				Body:     strings.NewReplacer("SAL", p.sal, "NAME", p.name).Replace(body),
				Location: p.city, Contact: p.phone, Crawled: now, Posted: now.Add(-time.Duration(4-i) * time.Hour)}
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
		e, err := network.New(ctx, network.Options{Store: env.store.Networks()})
		if err != nil {
			return err
		}
		for {
			vs, err := env.store.Networks().NetworkBacklog(ctx, 100)
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
