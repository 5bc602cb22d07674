package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IndicatorExporter writes the indicators of confirmed ads and networks
// for partner organisations (package exchange, wired by package app). It
// audits the export itself.
type IndicatorExporter interface {
	ExportIndicators(ctx context.Context, actor string, req IndicatorExport, w io.Writer) (indicators int, err error)
	// CanHash reports whether a share key is configured, so that contact
	// values can be exported hashed.
	CanHash() bool
}

// IndicatorExport is what an admin asks to export.
type IndicatorExport struct {
	Format       string    // "stix" or "misp"
	Since        time.Time // zero: everything
	MinConfirmed int       // 0 means 1
	Plain        bool      // contact values in the clear
	TLP          string    // clear, green, amber, amber+strict or red
}

// maxIndicatorExport bounds an export served by the dashboard.
const maxIndicatorExport = 64 << 20

var indicatorFormats = []string{"stix", "misp"}
var indicatorTLPs = []string{"clear", "green", "amber", "amber+strict", "red"}

type indicatorsData struct {
	Message string
	CanHash bool
	Enabled bool
	Formats []string
	TLPs    []string
	Req     IndicatorExport
}

func (s *server) indicatorsPage(w http.ResponseWriter, r *http.Request, code int, d indicatorsData) {
	d.Enabled = s.opts.Indicators != nil
	d.CanHash = d.Enabled && s.opts.Indicators.CanHash()
	d.Formats, d.TLPs = indicatorFormats, indicatorTLPs
	if d.Req.Format == "" {
		d.Req = IndicatorExport{Format: "stix", TLP: "amber", MinConfirmed: 1}
	}
	s.render(w, r, code, "indicators", view{Title: "Share indicators", Nav: "indicators", Data: d})
}

// handleIndicators shows the export form (admins).
func (s *server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	s.indicatorsPage(w, r, http.StatusOK, indicatorsData{})
}

// handleExportIndicators serves an export as a download, or the form
// again with the reason it could not be made.
func (s *server) handleExportIndicators(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	req := IndicatorExport{Format: r.PostFormValue("format"), TLP: r.PostFormValue("tlp"), Plain: r.PostFormValue("plain") == "1"}
	bad := func(msg string) {
		s.indicatorsPage(w, r, http.StatusBadRequest, indicatorsData{Message: msg, Req: req})
	}
	if s.opts.Indicators == nil {
		bad("Indicator export is not available on this node.")
		return
	}
	if !slices.Contains(indicatorFormats, req.Format) {
		bad("Choose the STIX or MISP format.")
		return
	}
	if !slices.Contains(indicatorTLPs, req.TLP) {
		bad("Choose a TLP marking.")
		return
	}
	if v := strings.TrimSpace(r.PostFormValue("min_confirmed")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			bad("Minimum confirmed ads must be a whole number of at least 1.")
			return
		}
		req.MinConfirmed = n
	}
	if v := strings.TrimSpace(r.PostFormValue("since")); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			bad("The date must be written YYYY-MM-DD.")
			return
		}
		req.Since = t
	}
	if !req.Plain && !s.opts.Indicators.CanHash() {
		bad("No share key is configured (start lure with --share-key-file), so contacts cannot be hashed; tick \"plain values\" only if the partners may read them.")
		return
	}
	var buf bytes.Buffer
	n, err := s.opts.Indicators.ExportIndicators(r.Context(), who(r).Name, req, &limitedWriter{w: &buf, left: maxIndicatorExport})
	if err != nil {
		s.log.Warn("dashboard: indicator export", "err", err)
		s.indicatorsPage(w, r, http.StatusInternalServerError, indicatorsData{Message: "The export failed: " + err.Error(), Req: req})
		return
	}
	name := fmt.Sprintf("lure-indicators-%s.%s.json", time.Now().UTC().Format("20060102"), req.Format)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Lure-Indicators", strconv.Itoa(n))
	w.Write(buf.Bytes())
}

// limitedWriter fails once more than left bytes are written.
type limitedWriter struct {
	w    io.Writer
	left int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, fmt.Errorf("export larger than %d bytes; narrow it with a date or a minimum of confirmed ads", maxIndicatorExport)
	}
	l.left -= len(p)
	return l.w.Write(p)
}
