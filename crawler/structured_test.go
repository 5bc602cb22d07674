package crawler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/internal/golden"
)

func structuredDoc(t testing.TB, page []byte) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func structuredFile(t testing.TB, name string) Structured {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/structured", name))
	if err != nil {
		t.Fatal(err)
	}
	return ExtractStructured(structuredDoc(t, b))
}

func day(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestExtractStructured(t *testing.T) {
	// want lists the fields a case checks; every fixture is also compared
	// as a whole with testdata/structured/<name>.json.
	cases := []struct {
		file string
		want Structured
	}{
		{file: "jsonld-single.html", want: Structured{
			Sources: []string{"json-ld"},
			Types:   []string{"JobPosting", "ContactPoint", "MonetaryAmount", "QuantitativeValue", "Organization", "Place", "PostalAddress"},
			Title:   "Официантка в ресторан, Анталья",
			Body: "Приглашаем девушек 18–25 лет на работу официанткой.\n" +
				"Жильё бесплатно\nПерелёт оплачиваем & визу оформляем\nЗнание языка не требуется.",
			Org:            "ООО «Вектор Тур»",
			Location:       "Atatürk Cd. 12, Анталья, TR",
			Salary:         "1500–2000 EUR per month",
			EmploymentType: "FULL_TIME",
			Contact:        "+90 555 123 45 67, hr@vektor-tur.example, +7 701 555 01 02",
			Lang:           "ru",
			Posted:         day(2025, 11, 20, 6, 0),
			ValidThrough:   day(2025, 12, 20, 0, 0),
		}},
		{file: "jsonld-array.html", want: Structured{
			Sources:        []string{"json-ld", "text"},
			Types:          []string{"Organization", "BreadcrumbList", "ListItem", "JobPosting", "MonetaryAmount", "QuantitativeValue", "Place"},
			Title:          "Culegători de căpșuni în Huelva",
			Body:           "Căutăm culegători pentru sezonul de primăvară.\nCazare gratuită.\nPlata săptămânal.",
			Org:            "Agenția Muncă Peste Hotare SRL",
			Location:       "Huelva, Spania",
			Salary:         "12.50 EUR per hour",
			EmploymentType: "TEMPORARY, FULL_TIME",
			Contact:        "+373 69 123 456",
			Lang:           "ro",
			Posted:         day(2025, 11, 18, 0, 0),
		}},
		{file: "jsonld-graph.html", want: Structured{
			Sources:  []string{"json-ld"},
			Types:    []string{"WebPage", "Organization", "ContactPoint", "Place", "PostalAddress", "Country", "JobPosting", "MonetaryAmount", "QuantitativeValue", "Language"},
			Title:    "Сатушы-кассир",
			Body:     "Міндеттері\nТауарды қабылдау, кассамен жұмыс.\nТалаптар\nЖауапкершілік.",
			Org:      "«Береке Маркет» ЖШС",
			Location: "Алматы, Қазақстан; Астана, 010000, Қазақстан",
			Salary:   "250000 KZT per month",
			Contact:  "hr@bereke.example, +7 727 300 40 50",
			Lang:     "kk",
			Posted:   day(2025, 11, 21, 5, 30),
		}},
		{file: "jsonld-remote.html", want: Structured{
			Sources:        []string{"json-ld", "text"},
			Types:          []string{"JobPosting", "Thing", "Country", "Organization"},
			Title:          "Онлайн оператор (үйдөн иштөө)",
			Body:           "Үйдөн иштөө, күнүнө 4 саат. Тажрыйба талап кылынбайт.",
			Org:            "Ак Шумкар ЖЧК",
			Location:       "remote",
			Salary:         "30 000 сомдон жогору",
			EmploymentType: "PART_TIME",
			Lang:           "ky",
			Posted:         day(2025, 11, 19, 2, 15),
			ValidThrough:   time.Date(2025, 12, 19, 23, 59, 59, 0, time.UTC),
		}},
		{file: "jsonld-broken.html", want: Structured{
			Sources:  []string{"json-ld", "opengraph"},
			Types:    []string{"JobPosting", "MonetaryAmount", "Place", "PostalAddress"},
			Title:    "Доглядальниця для літньої пані, Вроцлав",
			Body:     "Догляд за літньою жінкою.\nПроживання в сім'ї безкоштовно.\nВиїзд через 3 дні.",
			Location: "Вроцлав, PL",
			Salary:   "25000 UAH",
			Lang:     "uk",
			Posted:   day(2025, 11, 17, 0, 0),
		}},
		{file: "jsonld-entities.html", want: Structured{
			Sources:        []string{"json-ld", "opengraph", "text"},
			Types:          []string{"JobPosting", "Organization"},
			Title:          `Танцовщицы "шоу" в Токио`,
			Body:           "Работа в клубе «Сакура»\nКонтракт 3 месяца, €3000\nПаспорт хранится у работодателя",
			Org:            "Агентство «Звезда»",
			EmploymentType: "CONTRACTOR",
			Lang:           "ru",
			Posted:         day(2025, 11, 16, 9, 0),
		}},
		{file: "microdata.html", want: Structured{
			Sources:        []string{"microdata"},
			Types:          []string{"BreadcrumbList", "JobPosting", "Organization", "Place", "PostalAddress", "MonetaryAmount", "QuantitativeValue"},
			Title:          "Vânzătoare în magazin alimentar",
			Body:           "Căutăm vânzătoare cu experiență.\nProgram 8:00–17:00\nSalariu în fiecare lună",
			Org:            "Magazinul «Fidesco»",
			Location:       "str. Ismail 45, Chișinău, Moldova",
			Salary:         "10000–15000 MDL per month",
			EmploymentType: "FULL_TIME",
			Contact:        "+37322123456, hr@fidesco.example",
			Lang:           "ro",
			Posted:         day(2025, 11, 15, 6, 0),
			ValidThrough:   day(2025, 12, 15, 0, 0),
		}},
		{file: "og-profile-ru.html", want: Structured{
			Sources: []string{"opengraph", "text"},
			Title:   "Анна, 24 года, Харьков",
			Body: "Анна, 24 года\n" +
				"Ищу серьёзные отношения с мужчиной из Европы. Готова к переезду, визу и билеты оплачивает агентство.\n" +
				"Рост 170 см, не курю. Люблю путешествия и готовить. Английский начальный, переписка через переводчика агентства.\n" +
				"Для связи с Анной оплатите пакет «Знакомство» — 150 € за 10 писем.",
			Lang: "ru",
		}},
		{file: "og-profile-uk.html", want: Structured{
			Sources: []string{"opengraph", "text"},
			Types:   []string{"Organization", "WebSite"},
			Title:   "Олена, 29 років, Одеса",
			Body: "Олена, 29 років\n" +
				"Мене звати Олена, я з Одеси. Працюю медсестрою, мрію про сім'ю та дітей.\n" +
				"Шукаю чоловіка 30–45 років, доброго та надійного. Готова переїхати за кордон.",
			Lang:   "uk",
			Posted: day(2025, 11, 14, 18, 45),
		}},
		{file: "asp-form.html", want: Structured{
			Sources: []string{"text"},
			Title:   "Рабочие на завод в Сеуле",
			Body: "Рабочие на завод в Сеуле\n" +
				"Требуются мужчины и женщины 20–45 лет на завод электроники.\n" +
				"Зарплата от 2000 $ в месяц, жильё предоставляется. Оформление по туристической визе.",
			Lang: "ru",
		}},
		{file: "nothing.html", want: Structured{
			Sources: []string{"text"},
			Title:   "Бос бет & ештеңе жоқ",
			Lang:    "kk",
		}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.file] = true
		t.Run(c.file, func(t *testing.T) {
			got := structuredFile(t, c.file)
			w := c.want
			w.Fields = fieldNames(w)
			check := func(name string, got, want any) {
				t.Helper()
				if g, w := fmt.Sprintf("%q", got), fmt.Sprintf("%q", want); g != w {
					t.Errorf("%s:\n got %s\nwant %s", name, g, w)
				}
			}
			check("Sources", got.Sources, w.Sources)
			check("Types", got.Types, w.Types)
			check("Title", got.Title, w.Title)
			check("Body", got.Body, w.Body)
			check("Org", got.Org, w.Org)
			check("Location", got.Location, w.Location)
			check("Salary", got.Salary, w.Salary)
			check("EmploymentType", got.EmploymentType, w.EmploymentType)
			check("Contact", got.Contact, w.Contact)
			check("Lang", got.Lang, w.Lang)
			check("Fields", got.Fields, w.Fields)
			if !got.Posted.Equal(w.Posted) {
				t.Errorf("Posted %v, want %v", got.Posted, w.Posted)
			}
			if !got.ValidThrough.Equal(w.ValidThrough) {
				t.Errorf("ValidThrough %v, want %v", got.ValidThrough, w.ValidThrough)
			}
			if got.IsJobPosting() != slices.Contains(w.Types, "JobPosting") {
				t.Errorf("IsJobPosting %v", got.IsJobPosting())
			}
			golden.Check(t, "structured/"+strings.TrimSuffix(c.file, ".html")+".json", structuredJSON(t, got))
		})
	}
	files, _ := filepath.Glob("testdata/structured/*.html")
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("fixture %s has no case", f)
		}
	}
}

