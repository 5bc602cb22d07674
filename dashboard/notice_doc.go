package dashboard

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/store"
)

// GoodFaithStatement is the statement of Article 16(2)(d) of the Digital
// Services Act that every notice carries.
const GoodFaithStatement = "I declare that I have a bona fide belief that the information and allegations " +
	"contained in this notice are accurate and complete."

// noticeGround is the general explanation of why the ads of a notice are
// considered illegal content; each item adds its own evidence.
const noticeGround = "The ads listed in this notice recruit people by deception for work or marriage abroad, " +
	"showing the recruitment pattern of trafficking in human beings (Directive 2011/36/EU, Article 2, and the " +
	"national criminal law implementing it) or of fraudulent job offers. Each ad was flagged by transparent " +
	"rules whose matched words are quoted below, and confirmed by a human analyst whose note is given."

// DefaultNoticeOverdue is how long a sent notice may stay open before the
// dashboard marks it overdue.
const DefaultNoticeOverdue = 7 * 24 * time.Hour

// NoticeOptions configure takedown notices. The zero value works, but
// notices cannot be sent until the notifier is set.
type NoticeOptions struct {
	// NotifierName and NotifierEmail identify who sends notices (DSA
	// Article 16(2)(c)); both are required to mark a notice sent.
	NotifierName, NotifierEmail string
	// Overdue is how long a sent notice may stay open before it is marked
	// overdue; 0 means DefaultNoticeOverdue.
	Overdue time.Duration
}

