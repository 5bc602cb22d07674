package classifier

import (
	"testing"

	"github.com/lurewatch/lure/ad"
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
