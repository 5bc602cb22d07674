package classifier

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

func TestRegion(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		name, lang, site, location, want string
	}{
		{"ru city inflected", "ru", "s", "Работа в Кишинёве, офис у метро", "MD/Chișinău"},
		{"ro latin diacritics", "ro", "s", "mun. Bălți", "MD/Bălți"},
		{"ro latin no diacritics", "ro", "s", "Chisinau, Botanica", "MD/Chișinău"},
		{"uk locative", "uk", "s", "Офіс у Києві", "UA/Kyiv"},
		{"uk latin", "uk", "s", "Odesa", "UA/Odesa"},
		{"uk two words", "uk", "s", "Кривий Ріг", "UA/Kryvyi Rih"},
		{"ru soft sign", "ru", "s", "г. Харьков", "UA/Kharkiv"},
		{"ru soft sign inflected", "ru", "s", "склад в Харькове", "UA/Kharkiv"},
		{"ru soft sign Lviv", "ru", "s", "Львов, центр", "UA/Lviv"},
		{"ru region", "ru", "s", "Россия, ЯНАО", "RU/Yamal"},
		{"pl inflected", "pl", "s", "praca we Wrocławiu", "PL/Wrocław"},
		{"bg", "bg", "s", "гр. Варна", "BG/Varna"},
		{"sr cyrillic", "sr", "s", "Београд, Нови Београд", "RS/Belgrade"},
		{"sr latin", "sr", "s", "Novi Sad", "RS/Novi Sad"},
		{"kk", "ru", "s", "Алматы", "KZ/Almaty"},
		{"by", "ru", "s", "г. Минск", "BY/Minsk"},
		{"ka script", "ka", "s", "ბათუმი", "GE/Batumi"},
		{"language home wins", "uk", "s", "Кишинів, Київ", "UA/Kyiv"},
		{"site home wins", "ru", "md-site", "Киев, Харьков, Кишинёв", "MD/Chișinău"},
		{"destination only, site known", "ru", "md-site", "Турция, Анталья", "MD"},
		{"destination only, site unknown", "ru", "s", "Турция, Анталья", ""},
		{"online", "ru", "s", "Онлайн", ""},
		{"body is not read", "ru", "s", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ad.Ad{V: ad.Version, ID: "x", Site: tt.site, Kind: ad.KindJob, Lang: tt.lang,
				Title: "Работа", Body: "Офис в Одессе", Location: tt.location}
			var home []string
			if tt.site == "md-site" {
				home = []string{"MD"}
			}
			v := c.score(context.Background(), a, home)
			if v.Entities.Region != tt.want {
				t.Errorf("region = %q, want %q", v.Entities.Region, tt.want)
			}
		})
	}
}

func TestCategory(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		name, lang  string
		kind        ad.Kind
		title, body string
		want        string
	}{
		{"ru hostess", "ru", ad.KindJob, "Хостес в Анталью", "Девушки 18-25, ночной клуб", "hostess_entertainment"},
		{"en dancers", "en", ad.KindJob, "Dancers wanted for a show in Dubai", "", "dancing_modelling"},
		{"uk caregiver", "uk", ad.KindJob, "Доглядальниця в Італію", "Догляд за літньою жінкою", "aupair_caregiving"},
		{"ro cleaning", "ro", ad.KindJob, "Cameriste hotel Cipru", "Curatenie camere", "cleaning_hospitality"},
		{"bg construction", "bg", ad.KindJob, "Строители за Германия", "Търсим заварчици и строители", "construction"},
		{"sr construction latin", "sr", ad.KindJob, "Građevinski radnici", "", "construction"},
		{"pl agriculture", "pl", ad.KindJob, "Zbiór truskawek", "Praca w szklarni", "agriculture"},
		{"ru warehouse", "ru", ad.KindJob, "Комплектовщик на склад", "Работа на складе в Чехии", "factory_warehouse"},
		{"uk driver", "uk", ad.KindJob, "Водій категорії CE", "Міжнародні рейси", "driving_logistics"},
		{"title outweighs body", "ru", ad.KindJob, "Водитель", "уборка", "driving_logistics"},
		{"marriage kind", "ru", ad.KindMarriage, "Анкета", "Светлана, 25 лет", "marriage_dating"},
		{"dating words on other kind", "ro", ad.KindOther, "Agentie matrimoniala", "Casatorie cu straini", "marriage_dating"},
		{"nothing", "ru", ad.KindJob, "Менеджер по продажам", "Офис в центре", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "x", Site: "s", Kind: tt.kind, Lang: tt.lang, Title: tt.title, Body: tt.body})
			if v.Entities.Category != tt.want {
				t.Errorf("category = %q, want %q", v.Entities.Category, tt.want)
			}
		})
	}
}

// TestDimExamples runs the examples of regions.yaml and categories.yaml
// and checks that a wrong example is reported.
func TestDimExamples(t *testing.T) {
	c := newDefault(t)
	for _, f := range c.checkDimExamples(context.Background()) {
		t.Error(f)
	}
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	p.Categories.Examples = []rules.DimExample{{Text: "Водитель", Lang: "ru", Want: "agriculture"}}
	p.Regions.Examples = nil
	bad, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := bad.checkDimExamples(context.Background()); len(f) != 1 || f[0].Rule != rules.CategoriesFile {
		t.Errorf("failures = %v, want one for %s", f, rules.CategoriesFile)
	}
}

// TestNoDims checks that a pack without the dimension files leaves the
// entities empty.
func TestNoDims(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	p.Regions, p.Categories = rules.Regions{}, rules.Categories{}
	c, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Score(context.Background(), ad.Ad{V: ad.Version, ID: "x", Site: "s", Kind: ad.KindJob, Lang: "ru", Title: "Водитель", Location: "Кишинёв"})
	if v.Entities.Region != "" || v.Entities.Category != "" {
		t.Errorf("entities = %+v", v.Entities)
	}
}

func TestRegionSiteCountry(t *testing.T) {
	p, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p, Options{SiteCountry: map[string]string{"rabota-md": "MD"}})
	if err != nil {
		t.Fatal(err)
	}
	plain := newDefault(t)
	for _, tt := range []struct{ site, location, want string }{
		{"rabota-md", "Турция, Анталья", "MD"},
		{"rabota-md", "Киев, Кишинёв", "MD/Chișinău"},
		{"other", "Турция, Анталья", ""},
		{"other", "Киев, Кишинёв", "UA/Kyiv"},
	} {
		a := ad.Ad{V: ad.Version, ID: "x", Site: tt.site, Kind: ad.KindJob, Lang: "ru", Title: "Хостес, девушки 18-25, опыт не нужен", Location: tt.location}
		v := c.Score(context.Background(), a)
		if v.Entities.Region != tt.want {
			t.Errorf("%s %q: region %q, want %q", tt.site, tt.location, v.Entities.Region, tt.want)
		}
		w := plain.Score(context.Background(), a)
		if w.Score != v.Score || len(w.Hits) != len(v.Hits) {
			t.Errorf("%s %q: SiteCountry changed the score: %v vs %v", tt.site, tt.location, v.Score, w.Score)
		}
	}
}
