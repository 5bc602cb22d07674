// Package netgen generates templated recruitment ads with known poster
// groups, for the network engine's accuracy tests and benchmarks: each
// poster reuses a template with varied numbers, names, cities, spacing,
// look-alike letters and emoji (ru, uk, ro, en), sometimes with its
// phone; unrelated posters share only boilerplate sentences. It is a
// test helper; nothing in production imports it.
package netgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Ad is one generated verdict and the poster it belongs to.
type Ad struct {
	V      ad.Verdict
	Poster int
}

// Options shape a generated set. Zero fields take the defaults shown.
type Options struct {
	Seed      uint64
	Posters   int // poster groups (default 60)
	MinAds    int // ads per poster, at least (default 2)
	MaxAds    int // ads per poster, at most (default 15)
	Unrelated int // one-ad posters that share only boilerplate (default 150)
}

func (o *Options) defaults() {
	if o.Posters == 0 {
		o.Posters = 60
	}
	if o.MinAds == 0 {
		o.MinAds = 2
	}
	if o.MaxAds < o.MinAds {
		o.MaxAds = max(o.MinAds, 15)
	}
	if o.Unrelated == 0 {
		o.Unrelated = 150
	}
}

type lang struct {
	code              string
	a, b, c           []string // sentence = a + b + c
	boiler            []string
	names, cities     []string
	contact, salary   string // with %s name, %d amount
	ageLine, currency string
	cyrillic          bool
}

var langs = []lang{
	{code: "ru", cyrillic: true,
		a:       []string{"Срочно требуются", "Приглашаем на работу", "Набираем бригаду:", "Ищем ответственных", "Открыта вакансия:", "Нужны сотрудники:", "Агентство набирает", "Работа для всех:", "Требуются без опыта", "Прямой работодатель ищет", "Вахта, требуются", "Хорошие условия для"},
		b:       []string{"девушки на должность хостес", "сборщики клубники", "упаковщики на склад", "официантки в ресторан", "сиделки для пожилых", "строители и разнорабочие", "швеи на фабрику", "горничные в отель", "танцовщицы в клуб", "водители категории Е", "модели для фотосессий", "повара и помощники повара"},
		c:       []string{"в Польше", "в Турции", "в Дубае", "в Германии", "в Израиле", "в Чехии", "в Италии", "в Греции", "на юге Испании", "на курорте в Эмиратах", "в Санкт-Петербурге", "в Москве"},
		boiler:  []string{"Официальное трудоустройство.", "Жильё предоставляется бесплатно.", "Оплата еженедельно без задержек.", "Знание языка не обязательно."},
		names:   []string{"Ольга", "Марина", "Наталья", "Светлана", "Ирина", "Елена", "Виктор", "Сергей", "Андрей", "Татьяна"},
		cities:  []string{"Москва", "Казань", "Самара", "Пермь", "Омск", "Тверь", "Курск", "Липецк", "Орёл", "Сочи"},
		contact: "Звоните, спросить %s.", salary: "Зарплата от %d долларов в месяц.", ageLine: "Возраст от %d до %d лет.",
		currency: "долларов"},
	{code: "uk", cyrillic: true,
		a:       []string{"Терміново потрібні", "Запрошуємо на роботу", "Набираємо бригаду:", "Шукаємо відповідальних", "Відкрита вакансія:", "Потрібні працівники:", "Агенція набирає", "Робота для всіх:", "Потрібні без досвіду", "Прямий роботодавець шукає", "Вахта, потрібні", "Гарні умови для"},
		b:       []string{"дівчата на посаду хостес", "збирачі полуниці", "пакувальники на склад", "офіціантки в ресторан", "доглядальниці для літніх", "будівельники та різноробочі", "швачки на фабрику", "покоївки в готель", "танцівниці в клуб", "водії категорії Е", "моделі для фотосесій", "кухарі та помічники кухаря"},
		c:       []string{"у Польщі", "у Туреччині", "в Дубаї", "у Німеччині", "в Ізраїлі", "у Чехії", "в Італії", "у Греції", "на півдні Іспанії", "на курорті в Еміратах", "у Литві", "в Словаччині"},
		boiler:  []string{"Офіційне працевлаштування.", "Житло надається безкоштовно.", "Оплата щотижня без затримок.", "Знання мови не обовʼязкове."},
		names:   []string{"Оксана", "Марія", "Наталія", "Світлана", "Ірина", "Олена", "Віктор", "Сергій", "Андрій", "Тетяна"},
		cities:  []string{"Київ", "Львів", "Одеса", "Харків", "Дніпро", "Вінниця", "Полтава", "Чернігів", "Суми", "Житомир"},
		contact: "Телефонуйте, питати %s.", salary: "Зарплата від %d доларів на місяць.", ageLine: "Вік від %d до %d років.",
		currency: "доларів"},
	{code: "ro",
		a:       []string{"Angajăm urgent", "Vă invităm la muncă:", "Formăm o echipă de", "Căutăm persoane serioase:", "Post vacant pentru", "Avem nevoie de", "Agenția recrutează", "Lucru pentru toți:", "Angajăm fără experiență", "Angajator direct caută", "Contract sezonier pentru", "Condiții bune pentru"},
		b:       []string{"fete ca hostess", "culegători de căpșuni", "ambalatori în depozit", "ospătărițe în restaurant", "îngrijitoare pentru bătrâni", "constructori și muncitori", "croitorese în fabrică", "cameriste la hotel", "dansatoare în club", "șoferi categoria E", "modele pentru ședințe foto", "bucătari și ajutori"},
		c:       []string{"în Polonia", "în Turcia", "în Dubai", "în Germania", "în Israel", "în Cehia", "în Italia", "în Grecia", "în sudul Spaniei", "într-o stațiune din Emirate", "în Olanda", "în Belgia"},
		boiler:  []string{"Angajare oficială.", "Cazare asigurată gratuit.", "Plata săptămânală fără întârzieri.", "Cunoașterea limbii nu este obligatorie."},
		names:   []string{"Ana", "Maria", "Elena", "Ioana", "Cristina", "Mihaela", "Ion", "Vasile", "Andrei", "Natalia"},
		cities:  []string{"Chișinău", "Bălți", "Cahul", "Orhei", "Ungheni", "Soroca", "Iași", "Suceava", "Galați", "Comrat"},
		contact: "Sunați, întrebați de %s.", salary: "Salariu de la %d euro pe lună.", ageLine: "Vârsta între %d și %d ani.",
		currency: "euro"},
	{code: "en",
		a:       []string{"Urgently hiring", "We invite you to work as", "Recruiting a team of", "Looking for reliable", "Vacancy open for", "We need", "The agency recruits", "Work for everyone:", "Hiring without experience", "Direct employer seeks", "Seasonal contract for", "Great conditions for"},
		b:       []string{"girls as hostesses", "strawberry pickers", "warehouse packers", "waitresses for a restaurant", "carers for the elderly", "builders and labourers", "seamstresses for a factory", "hotel maids", "club dancers", "truck drivers", "models for photo shoots", "cooks and kitchen helpers"},
		c:       []string{"in Poland", "in Turkey", "in Dubai", "in Germany", "in Israel", "in Czechia", "in Italy", "in Greece", "in southern Spain", "at a resort in the Emirates", "in the Netherlands", "in Belgium"},
		boiler:  []string{"Official employment.", "Free accommodation provided.", "Weekly pay without delays.", "No language skills needed."},
		names:   []string{"Anna", "Maria", "Helen", "Joanna", "Christina", "Kate", "John", "Victor", "Andrew", "Natalie"},
		cities:  []string{"London", "Leeds", "Dublin", "Cork", "Bristol", "Leicester", "Luton", "Bradford", "Hull", "Derby"},
		contact: "Call and ask for %s.", salary: "Salary from %d dollars a month.", ageLine: "Age %d to %d.",
		currency: "dollars"},
}

