package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
)

// recordingExporter writes a fixed document and keeps what was asked.
type recordingExporter struct {
	key  bool
	got  []IndicatorExport
	user []string
}

func (e *recordingExporter) CanHash() bool { return e.key }

func (e *recordingExporter) ExportIndicators(ctx context.Context, actor string, req IndicatorExport, w io.Writer) (int, error) {
	e.got, e.user = append(e.got, req), append(e.user, actor)
	_, err := io.WriteString(w, `{"type":"bundle"}`)
	return 3, err
}

func TestIndicatorExportPage(t *testing.T) {
	ex := &recordingExporter{key: true}
	f := newFixture(t, Options{Indicators: ex})
	form := func(v url.Values) string { return v.Encode() }
	const ctype = "application/x-www-form-urlencoded"

	// Admins only.
	if resp, _ := f.post(t, auth.Analyst, "/admin/indicators", ctype, form(url.Values{"format": {"stix"}, "tlp": {"amber"}})); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst export: %d, want 403", resp.StatusCode)
	}
	f.as = auth.Admin
	resp, body := f.get(t, "/admin/indicators")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "HMAC-SHA256") || !strings.Contains(body, `name="plain"`) {
		t.Fatalf("form: %d\n%s", resp.StatusCode, body)
	}
	resp, body = f.post(t, auth.Admin, "/admin/indicators", ctype,
		form(url.Values{"format": {"misp"}, "tlp": {"green"}, "since": {"2026-11-01"}, "min_confirmed": {"2"}}))
	if resp.StatusCode != http.StatusOK || body != `{"type":"bundle"}` ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="lure-indicators-`) ||
		!strings.HasSuffix(resp.Header.Get("Content-Disposition"), `.misp.json"`) || resp.Header.Get("X-Lure-Indicators") != "3" {
		t.Fatalf("export: %d %v\n%s", resp.StatusCode, resp.Header, body)
	}
	if len(ex.got) != 1 || ex.got[0].Format != "misp" || ex.got[0].TLP != "green" || ex.got[0].MinConfirmed != 2 ||
		ex.got[0].Plain || ex.got[0].Since.Format("2006-01-02") != "2026-11-01" || ex.user[0] != "token:admin-token" {
		t.Errorf("asked %+v by %v", ex.got, ex.user)
	}
	// Bad requests are refused with the reason, nothing exported.
	for _, tc := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{"format": {"csv"}, "tlp": {"amber"}}, "STIX or MISP"},
		{url.Values{"format": {"stix"}, "tlp": {"white"}}, "TLP marking"},
		{url.Values{"format": {"stix"}, "tlp": {"amber"}, "since": {"1.11.2026"}}, "YYYY-MM-DD"},
		{url.Values{"format": {"stix"}, "tlp": {"amber"}, "min_confirmed": {"0"}}, "at least 1"},
	} {
		resp, body := f.post(t, auth.Admin, "/admin/indicators", ctype, form(tc.v))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d, want 400 saying %q", tc.v, resp.StatusCode, tc.want)
		}
	}
	// Without a share key, only an explicit plain export goes out.
	ex.key = false
	if resp, body := f.post(t, auth.Admin, "/admin/indicators", ctype, form(url.Values{"format": {"stix"}, "tlp": {"amber"}})); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "No share key") {
		t.Errorf("hashed export without a key: %d", resp.StatusCode)
	}
	if resp, _ := f.post(t, auth.Admin, "/admin/indicators", ctype, form(url.Values{"format": {"stix"}, "tlp": {"amber"}, "plain": {"1"}})); resp.StatusCode != http.StatusOK {
		t.Errorf("plain export: %d", resp.StatusCode)
	}
	if len(ex.got) != 2 || !ex.got[1].Plain {
		t.Errorf("exports %+v", ex.got)
	}
}