// fieldNames lists the non-empty fields of s as Structured.Fields does.
func fieldNames(s Structured) []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"title", s.Title != ""}, {"body", s.Body != ""}, {"org", s.Org != ""},
		{"location", s.Location != ""}, {"salary", s.Salary != ""},
		{"employment_type", s.EmploymentType != ""}, {"contact", s.Contact != ""},
		{"lang", s.Lang != ""}, {"posted", !s.Posted.IsZero()}, {"valid_through", !s.ValidThrough.IsZero()},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

func structuredJSON(t *testing.T, s Structured) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ldPage(scripts ...string) []byte {
	var b strings.Builder
	b.WriteString("<html><head><title>t</title>")
	for _, s := range scripts {
		b.WriteString(`<script type="application/ld+json">` + s + `</script>`)
	}
	b.WriteString("</head><body></body></html>")
	return []byte(b.String())
}

const jobLD = `{"@type":"JobPosting","title":"Швея в Стамбул"}`

// TestStructuredBounds checks that what lies beyond the bounds is not
// read, and what lies within still is.
func TestStructuredBounds(t *testing.T) {
	deep := func(n int) string {
		return `{"@type":"Thing","x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
	}
	values := func(n int) string {
		return `{"@type":"ItemList","x":[` + strings.TrimSuffix(strings.Repeat("1,", n), ",") + `]}`
	}
	filler := `{"@type":"Thing"}`
	cases := []struct {
		name    string
		scripts []string
		job     bool
	}{
		{"job in script 64", append(slices.Repeat([]string{filler}, 63), jobLD), true},
		{"job in script 65", append(slices.Repeat([]string{filler}, 64), jobLD), false},
		{"nesting 60 kept", []string{deep(60), jobLD}, true},
		{"nesting 64 skipped, next script read", []string{deep(64), jobLD}, true},
		{"job nested in depth 70", []string{strings.Repeat(`{"a":`, 70) + jobLD + strings.Repeat("}", 70)}, false},
		{"job nested in depth 30", []string{strings.Repeat(`{"a":`, 30) + jobLD + strings.Repeat("}", 30)}, true},
		{"9000 values before", []string{values(9000), jobLD}, true},
		{"script beyond budget skipped", []string{values(20000), jobLD}, true},
		{"budget left for a small script", []string{values(9990), values(9990), jobLD}, true},
		{"budget spent by earlier scripts", []string{values(9996), jobLD}, false},
		{"script over 1 MiB", []string{`{"@type":"JobPosting","title":"x","description":"` + strings.Repeat("ж", maxLDBytes/2) + `"}`}, false},
		{"script under 1 MiB", []string{`{"@type":"JobPosting","title":"x","description":"` + strings.Repeat("ж", maxLDBytes/2-100) + `"}`}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := ExtractStructured(structuredDoc(t, ldPage(c.scripts...)))
			if s.IsJobPosting() != c.job {
				t.Errorf("IsJobPosting %v, want %v (types %q)", s.IsJobPosting(), c.job, s.Types)
			}
			if c.job && s.Title == "t" {
				t.Errorf("title %q not from the posting", s.Title)
			}
			checkStructured(t, s)
		})
	}
}

func TestStructuredBoundsMicrodata(t *testing.T) {
	// Nested items beyond maxJSONDepth are not read; the posting still is.
	var b strings.Builder
	b.WriteString(`<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Повар</h1>`)
	for range 200 {
		b.WriteString(`<div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Орг</span>`)
	}
	s := ExtractStructured(structuredDoc(t, []byte(b.String())))
	if !s.IsJobPosting() || s.Title != "Повар" || s.Org != "Орг" {
		t.Errorf("%+v", s)
	}
	checkStructured(t, s)
}

func TestStructuredLongFields(t *testing.T) {
	long := strings.Repeat("работа за границей ", 8000) // > ad.MaxFieldBytes
	var locs []string
	for i := range 100 {
		locs = append(locs, fmt.Sprintf(`{"@type":"Place","address":"%d %s"}`, i, long[:2000]))
	}
	page := ldPage(`{"@type":"JobPosting","title":"` + long + `","description":"<p>` + long + `</p>","jobLocation":[` + strings.Join(locs, ",") + `]}`)
	s := ExtractStructured(structuredDoc(t, page))
	checkStructured(t, s)
	if len(s.Title) < ad.MaxFieldBytes-64 || len(s.Body) < ad.MaxFieldBytes-64 {
		t.Errorf("title %d, body %d bytes: cut too short", len(s.Title), len(s.Body))
	}
	if n := strings.Count(s.Location, "; "); n != maxListItems-1 {
		t.Errorf("%d locations joined, want %d", n+1, maxListItems)
	}
}

func TestExtractStructuredEmpty(t *testing.T) {
	for _, page := range []string{"", "<html><body></body></html>", "<script type=application/ld+json>null</script>", "<script type=application/ld+json>[1, \"x\", {}]</script>"} {
		s := ExtractStructured(structuredDoc(t, []byte(page)))
		if s.Fields != nil || s.Sources != nil || s.Types != nil || s.IsJobPosting() {
			t.Errorf("%q: %+v", page, s)
		}
	}
	if s := ExtractStructured(nil); s.Fields != nil {
		t.Errorf("nil document: %+v", s)
	}
}

func TestStructuredSalary(t *testing.T) {
	cases := map[string]string{
		`"1200 EUR"`: "1200 EUR",
		`1200`:       "1200 EUR",
		`"1200"`:     "1200 EUR",
		`1200.0`:     "1200 EUR",
		`"1.500"`:    "1.500 EUR",
		`"до 1.500"`: "до 1.500",
		`{"@type":"MonetaryAmount","currency":"USD","value":900}`:                                                      "900 USD",
		`{"@type":"MonetaryAmount","currency":"USD","value":"900.00"}`:                                                 "900 USD",
		`{"@type":"MonetaryAmount","currency":"USD","minValue":900,"maxValue":1100}`:                                   "900–1100 USD",
		`{"@type":"MonetaryAmount","value":{"@type":"QuantitativeValue","maxValue":1100,"unitText":"WEEK"}}`:           "1100 EUR per week",
		`{"@type":"MonetaryAmount","value":{"@type":"QuantitativeValue","minValue":5,"maxValue":5,"unitCode":"HUR"}}`:  "5 EUR per hour",
		`{"@type":"MonetaryAmount","currency":"RUB","value":{"minValue":50000,"maxValue":80000,"unitText":"в месяц"}}`: "50000–80000 RUB в месяц",
		`{"@type":"MonetaryAmount","currency":"MDL","value":{"@type":"QuantitativeValue","unitText":"MONTH"}}`:         "",
		`[{"@type":"MonetaryAmount"},{"@type":"MonetaryAmount","currency":"KGS","value":30000}]`:                       "30000 KGS",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			s := ExtractStructured(structuredDoc(t, ldPage(`{"@type":"JobPosting","salaryCurrency":"EUR","baseSalary":`+in+`}`)))
			if s.Salary != want {
				t.Errorf("got %q, want %q", s.Salary, want)
			}
		})
	}
}

func TestStructuredDates(t *testing.T) {
	cases := map[string]time.Time{
		"2025-11-20T09:15:00+03:00":     day(2025, 11, 20, 6, 15),
		"2025-11-20T09:15+03:00":        day(2025, 11, 20, 6, 15),
		"2025-11-20T09:15:00+0300":      day(2025, 11, 20, 6, 15),
		"2025-11-20T09:15:00.250+03:00": day(2025, 11, 20, 6, 15).Add(250 * time.Millisecond),
		"2025-11-20T09:15:00Z":          day(2025, 11, 20, 9, 15),
		"2025-11-20T09:15":              day(2025, 11, 20, 9, 15),
		"20.11.2025":                    day(2025, 11, 20, 0, 0),
		"20251120":                      day(2025, 11, 20, 0, 0),
		"вчера":                         {},
	}
	for in, want := range cases {
		if got := parseDate(in); !got.Equal(want) {
			t.Errorf("%q: got %v, want %v", in, got, want)
		}
	}
}

// TestStructuredEarlierSourceWins checks the merge field by field: a
// JSON-LD posting without a description takes its body from microdata,
// and its title is not replaced by a later source.
func TestStructuredEarlierSourceWins(t *testing.T) {
	page := `<html lang="ro"><head><meta property="og:title" content="OG"><meta property="og:locale" content="ru_RU">
<script type="application/ld+json">{"@type":"JobPosting","title":"LD","datePosted":"2025-11-01"}</script></head>
<body><div itemscope itemtype="schema.org/JobPosting"><h1 itemprop="title">MD</h1><p itemprop="description">Descriere din microdate.</p>
<meta itemprop="datePosted" content="2025-10-01"><meta itemprop="employmentType" content="PART_TIME"></div></body></html>`
	s := ExtractStructured(structuredDoc(t, []byte(page)))
	if s.Title != "LD" || s.Body != "Descriere din microdate." || s.EmploymentType != "PART_TIME" || s.Lang != "ru" ||
		!s.Posted.Equal(day(2025, 11, 1, 0, 0)) {
		t.Errorf("%+v", s)
	}
	if want := []string{"json-ld", "microdata", "opengraph"}; !slices.Equal(s.Sources, want) {
		t.Errorf("sources %q, want %q", s.Sources, want)
	}
}

// checkStructured checks what holds for any page: every string is
// bounded, valid UTF-8 and clean, and Fields and Sources agree with the
// fields.
func checkStructured(t *testing.T, s Structured) {
	t.Helper()
	for name, v := range map[string]string{
		"title": s.Title, "body": s.Body, "org": s.Org, "location": s.Location, "salary": s.Salary,
		"employment_type": s.EmploymentType, "contact": s.Contact, "lang": s.Lang,
	} {
		switch {
		case !utf8.ValidString(v):
			t.Errorf("%s: invalid UTF-8", name)
		case len(v) > ad.MaxFieldBytes:
			t.Errorf("%s: %d bytes", name, len(v))
		case v != strings.TrimSpace(v):
			t.Errorf("%s: untrimmed %q", name, v)
		case strings.Contains(v, "  ") || strings.Contains(v, "\n\n") || strings.Contains(v, "\t"):
			t.Errorf("%s: uncollapsed white space in %q", name, v)
		case name != "body" && strings.Contains(v, "\n"):
			t.Errorf("%s: several lines in %q", name, v)
		}
	}
	if len(s.Types) > maxTypes {
		t.Errorf("%d types", len(s.Types))
	}
	for _, ty := range s.Types {
		if ty == "" || len(ty) > maxTypeBytes || !utf8.ValidString(ty) {
			t.Errorf("type %q", ty)
		}
	}
	if !slices.Equal(s.Fields, fieldNames(s)) {
		t.Errorf("fields %q, want %q", s.Fields, fieldNames(s))
	}
	if (len(s.Fields) == 0) != (len(s.Sources) == 0) {
		t.Errorf("fields %q from sources %q", s.Fields, s.Sources)
	}
	if !slices.IsSortedFunc(s.Sources, func(a, b string) int {
		return slices.Index(sourceNames[:], a) - slices.Index(sourceNames[:], b)
	}) || slices.Contains(s.Sources, "") {
		t.Errorf("sources %q", s.Sources)
	}
}

func structuredSeeds(f *testing.F) [][]byte {
	files, err := filepath.Glob("testdata/structured/*.html")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzExtractStructured feeds arbitrary HTML to ExtractStructured: it
// must not panic, and whatever it returns must be bounded and clean.
func FuzzExtractStructured(f *testing.F) {
	for _, b := range structuredSeeds(f) {
		f.Add(b)
	}
	f.Add(ldPage(strings.Repeat("[", 100)))
	f.Add(ldPage(`{"@graph":[{"@id":"a","@type":"JobPosting","hiringOrganization":{"@id":"a"},"jobLocation":{"@id":"a"}}]}`))
	f.Add([]byte(`<div itemscope itemtype="JobPosting"><div itemprop="jobLocation address" itemscope><span itemprop="addressLocality name">\xff</span></div></div>`))
	f.Add([]byte("<main>" + strings.Repeat("<div><nav>x</nav>", 3000) + "\xfe"))
	f.Fuzz(func(t *testing.T, page []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			return
		}
		checkStructured(t, ExtractStructured(doc))
	})
}

// FuzzJSONLD feeds arbitrary JSON to the JSON-LD decoder and the posting
// reader: no panic, no value beyond the bounds, and clean fields.
func FuzzJSONLD(f *testing.F) {
	f.Add([]byte(jobLD))
	f.Add([]byte(`{"@graph":[{"@type":"Organization","@id":"#o","name":"А"},{"@type":["schema:JobPosting"],"hiringOrganization":{"@id":"#o"},"baseSalary":{"value":{"minValue":1,"maxValue":"2","unitText":"DAY"}}}]}`))
	f.Add([]byte("<!-- {\"@type\":\"JobPosting\",\"description\":\"a\nb &lt;p&gt;c\"} -->"))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	for _, b := range structuredSeeds(f) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			f.Fatal(err)
		}
		doc.Find(`script[type^="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
			f.Add([]byte(s.Text()))
		})
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		d := jsonDecoder{budget: maxJSONValues}
		v, ok := d.decode(string(script))
		if !ok {
			if len(d.objects) != 0 {
				t.Fatalf("%d objects kept from a dropped value", len(d.objects))
			}
			return
		}
		if n, depth := jsonSize(v, 0); n > maxJSONValues || depth > maxJSONDepth {
			t.Fatalf("%d values, depth %d", n, depth)
		}
		g := &ldGraph{}
		for _, m := range d.objects {
			if id, ok := m["@id"].(string); ok {
				if g.byID == nil {
					g.byID = map[string]map[string]any{}
				}
				g.byID[id] = m
			}
		}
		for _, m := range d.objects {
			f := g.job(m)
			s := Structured{Title: f.title, Body: f.body, Org: f.org, Location: f.location, Salary: f.salary,
				EmploymentType: f.employmentType, Contact: f.contact, Lang: f.lang, Posted: f.posted, ValidThrough: f.validThrough}
			if s.Fields = fieldNames(s); s.Fields != nil {
				s.Sources = []string{"json-ld"}
			}
			checkStructured(t, s)
		}
	})
}

