package classifier

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

func TestShortPost(t *testing.T) {
	long := "Требуются рабочие на склад в Подмосковье, график сменный, оплата два раза в месяц, " +
		"официальное оформление по ТК, спецодежда, столовая, служебный транспорт от метро, " +
		"обучение за счёт компании, стабильная зарплата без задержек, карьерный рост, дружный коллектив"
	for _, tc := range []struct {
		name  string
		a     ad.Ad
		field string
		text  string
	}{
		{"one line", ad.Ad{Title: "  Girls to Cyprus, all paid, DM  "}, ad.FieldTitle, "Girls to Cyprus, all paid, DM"},
		{"body only, first line", ad.Ad{Body: "Работа в Дубае 🔥\nвсё оплачено\nпиши в лс"}, ad.FieldBody, "Работа в Дубае 🔥"},
		{"long body", ad.Ad{Title: "Склад", Body: long + ". " + long}, "", ""},
		{"empty", ad.Ad{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := shortPost(&tc.a)
			if tc.text == "" {
				if ev != nil {
					t.Fatalf("got %v, want none", ev)
				}
				return
			}
			if len(ev) != 1 || ev[0].Field != tc.field || ev[0].Text != tc.text {
				t.Fatalf("got %+v, want %s %q", ev, tc.field, tc.text)
			}
			if got := tc.a.Field(ev[0].Field)[ev[0].Start:ev[0].End]; got != ev[0].Text {
				t.Fatalf("span %q does not point at %q", got, ev[0].Text)
			}
		})
	}
}

// An ad without a language is scored as the detected one, and the
// verdict says so; an ad with one is never sent to detection.
func TestScoreDetectsLanguage(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	c, err := New(p, Options{DetectLang: func(s string) string { calls = append(calls, s); return "ru" }})
	if err != nil {
		t.Fatal(err)
	}
	a := ad.Ad{V: ad.Version, ID: "x", Kind: ad.KindJob, Title: "Склад", Body: "Работа в Москве, склад"}
	v := c.Score(context.Background(), a)
	if v.Lang != "ru" || !v.LangDetected || v.Ad.Lang != "" {
		t.Fatalf("lang %q detected %v ad.lang %q", v.Lang, v.LangDetected, v.Ad.Lang)
	}
	if len(calls) != 1 || calls[0] != "Склад\nРабота в Москве, склад" {
		t.Fatalf("detector called with %q", calls)
	}
	// Scored as Russian: Moscow is home, not a foreign destination.
	for _, h := range v.Hits {
		if h.Rule == "f.foreign_destination" {
			t.Fatalf("Moscow counted as foreign for a detected Russian ad: %+v", v.Hits)
		}
	}
	a.Lang = "uk"
	v = c.Score(context.Background(), a)
	if len(calls) != 1 || v.Lang != "uk" || v.LangDetected {
		t.Fatalf("calls %d, lang %q detected %v", len(calls), v.Lang, v.LangDetected)
	}
}

// A news or NGO site's text quoting a lure gets the reporting_site hit;
// the same text on an ad site does not.
func TestReportingSite(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{SiteGenre: map[string]string{"news-md": "news"}})
	if err != nil {
		t.Fatal(err)
	}
	a := ad.Ad{V: ad.Version, ID: "x", Kind: ad.KindOther, Lang: "ru", Title: "Работа в Турции для девушек",
		Body: "Перелёт оплачиваем, пишите в телеграм"}
	onAdSite := c.Score(context.Background(), a)
	a.Site = "news-md"
	onNews := c.Score(context.Background(), a)
	has := func(v ad.Verdict) bool {
		for _, h := range v.Hits {
			if h.Rule == "f.reporting_site" {
				return h.Evidence[0].Text == a.Title
			}
		}
		return false
	}
	if has(onAdSite) || !has(onNews) || onNews.Score >= onAdSite.Score {
		t.Fatalf("ad site %.1f %v; news site %.1f %v", onAdSite.Score, has(onAdSite), onNews.Score, has(onNews))
	}
}
