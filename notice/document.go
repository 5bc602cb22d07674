package notice

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// GoodFaithStatement is the statement of Article 16(2)(d) of the Digital
// Services Act that every notice carries.
const GoodFaithStatement = "I declare that I have a bona fide belief that the information and allegations " +
	"contained in this notice are accurate and complete."

// noticeGround is the general explanation of why the ads of a notice are
// considered illegal content; each ad adds its own indicators, quoted.
const noticeGround = "These ads recruit people for work or marriage abroad by deception. They show the recruitment " +
	"pattern of trafficking in human beings (Directive 2011/36/EU, Article 2, and the national criminal law " +
	"implementing it) or of fraudulent job offers. A human analyst reviewed and confirmed each ad; for each we " +
	"list the indicators of deception it shows, quoting its own words."

// DefaultOverdue is how long a sent notice may stay open before it is
// overdue.
const DefaultOverdue = 7 * 24 * time.Hour

// Options configure takedown notices. The zero value works, but
// notices cannot be sent until the notifier is set.
type Options struct {
	// NotifierName and NotifierEmail identify who sends notices (DSA
	// Article 16(2)(c)); both are required to mark a notice sent.
	NotifierName, NotifierEmail string
	// Overdue is how long a sent notice may stay open before it is marked
	// overdue; 0 means DefaultOverdue.
	Overdue time.Duration
	// Platforms are, per site ID, the platform a notice to the site is
	// addressed to (the crawler profiles' platform_name and
	// notice_contact). A site without a name here is named by its ID.
	Platforms map[string]Platform
}

// Platform is who receives the notices about one site.
type Platform struct {
	// Name is the platform's own name ("Rabota.md").
	Name string
	// Contact is where the platform takes notices: an e-mail address or
	// the URL of its notice form; empty when unknown.
	Contact string
}

// Addressee is who receives the notices about site: its configured
// platform name and contact, else the site ID without contact.
func (o Options) Addressee(site string) Addressee {
	p := o.Platforms[site]
	if p.Name == "" {
		return Addressee{Name: site, Contact: p.Contact}
	}
	return Addressee{Name: p.Name, Contact: p.Contact}
}

// Addressee is the platform a notice goes to, as exported.
type Addressee struct {
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// Line is the addressee as one line: "Rabota.md, notices@rabota.example".
func (a Addressee) Line() string {
	if a.Contact == "" {
		return a.Name
	}
	return a.Name + ", " + a.Contact
}

// ContactLink is the contact as a safe http(s) link, or "" when it is an
// e-mail address (or not a URL).
func (a Addressee) ContactLink() string {
	u, err := url.Parse(strings.TrimSpace(a.Contact))
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.String()
	}
	return ""
}

