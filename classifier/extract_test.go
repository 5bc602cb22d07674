package classifier

import (
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/textnorm"
)

func TestExtractSalaries(t *testing.T) {
	tests := []struct {
		in   string
		want []ad.Salary
	}{
		{"Зарплата от 3000 € в месяц", []ad.Salary{{Amount: 3000, Currency: "EUR", Period: "month"}}},
		{"2 000$/мес", []ad.Salary{{Amount: 2000, Currency: "USD", Period: "month"}}},
		{"1500 euro pe lună", []ad.Salary{{Amount: 1500, Currency: "EUR", Period: "month"}}},
		{"oyiga 2000 yevro", []ad.Salary{{Amount: 2000, Currency: "EUR"}}},
		{"aylıq 1800 avro", []ad.Salary{{Amount: 1800, Currency: "EUR"}}},
		{"alga 2500 eiro", []ad.Salary{{Amount: 2500, Currency: "EUR"}}},
		{"atlyginimas 3000 eurų", []ad.Salary{{Amount: 3000, Currency: "EUR"}}},
		{"ხელფასი 2000 დოლარი", []ad.Salary{{Amount: 2000, Currency: "USD"}}},
		{"աշխատավարձ 1500 եվրո", []ad.Salary{{Amount: 1500, Currency: "EUR"}}},
		{"90000 rubl", []ad.Salary{{Amount: 90000, Currency: "RUB"}}},
		{"оплата 1.500-2.000 евро", []ad.Salary{{Amount: 1500, Max: 2000, Currency: "EUR"}}},
		{"30 тыс. руб в месяц", []ad.Salary{{Amount: 30000, Currency: "RUB", Period: "month"}}},
		{"150 000 руб.", []ad.Salary{{Amount: 150000, Currency: "RUB"}}},
		{"12.50 €/h", []ad.Salary{{Amount: 12.5, Currency: "EUR", Period: "hour"}}},
		{"€2,500 per month", []ad.Salary{{Amount: 2500, Currency: "EUR", Period: "month"}}},
		{"$ 100 per day", []ad.Salary{{Amount: 100, Currency: "USD", Period: "day"}}},
		{"4500 lei net", []ad.Salary{{Amount: 4500, Currency: "RON"}}},
		{"20000 грн на місяць", []ad.Salary{{Amount: 20000, Currency: "UAH", Period: "month"}}},
		{"1000 доларів", []ad.Salary{{Amount: 1000, Currency: "USD"}}},
		{"$3000 per summer", []ad.Salary{{Amount: 3000, Currency: "USD", Period: "season"}}},
		{"15 euro pe oră", []ad.Salary{{Amount: 15, Currency: "EUR", Period: "hour"}}},
		{"500 € в неделю", []ad.Salary{{Amount: 500, Currency: "EUR", Period: "week"}}},
		{"зп от 200 т.р. в месяц", []ad.Salary{{Amount: 200000, Currency: "RUB", Period: "month"}}},
		{"200 тонн", nil},
		{"до 20 000 шекелей", []ad.Salary{{Amount: 20000, Currency: "ILS"}}},
		{"от 3 000 у.е. в мес", []ad.Salary{{Amount: 3000, Currency: "USD", Period: "month"}}},
		{"CAD 4500", []ad.Salary{{Amount: 4500, Currency: "CAD"}}},
		{"нужны 2000 рабочих", nil},
		{"5 europeni", nil},
		{"без зарплаты", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []ad.Salary
			for _, f := range extractSalaries(textnorm.Light(tt.in).S) {
				got = append(got, f.salary)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMonthly(t *testing.T) {
	for _, tt := range []struct {
		s    ad.Salary
		want float64
	}{
		{ad.Salary{Amount: 10, Period: "hour"}, 1680},
		{ad.Salary{Amount: 100, Period: "day"}, 2200},
		{ad.Salary{Amount: 1000, Max: 3000}, 3000},
		{ad.Salary{Amount: 3000, Period: "season"}, 1000},
		{ad.Salary{Amount: 500, Period: "week"}, 2165},
	} {
		if got := Monthly(tt.s); got != tt.want {
			t.Errorf("Monthly(%+v) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestExtractAges(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi []int
	}{
		{"девушки 18-25", []int{18}, []int{25}},
		{"от 18 до 30 лет", []int{18}, []int{30}},
		{"18–35 ani", []int{18}, []int{35}},
		{"de la 18 la 35 de ani", []int{18}, []int{35}},
		{"age 18 to 27", []int{18}, []int{27}},
		{"не старше 28 лет", []int{0}, []int{28}},
		{"стаж 18-25 месяцев", nil, nil},
		{"смена 20-24 часа", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var lo, hi []int
			for _, f := range extractAges(textnorm.Light(tt.in).S) {
				lo, hi = append(lo, f.lo), append(hi, f.hi)
			}
			if !slices.Equal(lo, tt.lo) || !slices.Equal(hi, tt.hi) {
				t.Errorf("got %v-%v, want %v-%v", lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

func TestExtractContacts(t *testing.T) {
	tests := []struct {
		in   string
		want map[string][]string
	}{
		{"Viber +373 69 123 456", map[string][]string{"phone": {"+37369123456"}, "messenger": {""}}},
		{"звоните 8 (999) 123-45-67", map[string][]string{"phone": {"+79991234567"}}},
		{"тел 0 (69) 123 456", map[string][]string{"phone": {"069123456"}}}, // not a Russian number: digits kept
		{"tel. 0040 721 000 000", map[string][]string{"phone": {"+40721000000"}}},
		{"пишите hr@Company.ru", map[string][]string{"email": {"hr@company.ru"}, "web": nil}},
		{"@best_jobs_eu в телеграм", map[string][]string{"handle": {"@best_jobs_eu"}, "messenger": {""}}},
		{"https://t.me/Work_EU", map[string][]string{"link": {"t.me/work_eu"}}},
		{"wa.me/37369000000", map[string][]string{"link": {"wa.me/37369000000"}}},
		{"www.company.md", map[string][]string{"web": {""}}},
		{"зарплата 10 000 - 15 000 руб", map[string][]string{"phone": nil}},
		{"дата 01.02.2024", map[string][]string{"phone": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l := textnorm.Light(tt.in).S
			got := map[string][]string{}
			for _, f := range extractContacts(l, extractSalaries(l), "RU", true) {
				got[f.kind.String()] = append(got[f.kind.String()], f.value)
			}
			for k, want := range tt.want {
				if !slices.Equal(got[k], want) {
					t.Errorf("%s: got %q, want %q (all %v)", k, got[k], want, got)
				}
			}
		})
	}
}

func TestScoreDestinations(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		in   string
		want []string
	}{
		{"Работа в Турции и ОАЭ", []string{"TR", "AE"}},
		{"Робота в Німеччині та Польщі", []string{"DE", "PL"}},
		{"Lucru în Germania și Emiratele Arabe", []string{"DE", "AE"}},
		{"Jobs in South Korea, Thailand, Cambodia", []string{"KR", "TH", "KH"}},
		{"Вахта в Якутии, корень проблемы", []string{"RU"}},
		{"Греция, Кипр, Израиль", []string{"GR", "CY", "IL"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v := c.Score(t.Context(), ad.Ad{V: 1, ID: "d", Site: "s", Kind: ad.KindJob, Body: tt.in, Contact: "офис в Кишинёве"})
			if !slices.Equal(v.Entities.Destinations, tt.want) {
				t.Errorf("got %v, want %v", v.Entities.Destinations, tt.want)
			}
		})
	}
}

// TestScoreDestinationsNotContactsOrHome: a place inside a handle, link or
// address is a name, and the site's own country is where the ad recruits.
func TestScoreDestinationsNotContactsOrHome(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		name, body, location, contact string
		want                          []string
	}{
		{"handle", "Склад, пишите @polska_rabota", "", "", nil},
		{"link", "Подробнее t.me/dubai_jobs_girls", "", "", nil},
		{"e-mail", "Работа на складе", "", "italia.work@mail.example", nil},
		{"handle beside a real destination", "Склад в Чехии, пишите @polska_rabota", "", "", []string{"CZ"}},
		{"origin city", "Работа в Польше", "Кишинёв", "", []string{"PL"}},
		{"home country in the body", "Работа в Молдове и в Польше", "", "", []string{"PL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ad.Ad{V: 1, ID: "d", Site: "md", Lang: "ru", Kind: ad.KindJob, Body: tt.body, Location: tt.location, Contact: tt.contact}
			v := c.score(t.Context(), a, []string{"MD"})
			if !slices.Equal(v.Entities.Destinations, tt.want) {
				t.Errorf("got %v, want %v", v.Entities.Destinations, tt.want)
			}
			for _, h := range v.Hits {
				for _, e := range h.Evidence {
					if h.Rule == "f.foreign_destination" && (strings.Contains(e.Text, "polska") || e.Field == ad.FieldLocation) {
						t.Errorf("foreign destination on %q", e.Text)
					}
				}
			}
		})
	}
}
