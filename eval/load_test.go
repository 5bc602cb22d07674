package eval

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, name string, opts LoadOptions) ([]Record, error) {
	t.Helper()
	return LoadFile(context.Background(), filepath.Join("testdata", name), opts)
}

func TestLoad(t *testing.T) {
	type want struct {
		id, title, body, salary, location, lang string
		deceptive                               bool
	}
	tests := []struct {
		file   string
		format Format
		n      int
		check  map[int]want
		meta   map[string]string
	}{
		{"lure.jsonl", FormatAuto, 4, map[int]want{
			0: {id: "a1", title: "Повар в столовую", salary: "50 000 руб", location: "Тула", lang: "ru"},
			1: {id: "a2", title: "Dancers abroad", lang: "en", deceptive: true},
			2: {id: "a3", lang: "ro", deceptive: true},
			3: {id: "testdata/lure.jsonl:5", title: "Untitled"},
		}, nil},
		{"difraud.jsonl", FormatAuto, 2, map[int]want{
			1: {id: "difraud.jsonl:2", lang: "en", body: "Earn from home today! Send your bank details to start the data entry job at once.", deceptive: true},
		}, nil},
		{"emscad.csv", FormatAuto, 2, map[int]want{
			0: {id: "emscad.csv:2", title: "Data Entry Clerk", salary: "40000-60000", location: "US, TX, Houston", lang: "en", deceptive: true,
				body: "Work from home & earn weekly.\nNo experience\n\nMust have a bank account\n\nPaid training"},
			1: {title: "Office Manager", body: "Acme Widgets makes widgets.\n\nRun the office\nand keep the diary.\n\nTwo years of experience"},
		}, map[string]string{"has_company_logo": "f", "telecommuting": "t", "employment_type": "Part-time"}},
		{"emscad_ids.csv", FormatEMSCAD, 2, map[int]want{
			0: {id: "emscad-1", title: "Marketing Intern"},
			1: {id: "emscad-2", title: "Payroll Assistant", deceptive: true},
		}, nil},
		{"hh_full.csv", FormatAuto, 2, map[int]want{
			0: {id: "hh_full.csv:2", title: "Кладовщик", salary: "50000-70000 RUR", location: "Самара", lang: "ru",
				body: "ООО Склад\n\nСклад ищет кладовщика.\nПриёмка товара\nРабота в 1С"},
			1: {salary: "до 40000 RUR"},
		}, nil},
		{"hh_snippets.csv", FormatAuto, 1, map[int]want{
			0: {title: "Курьер", salary: "от 60000", location: "Москва", body: "Доставка\n\nДоставка заказов по городу.\n\nОпыт не нужен."},
		}, nil},
		{"superjob.csv", FormatRuJobs, 1, map[int]want{
			0: {title: "Продавец", salary: "45000₽", location: "Москва, Тверская, 1",
				body: "Консультирование покупателей\n\nГрамотная речь\n\nОфициальное трудоустройство;Обучение"},
		}, nil},
		{"cp1252.csv", FormatAuto, 1, map[int]want{
			0: {title: "Café manager", body: "Run the café – daily"},
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			recs, err := load(t, tc.file, LoadOptions{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != tc.n {
				t.Fatalf("%d records, want %d", len(recs), tc.n)
			}
			for i, w := range tc.check {
				r := recs[i]
				if err := r.Ad.Validate(); err != nil {
					t.Errorf("record %d invalid: %v", i, err)
				}
				if r.Deceptive != w.deceptive {
					t.Errorf("record %d deceptive = %v", i, r.Deceptive)
				}
				for _, f := range []struct{ name, got, want string }{
					{"id", r.Ad.ID, w.id}, {"title", r.Ad.Title, w.title}, {"body", r.Ad.Body, w.body},
					{"salary", r.Ad.Salary, w.salary}, {"location", r.Ad.Location, w.location}, {"lang", r.Ad.Lang, w.lang},
				} {
					if f.want != "" && f.got != f.want {
						t.Errorf("record %d %s = %q, want %q", i, f.name, f.got, f.want)
					}
				}
				if !strings.HasPrefix(r.Source, filepath.Join("testdata", tc.file)+":") {
					t.Errorf("record %d source %q", i, r.Source)
				}
			}
			for k, v := range tc.meta {
				if recs[0].Meta[k] != v {
					t.Errorf("meta %s = %q, want %q", k, recs[0].Meta[k], v)
				}
			}
		})
	}
}

func TestLoadCorpusFields(t *testing.T) {
	recs, err := load(t, "lure.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := recs[1]; len(r.Signals) != 2 || r.Signals[1] != "debt_travel" || r.Variant != "plain" || r.Ad.Kind != "job" {
		t.Errorf("signals/variant not kept: %+v", r)
	}
	if recs[2].Ad.Kind != "marriage" || recs[3].Ad.Kind != "job" || recs[3].Ad.Site != "lure.jsonl" {
		t.Errorf("kind/site defaults: %+v / %+v", recs[2].Ad, recs[3].Ad)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		file   string
		opts   LoadOptions
		line   int
		is     error
		substr string
	}{
		{"bad_label.jsonl", LoadOptions{}, 2, nil, `label "maybe"`},
		{"bad_json.jsonl", LoadOptions{}, 2, nil, "unexpected end of JSON"},
		{"no_label.jsonl", LoadOptions{}, 1, nil, "missing label"},
		{"empty_ad.jsonl", LoadOptions{}, 1, nil, "no title and no body"},
		{"bad_fraudulent.csv", LoadOptions{}, 2, nil, `fraudulent "maybe"`},
		{"lure.jsonl", LoadOptions{MaxRecordBytes: 100}, 1, ErrRecordTooLarge, ""},
		{"lure.jsonl", LoadOptions{MaxRecords: 2}, 4, ErrTooManyRecords, ""},
		{"emscad.csv", LoadOptions{MaxRecords: 1}, 3, ErrTooManyRecords, ""},
		{"hh_full.csv", LoadOptions{Format: FormatEMSCAD}, 1, nil, "no fraudulent column"},
	}
	for _, tc := range tests {
		t.Run(tc.file+" "+tc.substr, func(t *testing.T) {
			_, err := load(t, tc.file, tc.opts)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a ParseError", err)
			}
			if pe.Line != tc.line || !strings.HasSuffix(pe.File, tc.file) {
				t.Errorf("at %s:%d, want line %d", pe.File, pe.Line, tc.line)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.substr) || !strings.HasPrefix(err.Error(), "eval: ") {
				t.Errorf("err = %q, want it to contain %q", err, tc.substr)
			}
		})
	}
}

func TestCSVRecordTooLarge(t *testing.T) {
	big := "name,description\nx,\"" + strings.Repeat("a", 300<<10) + "\"\n"
	_, err := Load(context.Background(), strings.NewReader(big), "big.csv", LoadOptions{MaxRecordBytes: 1 << 10})
	if !errors.Is(err, ErrRecordTooLarge) {
		t.Fatalf("err = %v, want ErrRecordTooLarge", err)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
		err        bool
	}{
		{"a.jsonl", `{"id":"1","title":"t","label":0}`, FormatJSONL, false},
		{"a.jsonl", "\n\n{\"text\":\"t\",\"label\":0}\n", FormatDIFrauD, false},
		{"a.JSONL", `{"text":"t","body":"b","label":0}`, FormatJSONL, false},
		{"a.jsonl", `{"text":"` + strings.Repeat("long ", 20000), FormatDIFrauD, false},
		{"a.jsonl", `{"id":"1","body":"` + strings.Repeat("long ", 20000), FormatJSONL, false},
		{"a.csv", "\ufefftitle,description,fraudulent\n", FormatEMSCAD, false},
		{"a.csv", "name,area,responsibility\n", FormatRuJobs, false},
		{"a.csv", ",address,duties,name\n", FormatRuJobs, false},
		{"a.csv", "x,y\n", "", true},
		{"a.jsonl", "not json", "", true},
		{"a.txt", "{}", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name+" "+clip(tc.head, 24), func(t *testing.T) {
			got, err := Detect(tc.name, []byte(tc.head))
			if (err != nil) != tc.err || got != tc.want {
				t.Errorf("Detect = %q, %v; want %q (error %v)", got, err, tc.want, tc.err)
			}
		})
	}
	if _, err := load(t, "unknown.txt", LoadOptions{}); err == nil || !strings.Contains(err.Error(), "--format") {
		t.Errorf("unknown extension: %v", err)
	}
}

func TestDedup(t *testing.T) {
	a, err := load(t, "difraud.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := load(t, "lure.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The same file read twice counts as one file: repeats inside a file
	// are kept.
	all := append(append(append([]Record{}, a...), b...), a...)
	if kept, dropped := Dedup(all); dropped != 0 || len(kept) != len(all) {
		t.Fatalf("same file: kept %d dropped %d", len(kept), dropped)
	}
	other := append([]Record{}, a...)
	for i := range other {
		other[i].Source = "other.jsonl:" + strings.TrimPrefix(other[i].Source, "testdata/difraud.jsonl:")
	}
	kept, dropped := Dedup(append(append([]Record{}, a...), other...))
	if dropped != len(a) || len(kept) != len(a) {
		t.Fatalf("two files: kept %d dropped %d", len(kept), dropped)
	}
}

func TestDedupAcrossFormats(t *testing.T) {
	csv := "title,description,fraudulent\nClerk,\"<p>Earn from home today!</p> <p>Send your bank details to start the data entry job at once.</p>\",t\n"
	e, err := Load(context.Background(), strings.NewReader(csv), "x.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := load(t, "difraud.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, dropped := Dedup(append(e, d...)); dropped != 1 {
		t.Fatalf("dropped %d, want the DIFrauD copy of the EMSCAD description", dropped)
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
}

// The dashboard's decision export nests the ad under "ad"; it loads as
// labelled ads so that `lure eval` and `lure fit` can read it as it is.
func TestLoadDecisionExport(t *testing.T) {
	recs, err := load(t, "decisions_export.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	if r := recs[0]; !r.Deceptive || r.Ad.ID != "ex-1" || r.Ad.Site != "board-a" || !strings.HasPrefix(r.Ad.Title, "Hostess") {
		t.Errorf("first record: %+v", r)
	}
	if r := recs[1]; r.Deceptive || r.Ad.Kind != "marriage" || r.Ad.Lang != "ru" {
		t.Errorf("second record: %+v", r)
	}
}
