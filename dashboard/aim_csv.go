package dashboard

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/lurewatch/lure/store"
)

// aimCSVHeader is the header of the where-to-aim CSV export. Each site
// or origin region of the page gives one row per typical wording (the
// counts repeated), or one row with an empty wording when it has none;
// rank is its place on the page. growth is empty when there were no risky
// ads before; rates are fractions.
var aimCSVHeader = []string{"dimension", "rank", "value", "total", "risky", "rate", "previous", "change", "growth", "wording", "wording_count"}

// writeAimCSV writes a in the page's order. Wordings are the redacted
// ones the page shows; every text cell goes through csvSafe.
func writeAimCSV(w io.Writer, a store.Aim) error {
	cw := csv.NewWriter(w)
	cw.Write(aimCSVHeader)
	frac := func(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
	for _, d := range []struct {
		dim  string
		rows []store.AimRow
	}{{store.DimSite, a.Sites}, {store.DimRegion, a.Regions}} {
		for i, r := range d.rows {
			growth := ""
			if r.Growth != nil {
				growth = frac(*r.Growth)
			}
			row := []string{d.dim, strconv.Itoa(i + 1), csvSafe(r.Value), strconv.Itoa(r.Total), strconv.Itoa(r.Risky),
				frac(r.Rate), strconv.Itoa(r.Previous), strconv.Itoa(r.Change), growth}
			if len(r.Wordings) == 0 {
				cw.Write(append(row, "", ""))
				continue
			}
			for _, wd := range r.Wordings {
				cw.Write(append(row[:len(row):len(row)], csvSafe(wd.Text), strconv.Itoa(wd.Count)))
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// handleAimCSV is GET /stats/aim.csv: the where-to-aim page as CSV, with
// the page's parameters (from, to, preset, sort, limit).
func (s *server) handleAimCSV(w http.ResponseWriter, r *http.Request) {
	a, ok := s.aim(w, r, false)
	if !ok {
		return
	}
	csvDownload(w, fmt.Sprintf("lure-aim-%s-%s.csv", a.From, a.To))
	if err := writeAimCSV(w, a); err != nil {
		s.log.Warn("dashboard: aim csv", "err", err)
	}
}
