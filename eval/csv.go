package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// countingReader fails once more than max bytes were read since the last
// reset, so that one CSV record cannot grow without bound.
type countingReader struct {
	r        io.Reader
	n, max   int
	exceeded bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		c.exceeded = true
		return 0, ErrRecordTooLarge
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// header maps lower-case column names to indexes.
type header map[string]int

func (h header) get(row []string, col string) string {
	if i, ok := h[col]; ok && i < len(row) {
		return row[i]
	}
	return ""
}

func (l *loader) csv(r io.Reader, format Format) ([]Record, error) {
	// csv.Reader reads ahead by at most its 4 KiB buffer; the slack keeps
	// that from failing a record that is within the limit.
	cr := &countingReader{r: r, max: l.opts.MaxRecordBytes + 64<<10}
	rd := csv.NewReader(cr)
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true
	row, err := rd.Read()
	if err != nil {
		return nil, l.csvErr(cr, 1, err)
	}
	h := header{}
	for i, c := range row {
		h[strings.ToLower(strings.Trim(strings.TrimSpace(c), "\ufeff"))] = i
	}
	switch format {
	case FormatEMSCAD:
		if _, ok := h["fraudulent"]; !ok {
			return nil, l.errAt(1, "emscad: no fraudulent column")
		}
	case FormatRuJobs:
		if _, ok := h["name"]; !ok {
			return nil, l.errAt(1, "rujobs: no name column")
		}
	}
	var out []Record
	last, _ := rd.FieldPos(0)
	for {
		if err := l.ctx.Err(); err != nil {
			return nil, err
		}
		cr.n = 0
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, l.csvErr(cr, last+1, err)
		}
		line, _ := rd.FieldPos(0)
		last = line
		if empty(row) {
			continue
		}
		if len(out) >= l.opts.MaxRecords {
			return nil, l.errAt(line, "%w: over %d", ErrTooManyRecords, l.opts.MaxRecords)
		}
		var rec Record
		if format == FormatEMSCAD {
			rec, err = l.emscad(h, row, line)
		} else {
			rec, err = l.rujobs(h, row, line)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

// csvErr positions a read error: at the parser's line, else at line
// (the line after the last good record).
func (l *loader) csvErr(cr *countingReader, line int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.StartLine
	}
	if cr.exceeded || errors.Is(err, ErrRecordTooLarge) {
		return l.errAt(line, "%w: over %d bytes", ErrRecordTooLarge, l.opts.MaxRecordBytes)
	}
	if errors.Is(err, io.EOF) {
		return l.errAt(1, "empty file: no CSV header")
	}
	return l.errAt(line, "%w", err)
}

func empty(row []string) bool {
	for _, f := range row {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// emscadMeta are the EMSCAD columns kept as Record.Meta.
var emscadMeta = []string{"telecommuting", "has_company_logo", "has_questions", "employment_type",
	"required_experience", "required_education", "industry", "function", "department"}

func (l *loader) emscad(h header, row []string, line int) (Record, error) {
	label, ok := labelWord(h.get(row, "fraudulent"))
	if !ok {
		return Record{}, l.errAt(line, "emscad: fraudulent %q: want t/f or 1/0", h.get(row, "fraudulent"))
	}
	desc := htmlText(h.get(row, "description"))
	var body []string
	for _, col := range []string{"company_profile", "description", "requirements", "benefits"} {
		if t := htmlText(h.get(row, col)); t != "" {
			body = append(body, t)
		}
	}
	id := fmt.Sprintf("%s:%d", l.base, line)
	if j := strings.TrimSpace(h.get(row, "job_id")); j != "" {
		id = "emscad-" + j
	}
	a := ad.Ad{V: ad.Version, ID: id, Site: l.base, Kind: ad.KindJob, Lang: "en",
		Title:    clip(htmlText(h.get(row, "title")), ad.MaxFieldBytes),
		Body:     clip(strings.Join(body, "\n\n"), ad.MaxFieldBytes),
		Salary:   clip(htmlText(h.get(row, "salary_range")), ad.MaxFieldBytes),
		Location: clip(htmlText(h.get(row, "location")), ad.MaxFieldBytes)}
	a.ContentHash = a.Hash()
	if err := a.Validate(); err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	meta := map[string]string{}
	for _, col := range emscadMeta {
		if v := strings.TrimSpace(h.get(row, col)); v != "" {
			meta[col] = v
		}
	}
	return Record{Ad: a, Deceptive: label, Source: l.source(line), Meta: meta, dedupKey: textKey(desc)}, nil
}

// rujobs columns by role, in the order they are tried; the three known
// exports (hh.ru full text, hh.ru snippets, superjob) each use some.
var (
	ruBody     = []string{"description", "responsibility", "requirement", "duties", "requirements", "conditions"}
	ruLocation = []string{"area_name", "area", "address"}
	ruEmployer = []string{"employer_name"}
)

func (l *loader) rujobs(h header, row []string, line int) (Record, error) {
	var body []string
	for _, col := range ruBody {
		if t := htmlText(h.get(row, col)); t != "" {
			body = append(body, t)
		}
	}
	salary := htmlText(h.get(row, "salary"))
	if salary == "" {
		salary = salaryRange(trimNum(h.get(row, "salary_from")), trimNum(h.get(row, "salary_to")), strings.TrimSpace(h.get(row, "salary_currency")))
	}
	var location string
	for _, col := range ruLocation {
		if location = htmlText(h.get(row, col)); location != "" {
			break
		}
	}
	// The employer's name is shown beside the vacancy on these sites; it
	// goes first in the body, as a reader sees it.
	for _, col := range ruEmployer {
		if e := htmlText(h.get(row, col)); e != "" {
			body = append([]string{e}, body...)
		}
	}
	a := ad.Ad{V: ad.Version, ID: fmt.Sprintf("%s:%d", l.base, line), Site: l.base, Kind: ad.KindJob, Lang: "ru",
		URL:      strings.TrimSpace(h.get(row, "url")),
		Title:    clip(htmlText(h.get(row, "name")), ad.MaxFieldBytes),
		Body:     clip(strings.Join(body, "\n\n"), ad.MaxFieldBytes),
		Salary:   clip(salary, ad.MaxFieldBytes),
		Location: clip(location, ad.MaxFieldBytes)}
	a.ContentHash = a.Hash()
	if err := a.Validate(); err != nil {
		return Record{}, l.errAt(line, "%w", err)
	}
	return Record{Ad: a, Source: l.source(line)}, nil
}

// trimNum drops a trailing ".0" that pandas exports add to whole numbers.
func trimNum(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ".0") }

// salaryRange writes a from/to pair the way the vacancy sites show it.
func salaryRange(from, to, currency string) string {
	var s string
	switch {
	case from != "" && to != "":
		s = from + "-" + to
	case from != "":
		s = "от " + from
	case to != "":
		s = "до " + to
	default:
		return ""
	}
	return strings.TrimSpace(s + " " + currency)
}
