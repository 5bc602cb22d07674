package textnorm

import "testing"

func TestNumberWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"девушки восемнадцать - двадцать пять лет", "девушки 18 - 25 лет"},
		{"от восемнадцати до тридцати лет", "от 18 до 30 лет"},
		{"зарплата три тысячи евро", "зарплата 3000 евро"},
		{"две тысячи пятьсот долларов", "2500 долларов"},
		{"звоните ноль девять семь один два три четыре пять шесть", "звоните 0 9 7 1 2 3 4 5 6"},
		{"vârsta optsprezece - douăzeci și cinci ani", "varsta 18 - 25 ani"},
		{"salariu trei mii lei", "salariu 3000 lei"},
		{"age eighteen to twenty-five", "age 18 to 25"},
		{"two thousand five hundred euro", "2500 euro"},
		{"дівчата вісімнадцять років, дві тисячі євро", "дівчата 18 років, 2000 євро"},
		{"one of the best", "1 of the best"},
		{"без чисел", "без чисел"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Light(tt.in)
			if got.S != tt.want {
				t.Errorf("Light(%q) = %q, want %q", tt.in, got.S, tt.want)
			}
			checkMap(t, tt.in, &got)
		})
	}
}