// Document is a notice as exported: everything DSA Article 16(2) asks of
// a notice, per item.
type Document struct {
	Notice      int64      `json:"notice"`
	Site        string     `json:"site"`
	To          Addressee  `json:"to"` // the platform and its notice contact
	Status      Status     `json:"status"`
	Subject     string     `json:"subject"`
	Explanation string     `json:"explanation"`
	Notifier    Notifier   `json:"notifier"`
	Statement   string     `json:"good_faith_statement"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      time.Time  `json:"sent_at,omitzero"`
	ClosedAt    time.Time  `json:"closed_at,omitzero"`
	Overdue     bool       `json:"overdue"`
	Next        []Status   `json:"next_statuses"`
	Items       []DocItem  `json:"items"`
	History     []DocEvent `json:"history"`
	Removed     int        `json:"removed_count"`
	ItemCount   int        `json:"item_count"`
	Note        string     `json:"note,omitempty"`
	Missing     []string   `json:"missing,omitempty"` // DSA fields not yet filled in
	// Unconfirmed lists the ads whose review status is no longer
	// "confirmed"; a draft cannot be sent until they are dropped.
	Unconfirmed []string `json:"unconfirmed,omitempty"`
}

// Notifier is who sends a notice (DSA Article 16(2)(c)).
type Notifier struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// DocItem is one ad of a notice as exported.
type DocItem struct {
	Pos   int    `json:"position"` // 1-based
	AdID  string `json:"ad_id"`
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	// Destinations name the countries the ad sends people to, when known.
	Destinations []string `json:"destinations,omitempty"`
	// Indicators are the ad's indicators of deception in plain words,
	// each with the ad's words that show it.
	Indicators    []Indicator `json:"indicators"`
	ReviewNote    string      `json:"review_note"`
	ReviewedBy    string      `json:"reviewed_by"`
	Snapshot      string      `json:"snapshot"`
	FetchedAt     time.Time   `json:"fetched_at,omitzero"`
	ContentHash   string      `json:"content_hash"`
	RemovedAt     time.Time   `json:"removed_at,omitzero"`
	RemovalReason string      `json:"removal_reason,omitempty"`
	ReviewStatus  string      `json:"review_status,omitempty"` // now, not at drafting
	Confirmed     bool        `json:"confirmed"`               // ReviewStatus is "confirmed"
}

// DocEvent is one step of a notice's lifecycle as exported.
type DocEvent struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  Status    `json:"from,omitempty"`
	To    Status    `json:"to"`
	Note  string    `json:"note,omitempty"`
}

// NewDocument builds the exported form of a notice at now. The notifier
// is the one recorded when the notice was sent, else the configured one.
// combination reports which rules combine others (see itemIndicators);
// nil means none.
func NewDocument(n Notice, o Options, now time.Time, combination func(rule string) bool) Document {
	d := Document{Notice: n.ID, Site: n.Site, Status: n.Status, Explanation: noticeGround, Statement: GoodFaithStatement,
		CreatedAt: n.CreatedAt, SentAt: n.SentAt, ClosedAt: n.ClosedAt, Overdue: n.Overdue(now, o.Period()),
		Next: n.Status.Next(), Removed: n.RemovedCount, ItemCount: n.ItemCount, Note: n.Note,
		Items: []DocItem{}, History: []DocEvent{}}
	if d.Next == nil {
		d.Next = []Status{}
	}
	d.Notifier = Notifier{n.NotifierName, n.NotifierEmail}
	if n.Status == Draft || d.Notifier.Name == "" || d.Notifier.Email == "" {
		d.Notifier = Notifier{o.NotifierName, o.NotifierEmail}
	}
	if d.Notifier.Name == "" {
		d.Missing = append(d.Missing, "notifier name (--notifier-name)")
	}
	if d.Notifier.Email == "" {
		d.Missing = append(d.Missing, "notifier e-mail (--notifier-email)")
	}
	d.To = o.Addressee(n.Site)
	d.Subject = fmt.Sprintf("Notice of illegal content (Article 16 DSA): %d ad%s on %s [lure notice #%d]",
		len(n.Items), plural(len(n.Items)), oneLine(d.To.Name), n.ID)
	for i, it := range n.Items {
		d.Items = append(d.Items, DocItem{Pos: i + 1, AdID: it.AdID, URL: it.URL, Title: it.Title,
			Destinations: countryNames(it.Destinations), Indicators: itemIndicators(it.Rules, combination),
			ReviewNote: it.ReviewNote, ReviewedBy: it.ReviewedBy, Snapshot: it.Snapshot, FetchedAt: it.Crawled, ContentHash: it.ContentHash,
			RemovedAt: it.RemovedAt, RemovalReason: it.RemovalReason,
			ReviewStatus: it.ReviewStatus, Confirmed: it.ReviewStatus == ReviewConfirmed})
	}
	d.Unconfirmed = n.Unconfirmed()
	for _, e := range n.History {
		d.History = append(d.History, DocEvent{At: e.At, Actor: e.Actor, From: e.From, To: e.To, Note: e.Note})
	}
	return d
}

// Period is how long a sent notice may stay open before it is overdue.
func (o Options) Period() time.Duration {
	if o.Overdue > 0 {
		return o.Overdue
	}
	return DefaultOverdue
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// CSVHeader is the first row of a notice's CSV export; one row follows per
// ad.
var CSVHeader = []string{"notice", "to", "contact", "site", "status", "notifier_name", "notifier_email", "good_faith_statement",
	"ad_id", "url", "title", "destinations", "indicators", "review_note", "snapshot", "fetched_at", "removed_at", "removal_reason"}

// WriteCSV writes the notice as CSV: a CSVHeader row, then one row per ad; its indicators cell has one
// indicator a line, with the quoted words. Cells that a spreadsheet would
// run as a formula are prefixed with an apostrophe.
func WriteCSV(w io.Writer, d Document) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, it := range d.Items {
		lines := make([]string, len(it.Indicators))
		for i, in := range it.Indicators {
			lines[i] = in.Line()
		}
		row := []string{strconv.FormatInt(d.Notice, 10), d.To.Name, d.To.Contact, d.Site, string(d.Status), d.Notifier.Name, d.Notifier.Email, d.Statement,
			it.AdID, it.URL, it.Title, strings.Join(it.Destinations, ", "), strings.Join(lines, "\n"), it.ReviewNote,
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

// WriteEmail writes the notice as an e-mail: a Subject line, a blank
// line and a plain-text body.
func WriteEmail(w io.Writer, d Document) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Subject: %s\n\n", oneLine(d.Subject))
	fmt.Fprintf(&b, "To: %s\n\n", oneLine(d.To.Line()))
	fmt.Fprintf(&b, "To the team handling notices of illegal content on %s,\n\n", oneLine(d.To.Name))
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
		if len(it.Destinations) > 0 {
			fmt.Fprintf(&b, "Destination: %s\n", strings.Join(it.Destinations, ", "))
		}
		if len(it.Indicators) > 0 {
			b.WriteString("Indicators of deception:\n")
		}
		for _, in := range it.Indicators {
			fmt.Fprintf(&b, "  - %s\n", in.Line())
		}
		if it.ReviewNote != "" {
			fmt.Fprintf(&b, "Analyst's note: %s\n", oneLine(it.ReviewNote))
		}
		fmt.Fprintf(&b, "Archived copy: %s, fetched %s\n", orNone(it.Snapshot), orNone(csvTime(it.FetchedAt)))
	}
	fmt.Fprintf(&b, "\nNotifier: %s <%s>\n\n%s\n\n%s\n", orMissing(d.Notifier.Name), orMissing(d.Notifier.Email),
		d.Statement, orMissing(d.Notifier.Name))
	_, err := io.WriteString(w, b.String())
	return err
}

// csvSafe keeps a spreadsheet from running a cell as a formula: a cell
// starting with =, +, -, @, tab or carriage return gets an apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
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
