package main

import (
	"context"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
)

// Ads of their own for notices.test.mjs, confirmed by an analyst: two on
// platform.example (one hostile) and one on other.example.
func init() {
	seeders = append(seeders, func(ctx context.Context, env seedEnv) error {
		now := time.Now().UTC().Truncate(time.Second)
		ads := []ad.Ad{
			{V: ad.Version, ID: "n-hostess", Site: "platform.example", URL: "https://platform.example/ad/hostess", Kind: ad.KindJob, Lang: "ru",
				Title: "Работа хостес в Турции для девушек", Body: "Приглашаем молодых девушек 18-25 лет на работу хостес в Турцию. Билеты и визу оплачиваем, жильё бесплатно. Опыт не нужен.",
				Salary: "от 3000 $ в месяц", Contact: "telegram @hostjobs", Crawled: now, Snapshot: "sha256:" + hex64('a')},
			{V: ad.Version, ID: "n-hostile", Site: "platform.example", URL: "https://platform.example/ad/evil", Kind: ad.KindJob, Lang: "en",
				Title: "Hostess work abroad, visa and tickets paid " + xss, Body: "Young girls wanted for work abroad, free travel, visa and tickets paid. " + xss,
				Salary: "5000 EUR", Crawled: now, Snapshot: "sha256:" + hex64('b')},
			{V: ad.Version, ID: "n-dancers", Site: "other.example", URL: "https://other.example/ad/dancers", Kind: ad.KindJob, Lang: "ru",
				Title: "Танцовщицы в клуб за границей", Body: "Срочно нужны девушки для работы танцовщицами в Дубае. Проезд и проживание за счёт работодателя.",
				Crawled: now, Snapshot: "sha256:" + hex64('c')},
		}
		var ids []string
		for _, a := range ads {
			v := env.classifier.Score(ctx, a.WithHash())
			v.Flagged = true
			if _, err := env.store.Upsert(ctx, v); err != nil {
				return err
			}
			if err := env.index.Put(ctx, v); err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		_, err := env.store.Apply(ctx, store.Change{AdIDs: ids, Actor: "analyst1", Status: store.StatusConfirmed,
			Note: "Recruiter hides the employer; travel paid and repaid from wages " + xss})
		return err
	})
}

func hex64(c byte) string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
