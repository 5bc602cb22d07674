package redact

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain wording kept", "опыт работы не нужен, девушки 18-25", "опыт работы не нужен, девушки 18-25"},
		{"salary kept", "от 3000 € в месяц, 2500-4000 $", "от 3000 € в месяц, 2500-4000 $"},
		{"two-group phone", "тел 0000-000 или 222-3344", "тел [phone] или [phone]"},
		{"range with spaces", "800 - 1200 €", "800 - 1200 €"},
		{"intl phone", "звоните +373 68 000 111", "звоните [phone]"},
		{"national phone with parens", "тел. (067) 123-45-67 после 18", "тел. [phone] после 18"},
		{"phone digits spaced", "0 6 8 1 2 3 4 5 6", "[phone]"},
		{"email", "CV на hr.agency@mail.ru сегодня", "CV на [email] сегодня"},
		{"handle", "пишите в Telegram @antalya_girls", "пишите в Telegram [handle]"},
		{"t.me link", "https://t.me/work_abroad_bot?start=1 подробнее", "[handle] подробнее"},
		{"wa.me link", "wa.me/37379000222", "[handle]"},
		{"viber link", "viber://chat?number=%2B37360000000", "[handle]"},
		{"url", "анкета на https://example.org/form?id=7", "анкета на [link]"},
		{"www", "смотри www.job-abroad.biz/vacancy", "смотри [link]"},
		{"bare domain", "сайт agentia-munca.md, sunati", "сайт [link], sunati"},
		{"passport-like id", "паспорт AB1234567", "паспорт [id]"},
		{"long number", "договор № 20251121", "договор № [phone]"},
		{"number with letters", "ИНН 1234567890 код MD10042", "ИНН [phone] код [id]"},
		{"ru given name inflected", "спросить Кристину", "спросить [name]"},
		{"name in parens", "Viber (Кристина)", "Viber ([name])"},
		{"full name", "менеджер Ольга Петрова ждёт", "менеджер [name] ждёт"},
		{"ro full name", "contact: Ion Popescu", "contact: [name]"},
		{"pl name", "Pani Katarzyna zaprasza", "Pani [name] zaprasza"},
		{"cue then capitalised", "обращаться Зоряна", "обращаться [name]"},
		{"ambiguous word lower case", "вера в себя, надежда", "вера в себя, надежда"},
		{"ambiguous name capitalised", "Вера ответит", "[name] ответит"},
		{"country not a name", "Работа Украина Молдова", "Работа Украина Молдова"},
		{"placeholder untouched", "[phone] [name]", "[phone] [name]"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStringBounded(t *testing.T) {
	in := strings.Repeat("ж", MaxBytes) // 2 bytes each
	out := String(in)
	if len(out) > MaxBytes || !utf8.ValidString(out) {
		t.Errorf("len %d, valid %v", len(out), utf8.ValidString(out))
	}
}

var sevenDigits = regexp.MustCompile(`\d[\d\s().\-/]{5,}\d`)

// FuzzString checks that redaction never panics, keeps UTF-8 valid, is
// bounded, is stable when applied again, and leaves no e-mail address,
// @handle or phone-length digit run.
func FuzzString(f *testing.F) {
	for _, s := range []string{"звоните +373 68 000 111", "a@b.co", "@handle_x", "t.me/x", "Кристина Петрова",
		"www.x.md", "AB1234567", "[phone]", "@@", "1 2 3 4 5 6 7 8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := String(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", in)
		}
		if len(out) > 2*MaxBytes {
			t.Fatalf("output of %d bytes", len(out))
		}
		if emailRe.MatchString(out) {
			t.Errorf("e-mail left in %q (from %q)", out, in)
		}
		for _, m := range sevenDigits.FindAllString(out, -1) {
			if digits(m) >= 7 {
				t.Errorf("phone-like %q left in %q (from %q)", m, out, in)
			}
		}
		if loc := handleRe.FindStringIndex(out); loc != nil {
			t.Errorf("handle left in %q (from %q)", out, in)
		}
	})
}
