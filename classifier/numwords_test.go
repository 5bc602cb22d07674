package classifier

import "testing"

func TestExtractSpelledOut(t *testing.T) {
	c := newDefault(t)
	v := c.Score(t.Context(), adWith("ru", "Девушки восемнадцать - двадцать пять лет, зарплата три тысячи евро в месяц", "звоните: плюс семь девять один шесть два ноль четыре пять пять один восемь"))
	if len(v.Entities.Ages) != 2 || v.Entities.Ages[0] != 18 || v.Entities.Ages[1] != 25 {
		t.Errorf("ages %v", v.Entities.Ages)
	}
	if len(v.Entities.Salaries) != 1 || v.Entities.Salaries[0].Amount != 3000 || v.Entities.Salaries[0].Currency != "EUR" {
		t.Errorf("salaries %+v", v.Entities.Salaries)
	}
	if len(v.Entities.Phones) != 1 || v.Entities.Phones[0] != "+79162045518" {
		t.Errorf("phones %v", v.Entities.Phones)
	}
}