// twins are Cyrillic letters and their Latin look-alikes.
var twins = map[rune]rune{'а': 'a', 'о': 'o', 'е': 'e', 'р': 'p', 'с': 'c', 'х': 'x', 'у': 'y', 'і': 'i'}

var emoji = []string{"🔥", "❗", "✅", "👉", "⭐", "⚡", "🌟"}

// template is one poster's text: sentence indexes into lang.a/b/c.
type template struct {
	lang      *lang
	sentences [][3]int
	boiler    []int // boilerplate sentences the poster also uses
}

type gen struct {
	r   *rand.Rand
	seq int
	t0  time.Time
}

func (g *gen) template() template {
	l := &langs[g.r.IntN(len(langs))]
	t := template{lang: l}
	n := 4 + g.r.IntN(3)
	for range n {
		t.sentences = append(t.sentences, [3]int{g.r.IntN(len(l.a)), g.r.IntN(len(l.b)), g.r.IntN(len(l.c))})
	}
	for _, i := range g.r.Perm(len(l.boiler))[:g.r.IntN(3)] {
		t.boiler = append(t.boiler, i)
	}
	return t
}

// text renders one ad of template t with fresh variation.
func (g *gen) text(t template, city string) (title, body string) {
	l := t.lang
	var parts []string
	for i, s := range t.sentences {
		if i > 0 && len(t.sentences) > 4 && g.r.IntN(12) == 0 {
			continue // a poster sometimes drops a sentence
		}
		parts = append(parts, l.a[s[0]]+" "+l.b[s[1]]+" "+l.c[s[2]]+".")
	}
	for _, b := range t.boiler {
		parts = append(parts, l.boiler[b])
	}
	parts = append(parts, fmt.Sprintf(l.salary, 500+100*g.r.IntN(40)))
	age := 18 + g.r.IntN(5)
	parts = append(parts, fmt.Sprintf(l.ageLine, age, age+10+g.r.IntN(20)))
	parts = append(parts, city+".")
	parts = append(parts, fmt.Sprintf(l.contact, l.names[g.r.IntN(len(l.names))]))
	parts = append(parts, fmt.Sprintf("+%d %03d %03d %04d", 7+g.r.IntN(400), g.r.IntN(1000), g.r.IntN(1000), g.r.IntN(10000)))
	for i := range parts {
		parts[i] = g.disguise(parts[i], l.cyrillic)
	}
	sep := []string{" ", "  ", "\n", " \n "}[g.r.IntN(4)]
	s := t.sentences[0]
	title = g.disguise(l.a[s[0]]+" "+l.b[s[1]], l.cyrillic)
	return title, strings.Join(parts, sep)
}

