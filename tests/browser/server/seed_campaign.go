package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/lurewatch/lure/ad"
)

// The campaign statistics test needs ads over several weeks, on several
// sites, from several origin regions, risky and not, each carrying
// contacts and names that a viewer must never see.
func init() {
	seeders = append(seeders, seedCampaign)
}

type campaignTemplate struct {
	site, lang, title, body, location, contact string
}

var campaignTemplates = []campaignTemplate{
	{"rabota-md.example", "ru", "Хостес в ночной клуб, Турция — девушки 18-25",
		"Приглашаем девушек 18-25 лет на работу хостес. Опыт не нужен, перелёт и виза в счёт зарплаты. Зарплата от 3000 € в месяц. Спросить Кристину.",
		"Кишинёв, Ботаника", "Telegram @campaign_girls_job, Viber +373 68 000 111 (Кристина)"},
	{"rabota-md.example", "ru", "Бухгалтер в офис, официальное трудоустройство",
		"ООО «Лумина», трудовой договор, белая зарплата 9000 лей. Резюме на hr.lumina@campaign-mail.md.",
		"Кишинёв", "+373 22 000 333"},
	{"rabota-md.example", "ro", "Lucru în Germania pentru fete, 3000 €, fără experiență",
		"Căutăm fete tinere 18-25 pentru bar. Biletul și viza le plătim noi, se rețin din salariu. Scrieți doar pe WhatsApp, întrebați de Ion Popescu.",
		"Bălți", "WhatsApp +373 79 000 444"},
	{"doska-ua.example", "uk", "Робота на складі в Польщі, без досвіду, 2500 €",
		"Терміново! Пакувальники на склад, досвід не потрібен, житло безкоштовно. Квиток і віза за рахунок роботодавця, утримуємо з першої зарплати. Пишіть тільки в Telegram @campaign_sklad.",
		"Київ, Поділ", "Telegram @campaign_sklad, +380 67 000 55 66 (Олена)"},
	{"doska-ua.example", "uk", "Продавець-консультант у магазин",
		"Офіційне працевлаштування, графік 2/2, навчання. Телефонуйте +380 44 000 77 88.",
		"Одеса", "+380 44 000 77 88"},
	{"doska-ua.example", "ru", "Танцовщицы в Дубай, 5000 $, девушки до 25 лет",
		"Срочно нужны девушки для работы танцовщицами в ОАЭ. Проезд и проживание за счёт работодателя, паспорт оформим сами. Высокий заработок, опыт не нужен.",
		"Львов", "+380 50 000 99 11, campaign.dance@campaign-mail.ua"},
}

func seedCampaign(ctx context.Context, env seedEnv) error {
	now := time.Now().UTC().Truncate(time.Second)
	flagged, n := 0, 0
	for week := 0; week < 20; week++ {
		// 2 to 5 ads a week in the last 12 weeks, more in recent ones;
		// 1 or 2 in the 8 weeks before, so that where-to-aim shows growth.
		count := 2 + (11-week)/4 + week%2
		if week >= 12 {
			count = 1 + week%2
		}
		for i := 0; i < count; i++ {
			t := campaignTemplates[(week*5+i*7)%len(campaignTemplates)]
			posted := now.AddDate(0, 0, -7*week).Add(-time.Duration(i) * time.Hour)
			id := fmt.Sprintf("camp-%02d-%d", week, i)
			a := ad.Ad{V: ad.Version, ID: id, Site: t.site, URL: "https://" + t.site + "/ad/" + id, Kind: ad.KindJob,
				Lang: t.lang, Title: t.title, Body: t.body, Location: t.location, Contact: t.contact,
				Posted: posted, Crawled: posted.Add(time.Hour)}.WithHash()
			v := env.classifier.Score(ctx, a)
			if _, err := env.store.Upsert(ctx, v); err != nil {
				return err
			}
			n++
			if v.Flagged {
				flagged++
			}
		}
	}
	fmt.Fprintf(os.Stderr, "seeded %d campaign ads, %d flagged\n", n, flagged)
	return nil
}