// noticeDoc is a notice as exported: everything DSA Article 16(2) asks of
// a notice, per item.
type noticeDoc struct {
	Notice      int64      `json:"notice"`
	Site        string     `json:"site"`
	Status      string     `json:"status"`
	Subject     string     `json:"subject"`
	Explanation string     `json:"explanation"`
	Notifier    notifier   `json:"notifier"`
	Statement   string     `json:"good_faith_statement"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      time.Time  `json:"sent_at,omitzero"`
	ClosedAt    time.Time  `json:"closed_at,omitzero"`
	Overdue     bool       `json:"overdue"`
	Next        []string   `json:"next_statuses"`
	Items       []docItem  `json:"items"`
	History     []docEvent `json:"history"`
	Removed     int        `json:"removed_count"`
	ItemCount   int        `json:"item_count"`
	Note        string     `json:"note,omitempty"`
	Missing     []string   `json:"missing,omitempty"` // DSA fields not yet filled in
	// Unconfirmed lists the ads whose review status is no longer
	// "confirmed"; a draft cannot be sent until they are dropped.
	Unconfirmed []string `json:"unconfirmed,omitempty"`
}

type notifier struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type docItem struct {
	Pos           int                `json:"position"` // 1-based
	AdID          string             `json:"ad_id"`
	URL           string             `json:"url"`
	Title         string             `json:"title,omitempty"`
	Explanation   string             `json:"explanation"`
	Rules         []store.NoticeRule `json:"rules"`
	ReviewNote    string             `json:"review_note"`
	ReviewedBy    string             `json:"reviewed_by"`
	Score         float64            `json:"score"`
	RulePack      string             `json:"rule_pack"`
	Snapshot      string             `json:"snapshot"`
	FetchedAt     time.Time          `json:"fetched_at,omitzero"`
	ContentHash   string             `json:"content_hash"`
	RemovedAt     time.Time          `json:"removed_at,omitzero"`
	RemovalReason string             `json:"removal_reason,omitempty"`
	ReviewStatus  string             `json:"review_status,omitempty"` // now, not at drafting
	Confirmed     bool               `json:"confirmed"`               // ReviewStatus is "confirmed"
}

type docEvent struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  string    `json:"from,omitempty"`
	To    string    `json:"to"`
	Note  string    `json:"note,omitempty"`
}

// newNoticeDoc builds the exported form of a notice. The notifier is the
// one recorded when the notice was sent, else the configured one.
func newNoticeDoc(n store.Notice, o NoticeOptions, now time.Time) noticeDoc {
	d := noticeDoc{Notice: n.ID, Site: n.Site, Status: n.Status, Explanation: noticeGround, Statement: GoodFaithStatement,
		CreatedAt: n.CreatedAt, SentAt: n.SentAt, ClosedAt: n.ClosedAt, Overdue: n.Overdue(now, o.overdue()),
		Next: store.NoticeNext(n.Status), Removed: n.RemovedCount, ItemCount: n.ItemCount, Note: n.Note,
		Items: []docItem{}, History: []docEvent{}}
	if d.Next == nil {
		d.Next = []string{}
	}
	d.Notifier = notifier{n.NotifierName, n.NotifierEmail}
	if n.Status == store.NoticeDraft || d.Notifier.Name == "" || d.Notifier.Email == "" {
		d.Notifier = notifier{o.NotifierName, o.NotifierEmail}
	}
	if d.Notifier.Name == "" {
		d.Missing = append(d.Missing, "notifier name (--notifier-name)")
	}
	if d.Notifier.Email == "" {
		d.Missing = append(d.Missing, "notifier e-mail (--notifier-email)")
	}
	d.Subject = fmt.Sprintf("Notice of illegal content (Article 16 DSA): %d ad%s on %s [lure notice #%d]",
		len(n.Items), plural(len(n.Items)), n.Site, n.ID)
	for i, it := range n.Items {
		d.Items = append(d.Items, docItem{Pos: i + 1, AdID: it.AdID, URL: it.URL, Title: it.Title, Explanation: itemExplanation(it),
			Rules: it.Rules, ReviewNote: it.ReviewNote, ReviewedBy: it.ReviewedBy, Score: it.Score, RulePack: it.RulePack,
			Snapshot: it.Snapshot, FetchedAt: it.Crawled, ContentHash: it.ContentHash,
			RemovedAt: it.RemovedAt, RemovalReason: it.RemovalReason,
			ReviewStatus: it.ReviewStatus, Confirmed: it.ReviewStatus == store.StatusConfirmed})
	}
	d.Unconfirmed = n.Unconfirmed()
	for _, e := range n.History {
		d.History = append(d.History, docEvent{At: e.At, Actor: e.Actor, From: e.From, To: e.To, Note: e.Note})
	}
	return d
}

func (o NoticeOptions) overdue() time.Duration {
	if o.Overdue > 0 {
		return o.Overdue
	}
	return DefaultNoticeOverdue
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// itemExplanation is the substantiated explanation of one ad: the rules
// that fired with their descriptions and matched text, and the analyst's
// note.
func itemExplanation(it store.NoticeItem) string {
	var b strings.Builder
	b.WriteString(itemLead(it.Score, it.RulePack))
	if len(it.Rules) > 0 {
		b.WriteString(" Indicators found:")
		for i, r := range it.Rules {
			if i > 0 {
				b.WriteString(";")
			}
			fmt.Fprintf(&b, " [%s]", r.Rule)
			if r.Description != "" {
				b.WriteString(" " + r.Description)
			}
			if q := quotes(r.Quotes); q != "" {
				b.WriteString(": " + q)
			}
		}
		b.WriteString(".")
	}
	if it.ReviewNote != "" {
		b.WriteString(" Analyst's note: " + it.ReviewNote)
	}
	return b.String()
}

// itemLead is the first sentence of an item's explanation.
func itemLead(score float64, rulePack string) string {
	return fmt.Sprintf("Confirmed by a human analyst as deceptive recruitment (risk score %s/100, rule pack %s).",
		strconv.FormatFloat(score, 'f', 0, 64), rulePack)
}

func quotes(qs []store.NoticeQuote) string {
	parts := make([]string, len(qs))
	for i, q := range qs {
		parts[i] = "“" + q.Text + "” (" + q.Field + ")"
	}
	return strings.Join(parts, ", ")
}

// csvHeader is the first row of a notice's CSV export; one row follows per
// ad.
var csvHeader = []string{"notice", "site", "status", "notifier_name", "notifier_email", "good_faith_statement",
	"ad_id", "url", "explanation", "rules", "evidence", "review_note", "snapshot", "fetched_at", "removed_at", "removal_reason"}

// writeNoticeCSV writes one row per ad. Cells that a spreadsheet would
// run as a formula are prefixed with an apostrophe.
func writeNoticeCSV(w io.Writer, d noticeDoc) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, it := range d.Items {
		var rules, evidence []string
		for _, r := range it.Rules {
			rules = append(rules, strings.TrimSpace(r.Rule+": "+r.Description))
			for _, q := range r.Quotes {
				evidence = append(evidence, r.Rule+" "+q.Field+": "+q.Text)
			}
		}
		row := []string{strconv.FormatInt(d.Notice, 10), d.Site, d.Status, d.Notifier.Name, d.Notifier.Email, d.Statement,
			it.AdID, it.URL, it.Explanation, strings.Join(rules, "\n"), strings.Join(evidence, "\n"), it.ReviewNote,
			it.Snapshot, csvTime(it.FetchedAt), csvTime(it.RemovedAt), it.RemovalReason}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writeNoticeEmail writes the notice as an e-mail: a Subject line, a blank
// line and a plain-text body.
func writeNoticeEmail(w io.Writer, d noticeDoc) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Subject: %s\n\n", oneLine(d.Subject))
	fmt.Fprintf(&b, "To the team handling notices of illegal content on %s,\n\n", d.Site)
	fmt.Fprintf(&b, "Under Article 16 of Regulation (EU) 2022/2065 (Digital Services Act) we notify you of %d ad%s "+
		"on your service that we consider illegal content, and ask you to remove %s.\n\n",
		len(d.Items), plural(len(d.Items)), map[bool]string{true: "it", false: "them"}[len(d.Items) == 1])
	fmt.Fprintf(&b, "Why: %s\n", d.Explanation)
	for i, it := range d.Items {
		fmt.Fprintf(&b, "\n--- Ad %d of %d ---\n", i+1, len(d.Items))
		fmt.Fprintf(&b, "URL: %s\n", oneLine(it.URL))
		if it.Title != "" {
			fmt.Fprintf(&b, "Title: %s\n", oneLine(it.Title))
		}
		fmt.Fprintf(&b, "Why: %s", itemLead(it.Score, it.RulePack))
		if len(it.Rules) > 0 {
			b.WriteString(" Indicators found:")
		}
		b.WriteString("\n")
		for _, r := range it.Rules {
			fmt.Fprintf(&b, "  - rule %s", r.Rule)
			if r.Description != "" {
				fmt.Fprintf(&b, ": %s", oneLine(r.Description))
			}
			b.WriteString("\n")
			for _, q := range r.Quotes {
				fmt.Fprintf(&b, "      matched in %s: “%s”\n", q.Field, oneLine(q.Text))
			}
		}
		if it.ReviewNote != "" {
			fmt.Fprintf(&b, "Analyst's note: %s\n", it.ReviewNote)
		}
		fmt.Fprintf(&b, "Evidence: archived copy %s, fetched %s\n", orNone(it.Snapshot), orNone(csvTime(it.FetchedAt)))
	}
	fmt.Fprintf(&b, "\nNotifier: %s <%s>\n\n%s\n\n%s\n", orMissing(d.Notifier.Name), orMissing(d.Notifier.Email),
		d.Statement, orMissing(d.Notifier.Name))
	_, err := io.WriteString(w, b.String())
	return err
}

// oneLine keeps hostile text from adding lines (or headers) of its own.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orMissing(s string) string {
	if s == "" {
		return "(NOT SET)"
	}
	return s
}
