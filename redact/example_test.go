package redact_test

import (
	"fmt"

	"github.com/lurewatch/lure/redact"
)

func ExampleString() {
	fmt.Println(redact.String("Опыт не нужен, пишите Кристине в Telegram @girls_job или +373 68 000 111"))
	fmt.Println(redact.String("CV: hr@agency-job.md, www.agency-job.md, contact Ion Popescu"))
	// Output:
	// Опыт не нужен, пишите [name] в Telegram [handle] или [phone]
	// CV: [email], [link], contact [name]
}
