package classifier

import (
	"slices"
	"testing"

	"github.com/lurewatch/lure/ad"
)

func TestScoreCompaniesAndLicences(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		text      string
		companies []string
		licences  []string
	}{
		{"ООО «СеверСтрой», офис по адресу ул. Ленина 5", []string{"ООО «СеверСтрой»"}, nil},
		{"ТОВ \"Будмонтаж\", ліцензія Мінсоцполітики № 1234/2021", []string{"ТОВ \"Будмонтаж\""}, []string{"1234/2021"}},
		{"Angajator: SC Agro Fruct SRL, licența nr. 4567", []string{"Agro Fruct SRL"}, []string{"4567"}},
		{"Fresh Farms Ltd, licence no. 8891 issued by the GLAA", []string{"Fresh Farms Ltd"}, []string{"8891"}},
		{"Poslodavac: Jadran Turist d.o.o., Split", []string{"Jadran Turist d.o.o."}, nil},
		{"Punëdhënësi: Agro Vlora sh.p.k., Vlorë", []string{"Agro Vlora sh.p.k."}, nil},
		{"Работодател: Тракия Логистик ЕООД, Пловдив", []string{"Тракия Логистик ЕООД"}, nil},
		{"Darba devējs SIA \"Baltic Fish\", Liepāja", []string{"SIA \"Baltic Fish\""}, nil},
		{"Ish beruvchi: Navoiy Tekstil MChJ, Navoiy", []string{"Navoiy Tekstil MChJ"}, nil},
		{"Агенцијата има лиценца бр. 12/2023 од Министерството", nil, []string{"12/2023"}},
		{"Özel istihdam bürosu, lisans no: 4471", nil, []string{"4471"}},
		{"Работа за границей, звоните", nil, nil},
		{"Лицензия есть, всё честно", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			v := c.Score(t.Context(), ad.Ad{V: 1, ID: "c", Site: "s", Kind: ad.KindJob, Body: tt.text})
			if !slices.Equal(v.Entities.Companies, tt.companies) {
				t.Errorf("companies %q, want %q", v.Entities.Companies, tt.companies)
			}
			if !slices.Equal(v.Entities.Licences, tt.licences) {
				t.Errorf("licences %q, want %q", v.Entities.Licences, tt.licences)
			}
		})
	}
}

func adWith(lang, body, contact string) ad.Ad {
	return ad.Ad{V: 1, ID: "x", Site: "s", Kind: ad.KindJob, Lang: lang, Body: body, Contact: contact}
}
