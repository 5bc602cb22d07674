package textnorm

import "testing"

func TestTranslitUkrainian(t *testing.T) {
	var v Views
	m, _ := v.Of("Shukayemo divchat, robota za kordonom, bez dosvidu")
	if got := v.Translit(m, true).S; got != "шукаємо дівчат робота за кордоном без досвіду" {
		t.Errorf("got %q", got)
	}
}

func TestTranslit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rabota za granicey", "работа за границей"},
		{"devushki vysokaya zarplata", "девушки высокая зарплата"},
		{"bez znaniya yazyka", "без знания языка"},
		{"massazhistka v Turcii", "массажистка в турции"},
		{"shchetka tsena khorosho", "щетка цена хорошо"},
		{"Работа rabota 2000 €", "работа работа 2000 €"},
		{"abc123 x1", "abc123 x1"}, // words with digits are left alone
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var v Views
			m, _ := v.Of(tt.in)
			got := v.Translit(m, false)
			if got.S != tt.want {
				t.Errorf("translit(%q) = %q, want %q", tt.in, got.S, tt.want)
			}
			checkMap(t, tt.in, got)
		})
	}
}