// jsonSize counts the values of a decoded JSON value and its depth.
func jsonSize(v any, depth int) (n, maxDepth int) {
	n, maxDepth = 1, depth
	var kids []any
	switch x := v.(type) {
	case map[string]any:
		for _, k := range x {
			kids = append(kids, k)
		}
	case []any:
		kids = x
	}
	for _, k := range kids {
		kn, kd := jsonSize(k, depth+1)
		n += kn
		maxDepth = max(maxDepth, kd)
	}
	return n, maxDepth
}

func BenchmarkExtractStructured(b *testing.B) {
	for _, name := range []string{"jsonld-single.html", "microdata.html", "og-profile-ru.html"} {
		page, err := os.ReadFile(filepath.Join("testdata/structured", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(name, ".html"), func(b *testing.B) {
			doc := structuredDoc(b, page)
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				ExtractStructured(doc)
			}
		})
	}
}

// hostilePages are pages of DefaultMaxBodyBytes made to be slow to read.
func hostilePages() map[string][]byte {
	fill := func(prefix, unit, suffix string) []byte {
		n := (DefaultMaxBodyBytes - len(prefix) - len(suffix)) / len(unit)
		return []byte(prefix + strings.Repeat(unit, n) + suffix)
	}
	// The parser refuses pages nested deeper than 512 elements.
	nest := func(open, close string) string { return strings.Repeat(open, 400) + strings.Repeat(close, 400) }
	script := `<script type="application/ld+json">{"@type":"JobPosting","description":"` + strings.Repeat("<p>ж</p>", maxLDBytes/9-16) + `"}</script>`
	return map[string][]byte{
		"ld-scripts":     fill("<head>", script, ""),
		"ld-values":      fill(`<script type="application/ld+json">[`, `{"@type":"T"},`, `1]</script>`),
		"md-nested":      fill(`<div itemscope itemtype="https://schema.org/JobPosting">`, nest(`<div itemprop="title description name">`, "</div>"), ""),
		"md-items":       fill(`<div itemscope itemtype="https://schema.org/JobPosting">`, `<div itemprop="jobLocation" itemscope><b itemprop="name"></b></div>`, ""),
		"text-paragraph": fill("<div>", "<p>Работа в Европе для девушек.</p>", ""),
		"text-nested":    fill("<main>", nest("<div><nav>x</nav>ж", "</div>"), ""),
		"meta":           fill("<head>", `<meta property="og:title" content="ж">`, ""),
	}
}

