package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// seedNetworkDir writes a data directory whose ads went through the
// network engine; phones[i] is the phone of ad prefix+i, confirmed ones
// are confirmed by an analyst.
func seedNetworkDir(t *testing.T, prefix string, phones []string, confirmed ...string) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, app.Paths(dir).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := network.New(ctx, network.Options{Store: st.Networks(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{"Работа на складе в Польше, жильё бесплатно.", "Няня в семью, Германия, без опыта работы.",
		"Сборщики клубники, Финляндия, сезон с мая.", "Водитель категории Е, рейсы по Европе."}
	for i, p := range phones {
		a := ad.Ad{V: ad.Version, ID: prefix + string(rune('0'+i)), Site: "rabota.example", URL: "https://rabota.example/" + prefix + string(rune('0'+i)),
			Kind: ad.KindJob, Title: "Работа", Body: bodies[i%len(bodies)], Crawled: time.Date(2026, 4, 1+i, 0, 0, 0, 0, time.UTC)}
		a.ContentHash = a.Hash()
		v := ad.Verdict{V: ad.Version, Ad: a, Score: 80, Band: ad.BandHigh, Flagged: true, RulePack: "t1"}
		v.Entities.Phones = []string{p}
		if _, err := st.Upsert(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Add(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if len(confirmed) > 0 {
		if _, err := st.Apply(ctx, store.Change{AdIDs: confirmed, Actor: "ana", Status: store.StatusConfirmed}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIndicatorsCommands(t *testing.T) {
	a := seedNetworkDir(t, "a", []string{"+380671112233", "+77011234567"}, "a0")
	b := seedNetworkDir(t, "b", []string{"+48601234567", "+380671112233", "+77011234567"})
	key := filepath.Join(t.TempDir(), "share.key")
	if err := os.WriteFile(key, []byte(strings.Repeat("s", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	weak := filepath.Join(t.TempDir(), "weak.key")
	if err := os.WriteFile(weak, []byte("password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "a.stix.json")
	runOK := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(args, nil, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"indicators", "export", "--data-dir", a, "--org", "A", "--out", file}, nil, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "--share-key-file") {
		t.Errorf("export without a key: exit %d: %s", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"indicators", "export", "--data-dir", a, "--org", "A", "--share-key-file", weak, "--out", file}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "at least 32") {
		t.Errorf("export with a weak key: exit %d: %s", code, errOut.String())
	}
	if s := runOK("indicators", "export", "--data-dir", a, "--org", "A", "--share-key-file", key, "--tlp", "green", "--out", file); !strings.Contains(s, "exported 2 indicators (hashed") {
		t.Errorf("export: %q", s)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("380671112233")) || bytes.Contains(data, []byte("77011234567")) {
		t.Error("the default export holds a plain phone")
	}
	if s := runOK("indicators", "import", "--data-dir", b, "--share-key-file", key, "--partner", "Partner A", file); !strings.Contains(s, "2 new") || !strings.Contains(s, "2 ads newly matched") {
		t.Errorf("import: %q", s)
	}
	if s := runOK("indicators", "import", "--data-dir", b, "--share-key-file", key, "--partner", "Partner A", file); !strings.Contains(s, "0 new, 0 updated") {
		t.Errorf("re-import: %q", s)
	}
	if s := runOK("indicators", "list", "--data-dir", b); !strings.Contains(s, "Partner A\t2 indicators (phone 1, email 0, handle 0, template 1)\t2 local ads known") {
		t.Errorf("list: %q", s)
	}
	st, err := store.Open(context.Background(), app.Paths(b).Store)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// b0 has a0's text (the template), b1 a0's phone; b2 the phone of an
	// ad nobody confirmed.
	for id, want := range map[string]int{"b0": 1, "b1": 1, "b2": 0} {
		if ks, err := st.KnownTo(context.Background(), id); err != nil || len(ks) != want {
			t.Errorf("%s known to %+v, %v", id, ks, err)
		}
	}
	es, _, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "indicators_import"})
	if err != nil || len(es) != 2 || !strings.Contains(es[0].After, `"partner":"Partner A"`) {
		t.Errorf("audit %+v %v", es, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, bytes.Replace(data, []byte(`"spec_version": "2.1"`), []byte(`"spec_version": "9"`), 1), 0o600)
	errOut.Reset()
	if code := run([]string{"indicators", "import", "--data-dir", b, "--partner", "Other", bad}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "spec_version") {
		t.Errorf("bad import: exit %d: %s", code, errOut.String())
	}
	if ps, err := st.Partners(context.Background()); err != nil || len(ps) != 1 {
		t.Errorf("partners after a refused import: %+v %v", ps, err)
	}
}
