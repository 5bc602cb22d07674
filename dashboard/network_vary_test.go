package dashboard

import (
	"strings"
	"testing"
)

func TestRepresentComparesTemplateKinOnly(t *testing.T) {
	ru := func(id, age, city, contact string) Member {
		return Member{ID: id, Title: "Официантки в отель Анталии", Location: city,
			Body: "Ищем девушек " + age + " лет для работы официантками в отеле в Анталии. Билет и визу оплачиваем, " +
				"вернёте с первой зарплаты. Опыт не нужен, язык не нужен. Пишите в " + contact}
	}
	ms := []Member{
		ru("a", "18-27", "Кишинёв", "WhatsApp"),
		{ID: "ro", Title: "Ospătărițe la hotel în Antalya", Location: "Bălți",
			Body: "Căutăm fete 18-27 ani pentru lucru ca ospătărițe la hotel în Antalya. Biletul și viza le plătim noi. Fără experiență."},
		ru("b", "18-26", "Одесса", "Telegram"),
		ru("c", "18-25", "Харьков", "Telegram"),
	}
	r := Represent(ms)
	if r.AdID == "ro" {
		t.Fatalf("the translation was picked as representative")
	}
	if r.Compared != 2 {
		t.Errorf("compared with %d members, want the 2 other Russian ads (not the Romanian one)", r.Compared)
	}
	var varies []string
	for _, p := range r.Pieces {
		if p.Varies {
			varies = append(varies, p.Text)
		}
	}
	// b is the medoid: its age range and messenger differ in a or c.
	if got := strings.Join(varies, " "); got != "18-26 Telegram" {
		t.Errorf("varying words %q, want the age range and the messenger only", got)
	}

	t.Run("contacts only", func(t *testing.T) {
		r := Represent([]Member{ms[0], ms[1]})
		if r.Compared != 0 {
			t.Errorf("compared = %d, want 0", r.Compared)
		}
		for _, p := range r.Pieces {
			if p.Varies {
				t.Fatalf("%q marked as varying with no template kin", p.Text)
			}
		}
	})
}

// FuzzRepresent checks that Represent never panics on hostile text.
func FuzzRepresent(f *testing.F) {
	for _, s := range []string{"", "Работа 🔥 в Дубае +7 900 111 22 33", "р а б о т а", "Рaбoтa", "\xff\xfe", strings.Repeat("a ", 3000), "ЗП 3000$ / Москва"} {
		f.Add(s, "Москва")
	}
	f.Fuzz(func(t *testing.T, body, loc string) {
		Represent([]Member{{ID: "x", Body: body}, {ID: "y", Body: loc}})
	})
}