// BenchmarkExtractStructuredHostile measures ExtractStructured on pages
// made to be slow (the page is parsed once, outside the loop).
func BenchmarkExtractStructuredHostile(b *testing.B) {
	pages := hostilePages()
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		b.Run(name, func(b *testing.B) {
			doc := structuredDoc(b, pages[name])
			b.SetBytes(int64(len(pages[name])))
			b.ReportAllocs()
			for b.Loop() {
				ExtractStructured(doc)
			}
		})
	}
}

// TestStructuredBodyChoice checks that an OpenGraph description gives way
// to the main text block only when that block is longer.
func TestStructuredBodyChoice(t *testing.T) {
	long := "Ищем девушек 18–30 лет для работы хостес в Дубае, перелёт и визу оплачиваем, жильё бесплатно."
	cases := []struct{ og, main, want, source string }{
		{og: long, main: "Коротко.", want: long, source: "opengraph"},
		{og: "Коротко.", main: long, want: long, source: "text"},
		{og: "", main: long, want: long, source: "text"},
		{og: long, main: "", want: long, source: "opengraph"},
	}
	for _, c := range cases {
		page := `<html><head><meta property="og:description" content="` + c.og + `"></head><body><nav><p>` + long + long + `</p></nav><main><p>` + c.main + `</p></main></body></html>`
		s := ExtractStructured(structuredDoc(t, []byte(page)))
		if s.Body != c.want || !slices.Equal(s.Sources, []string{c.source}) {
			t.Errorf("og %q, main %q: body %q from %q", c.og, c.main, s.Body, s.Sources)
		}
	}
}

// TestJSONLDPrefixedKeys checks that "schema:title" is read as "title",
// and that of a name given both ways only the plain one is kept and
// walked: each object is listed once however deep the duplicates go.
func TestJSONLDPrefixedKeys(t *testing.T) {
	d := jsonDecoder{budget: maxJSONValues}
	v, ok := d.decode(strings.Repeat(`{"a":`, 60) + `{"@type":"JobPosting","http://schema.org/title":"Кухар"}` + strings.Repeat(`,"schema:a":{"b":1}}`, 60))
	if !ok {
		t.Fatal("not decoded")
	}
	if len(d.objects) != 61 {
		t.Errorf("%d objects, want 61", len(d.objects))
	}
	if n, depth := jsonSize(v, 0); n != 63 || depth != 61 {
		t.Errorf("%d values, depth %d", n, depth)
	}
	g := &ldGraph{}
	if f := g.job(d.objects[60]); f.title != "Кухар" {
		t.Errorf("title %q", f.title)
	}
}
