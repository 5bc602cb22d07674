package app

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/exchange"
	"github.com/lurewatch/lure/store"
)

// The dashboard's export goes through package exchange: a STIX bundle
// from the sending organisation, audited.
func TestIndicatorExporter(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &App{opts: Options{NotifierName: "Demo NGO", ShareKey: bytes.Repeat([]byte{7}, 32)}}
	e := a.newIndicatorExporter(st)
	if !e.CanHash() {
		t.Fatal("a share key is configured")
	}
	var buf bytes.Buffer
	n, err := e.ExportIndicators(ctx, "admin", dashboard.IndicatorExport{Format: "stix", TLP: "green"}, &buf)
	if err != nil || n != 0 {
		t.Fatalf("export: %d %v", n, err)
	}
	format, _, err := exchange.Decode(buf.Bytes())
	if err != nil || format != exchange.FormatSTIX || !bytes.Contains(buf.Bytes(), []byte(`"name": "Demo NGO"`)) || !bytes.Contains(buf.Bytes(), []byte(`"name": "TLP:GREEN"`)) {
		t.Fatalf("decoded %s %v:\n%s", format, err, buf.Bytes())
	}
	es, _, err := st.AuditLog(ctx, store.AuditFilter{Limit: 10})
	if err != nil || len(es) != 1 || es[0].Action != "indicators_export" || es[0].Actor != "admin" {
		t.Errorf("audit %+v %v", es, err)
	}
}