// disguise adds emoji, look-alike letters and spaced-out words.
func (g *gen) disguise(s string, cyrillic bool) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		switch g.r.IntN(14) {
		case 0:
			ws[i] = w + emoji[g.r.IntN(len(emoji))]
		case 1:
			if cyrillic {
				rs := []rune(w)
				for j, r := range rs {
					if t, ok := twins[r]; ok && g.r.IntN(2) == 0 {
						rs[j] = t
					}
				}
				ws[i] = string(rs)
			}
		case 2:
			if rs := []rune(w); len(rs) >= 4 && len(rs) <= 8 && !strings.ContainsAny(w, ".,:") {
				ws[i] = strings.Join(strings.Split(w, ""), " ")
			}
		case 3:
			ws[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(ws, " ")
}

func (g *gen) ad(poster int, t template, phones []string) Ad {
	l := t.lang
	city := l.cities[g.r.IntN(len(l.cities))]
	title, body := g.text(t, city)
	g.seq++
	id := fmt.Sprintf("gen%08d", g.seq)
	v := ad.Verdict{V: ad.Version, Score: float64(g.r.IntN(100)), Band: ad.BandMedium, RulePack: "gen",
		Ad: ad.Ad{V: ad.Version, ID: id, Site: fmt.Sprintf("site%d.example", g.r.IntN(5)), URL: "https://example.org/" + id,
			Kind: ad.KindJob, Lang: l.code, Title: title, Body: body, Location: city + ", " + strings.ToUpper(l.code),
			Posted: g.t0.Add(time.Duration(g.seq) * time.Minute)}}
	v.Ad.ContentHash = v.Ad.Hash()
	if len(phones) > 0 && g.r.IntN(2) == 0 {
		v.Entities.Phones = []string{phones[g.r.IntN(len(phones))]}
	} else if g.r.IntN(3) == 0 {
		v.Entities.Phones = []string{fmt.Sprintf("+1555%07d", g.seq)} // a one-off number
	}
	return Ad{V: v, Poster: poster}
}

// Generate returns a shuffled set of ads with known posters: numbered
// poster groups first, then Unrelated one-ad posters.
func Generate(o Options) []Ad {
	o.defaults()
	var out []Ad
	Stream(o, func(a Ad) bool { out = append(out, a); return true })
	return out
}

// Stream generates like Generate but hands each ad to fn in arrival
// order without holding the set (posters interleaved in rounds), for
// large benchmark runs. It stops early when fn returns false.
func Stream(o Options, fn func(Ad) bool) {
	o.defaults()
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, 0x6e6574)), t0: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	type poster struct {
		id     int
		ts     []template
		phones []string
		left   int
	}
	// Posters are made in blocks so memory stays small at any size; each
	// block holds its share of one-ad posters, so the mix of ads is the
	// same from the first to the last.
	const block = 1000
	all := o.Posters + o.Unrelated
	id, groups := 0, 0
	for start := 0; start < all; start += block {
		n := min(block, all-start)
		wantGroups := min(o.Posters, (start+n)*o.Posters/all) - groups
		var ps []*poster
		for k := range n {
			p := &poster{id: id}
			id++
			if k < wantGroups {
				groups++
				p.ts, p.left = []template{g.template()}, o.MinAds+g.r.IntN(o.MaxAds-o.MinAds+1)
				p.phones = []string{fmt.Sprintf("+3736%07d", p.id)}
				if g.r.IntN(10) == 0 { // a poster with two templates, always with its phone
					p.ts = append(p.ts, g.template())
					p.left = max(p.left, 4)
				}
			} else {
				p.ts, p.left = []template{g.template()}, 1
			}
			ps = append(ps, p)
		}
		g.r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		for alive := len(ps); alive > 0; {
			alive = 0
			for _, p := range ps {
				if p.left == 0 {
					continue
				}
				p.left--
				t := p.ts[p.left%len(p.ts)]
				a := g.ad(p.id, t, p.phones)
				if len(p.ts) > 1 {
					a.V.Entities.Phones = p.phones
				}
				if !fn(a) {
					return
				}
				alive++
			}
		}
	}
}
