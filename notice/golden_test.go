package notice

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/internal/golden"
)

// goldenTime is the fixed clock of the golden documents.
var goldenTime = time.Date(2025, 3, 20, 9, 30, 0, 0, time.UTC)

// goldenNotices are the notices the golden files show: a sent, overdue
// notice to a configured platform (one ad removed, one no longer
// confirmed, hostile text in its fields), and a draft with no notifier
// to a site without a platform name.
func goldenNotices() map[string]struct {
	n Notice
	o Options
} {
	sentAt := goldenTime.Add(-9 * 24 * time.Hour)
	created := sentAt.Add(-2 * time.Hour)
	crawled := created.Add(-48 * time.Hour)
	sent := Notice{ID: 7, Site: "rabota.example", Status: Sent, Note: "sent by e-mail", NotifierName: "Stop Trafficking NGO",
		NotifierEmail: "notices@ngo.example", CreatedBy: "ann", CreatedAt: created, UpdatedAt: sentAt, SentAt: sentAt,
		ItemCount: 2, RemovedCount: 1,
		Items: []Item{
			{AdID: "r1", URL: "https://rabota.example/ad/r1", Title: "Официантки в Турцию\nСрочно", Kind: "job", Lang: "ru",
				Score: 93, Band: "high", RulePack: "test-1",
				Rules: []Rule{
					{Rule: "c.debt_bondage", Signal: "debt_travel", Weight: 1, Quotes: []Quote{{"body", "Паспорт хранится у работодателя"}, {"body", "в счет зарплаты"}}},
					{Rule: "ru.passport_held", Signal: "documents_held", Weight: 2, Quotes: []Quote{{"body", "Паспорт хранится у работодателя"}}},
					{Rule: "ru.debt_travel", Signal: "debt_travel", Weight: 1.5, Quotes: []Quote{{"body", "в счет   зарплаты"}}},
					{Rule: "f.pay_ratio", Signal: "high_pay", Weight: 1.2, Quotes: []Quote{{"salary", "2000 $ в месяц"}}},
					{Rule: "x.other", Weight: 0.3, Quotes: []Quote{}},
				},
				ReviewNote: "Recruiter keeps passports", ReviewedBy: "ann", ReviewedAt: created.Add(-time.Hour),
				Snapshot: "sha256:" + strings.Repeat("e", 64), ContentHash: "h-r1", Crawled: crawled,
				Destinations: []string{"TR", "tr", "QQ"},
				RemovedAt:    sentAt.Add(36 * time.Hour), RemovalReason: "gone_404", ReviewStatus: ReviewConfirmed},
			{AdID: "r2", URL: "https://rabota.example/ad/r2?x=1&y=2", Title: "=HYPERLINK(\"http://evil.example\")", Kind: "job",
				Score: 71, Band: "medium", RulePack: "test-1",
				Rules:      []Rule{{Rule: "en.free_visa", Signal: "some_new_signal", Weight: 1.1, Quotes: []Quote{{"title", "free visa\r\nSubject: hi"}}}},
				ReviewNote: "-2 stars", ReviewedBy: "bob", Snapshot: "", ContentHash: "h-r2", ReviewStatus: "needs_info"},
		},
		History: []Event{
			{At: created, Actor: "ann", To: Draft, Notice: 7},
			{At: sentAt, Actor: "bob", From: Draft, To: Sent, Note: "sent by e-mail", Notice: 7},
		}}
	draft := Notice{ID: 8, Site: "locuri.example", Status: Draft, NotifierName: "Old NGO", NotifierEmail: "old@ngo.example",
		CreatedBy: "ann", CreatedAt: created, UpdatedAt: created, ItemCount: 1,
		Items: []Item{{AdID: "l1", URL: "https://locuri.example/l1", Kind: "marriage", Score: 80, Band: "high", RulePack: "test-1",
			Rules:      []Rule{{Rule: "ro.catalogue", Signal: "catalogue", Weight: 1.4, Quotes: []Quote{{"body", "catalog cu fete"}}}},
			ReviewedBy: "ann", Snapshot: "sha256:ab", ContentHash: "h-l1", Crawled: crawled, ReviewStatus: ReviewConfirmed}},
		History: []Event{{At: created, Actor: "ann", To: Draft, Notice: 8}}}
	return map[string]struct {
		n Notice
		o Options
	}{
		"sent": {sent, Options{NotifierName: "Configured NGO", NotifierEmail: "config@ngo.example", Overdue: 7 * 24 * time.Hour,
			Platforms: map[string]Platform{"rabota.example": {Name: "Rabota Example", Contact: "https://rabota.example/dsa-form"}}}},
		"draft": {draft, Options{}},
	}
}

// TestGoldenDocuments renders each golden notice in every export format
// and compares it with testdata/<name>.<format>.golden; -update rewrites
// the files.
func TestGoldenDocuments(t *testing.T) {
	combination := func(rule string) bool { return strings.HasPrefix(rule, "c.") }
	for name, g := range goldenNotices() {
		d := NewDocument(g.n, g.o, goldenTime, combination)
		js, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var csvOut, mail bytes.Buffer
		if err := WriteCSV(&csvOut, d); err != nil {
			t.Fatal(err)
		}
		if err := WriteEmail(&mail, d); err != nil {
			t.Fatal(err)
		}
		for format, got := range map[string][]byte{"json": append(js, '\n'), "csv": csvOut.Bytes(), "email.txt": mail.Bytes()} {
			t.Run(name+"."+format, func(t *testing.T) {
				golden.Check(t, name+"."+format+".golden", got)
			})
		}
	}
}
