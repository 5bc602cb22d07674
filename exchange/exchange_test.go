package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lure/store"
)

func export(t *testing.T, x *env, format string, opts ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(context.Background(), x.st, "test", format, opts, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func knownKinds(t *testing.T, st *store.Store, id string) string {
	t.Helper()
	ks, err := st.KnownTo(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range ks {
		out = append(out, k.Partner+":"+strings.Join(k.Kinds, "+")+":"+k.TLP)
	}
	return strings.Join(out, ",")
}

func TestRoundTrip(t *testing.T) {
	for _, format := range []string{FormatSTIX, FormatMISP} {
		t.Run(format, func(t *testing.T) {
			ctx := context.Background()
			a, b := seedA(t), seedB(t)
			data := export(t, a, format, ExportOptions{Key: testKey, Org: "Org A", TLP: "green"})
			rep, err := Import(ctx, b.st, data, ImportOptions{Actor: "test", Key: testKey, Source: "a.json"})
			if err != nil {
				t.Fatal(err)
			}
			// a1: phone, e-mail, template; a3: handle, template.
			if rep.Partner != "Org A" || rep.TLP != "green" || rep.Indicators != 5 || rep.Added != 5 || rep.Format != format ||
				rep.Match.Hashes != 2 || rep.Match.Templates != 1 {
				t.Errorf("report %+v", rep)
			}
			want := map[string]string{
				"b1": "Org A:phone:green", "b2": "Org A:template:green", "b3": "Org A:email:green", "b4": "", "b5": "",
			}
			for id, w := range want {
				if got := knownKinds(t, b.st, id); got != w {
					t.Errorf("%s known to %q, want %q", id, got, w)
				}
			}
			vs, n, err := b.st.List(ctx, store.Filter{Known: true})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, v := range vs {
				ids = append(ids, v.Ad.ID)
			}
			slices.Sort(ids)
			if n != 3 || !slices.Equal(ids, []string{"b1", "b2", "b3"}) {
				t.Errorf("known filter: %d %v", n, ids)
			}
			// The importer keeps the exporter's summaries.
			inds, err := b.st.PartnerIndicators(ctx, "Org A", 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range inds {
				if p.Kind == store.IndicatorPhone && (!p.Hashed || p.Value != Hash(testKey, phoneA) || !slices.Equal(p.Countries, []string{"UA"}) ||
					!slices.Equal(p.Sites, []string{"rabota.example"}) || p.FirstSeen.Day() != 1) && format == FormatSTIX {
					t.Errorf("phone indicator %+v", p)
				}
			}
			// A network of B: b1's cluster is known through b1.
			cl, _, err := b.st.Networks().ClusterOf(ctx, "b2")
			if err != nil {
				t.Fatal(err)
			}
			if ks, err := b.st.ClusterKnownTo(ctx, cl); err != nil || len(ks) != 1 || ks[0].Ads < 1 {
				t.Errorf("cluster %s known to %+v, %v", cl, ks, err)
			}
			// A future ad carrying A's e-mail is matched by the next Match.
			b.add(t, ad1{id: "b6", site: "vak.example", body: "Официантки в ресторан, Турция, жильё.", emails: []string{emailA}, day: 10})
			if got := knownKinds(t, b.st, "b6"); got != "" {
				t.Errorf("b6 known before matching: %q", got)
			}
			if _, err := Match(ctx, b.st, testKey); err != nil {
				t.Fatal(err)
			}
			if got := knownKinds(t, b.st, "b6"); got != "Org A:email:green" {
				t.Errorf("b6 known to %q after matching", got)
			}
		})
	}
}

func TestPlainIndicatorsMatchLive(t *testing.T) {
	ctx := context.Background()
	a, b := seedA(t), seedB(t)
	data := export(t, a, FormatSTIX, ExportOptions{Plain: true, Org: "Org A", TLP: "amber"})
	if !bytes.Contains(data, []byte(phoneA)) || !bytes.Contains(data, []byte("[email-addr:value = '"+emailA+"']")) {
		t.Fatalf("plain export lacks the plain values:\n%s", data)
	}
	if _, err := Import(ctx, b.st, data, ImportOptions{Actor: "test", Partner: "Partner A"}); err != nil {
		t.Fatal(err)
	}
	if got := knownKinds(t, b.st, "b1"); got != "Partner A:phone:amber" {
		t.Errorf("b1 known to %q", got)
	}
	// A plain contact matches a new ad without any matching step.
	b.add(t, ad1{id: "b7", site: "vak.example", body: "Сборщики ягод, Финляндия, сезон.", handles: []string{"@Dubai_Jobs_HR"}, day: 11})
	if got := knownKinds(t, b.st, "b7"); got != "Partner A:handle:amber" {
		t.Errorf("b7 known to %q", got)
	}
}

func TestDefaultExportHidesContacts(t *testing.T) {
	a := seedA(t)
	for _, format := range []string{FormatSTIX, FormatMISP} {
		data := export(t, a, format, ExportOptions{Key: testKey, Org: "Org A"})
		low := strings.ToLower(string(data))
		for _, plain := range []string{phoneA, phoneA2, strings.TrimPrefix(phoneA, "+"), emailA, "hr.dubai", handleA, "dubai_jobs_hr",
			"хостес", "Ольгу", "Работа за границей", "квартира"} {
			if strings.Contains(low, strings.ToLower(plain)) {
				t.Errorf("%s export contains %q", format, plain)
			}
		}
		if !strings.Contains(string(data), Hash(testKey, phoneA)) {
			t.Errorf("%s export lacks the phone's hash", format)
		}
		if format == FormatSTIX && strings.Count(string(data), `"x_lure_hashed": true`) != 3 {
			t.Errorf("stix export: want 3 contacts marked x_lure_hashed")
		}
		if format == FormatMISP && !strings.Contains(string(data), "HMAC-SHA256") {
			t.Errorf("misp export does not say its values are HMACs")
		}
	}
	if _, err := Collect(context.Background(), a.st, ExportOptions{Org: "Org A"}); !errors.Is(err, ErrNoKey) {
		t.Errorf("export without key: %v", err)
	}
	if _, err := Collect(context.Background(), a.st, ExportOptions{Org: "Org A", Key: []byte("short key")}); err == nil {
		t.Error("a 9-byte key is accepted")
	}
}

func TestExportFilters(t *testing.T) {
	a := seedA(t)
	set, err := Collect(context.Background(), a.st, ExportOptions{Key: testKey, Org: "A", MinConfirmed: 2})
	if err != nil || len(set.Indicators) != 0 {
		t.Errorf("min-confirmed 2: %d indicators, %v", len(set.Indicators), err)
	}
	a.add(t, ad1{id: "a4", site: "jobs.example", body: "Грузчики на склад, Чехия.", phones: []string{phoneA}, day: 20})
	a.confirm(t, "a4")
	set, err = Collect(context.Background(), a.st, ExportOptions{Key: testKey, Org: "A", MinConfirmed: 2})
	if err != nil || len(set.Indicators) != 1 || set.Indicators[0].Kind != "phone" || set.Indicators[0].Confirmed != 2 ||
		set.Indicators[0].LastSeen.Day() != 20 || !slices.Equal(set.Indicators[0].Sites, []string{"jobs.example", "rabota.example"}) {
		t.Errorf("min-confirmed 2 after a4: %+v, %v", set.Indicators, err)
	}
	since, _ := parseSTIXTime("2026-03-10T00:00:00.000Z")
	set, err = Collect(context.Background(), a.st, ExportOptions{Key: testKey, Org: "A", Since: since})
	// The phone (last seen with a4) and a4's template.
	if err != nil || len(set.Indicators) != 2 || set.Indicators[0].Kind != "phone" || set.Indicators[1].Kind != "template" {
		t.Errorf("since: %+v, %v", set.Indicators, err)
	}
}

var (
	stixTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	customRE   = regexp.MustCompile(`^x_[a-z0-9_]{1,248}$`)
)

// TestSTIXBundleValid checks the bundle against the STIX 2.1 required
// properties of each object it holds.
func TestSTIXBundleValid(t *testing.T) {
	a := seedA(t)
	data := export(t, a, FormatSTIX, ExportOptions{Key: testKey, Org: "Org A", TLP: "amber"})
	if again := export(t, a, FormatSTIX, ExportOptions{Key: testKey, Org: "Org A", TLP: "amber"}); !bytes.Equal(data, again) {
		t.Error("two exports of the same data differ")
	}
	var b map[string]any
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if b["type"] != "bundle" || !validID(fmt.Sprint(b["id"]), "bundle") {
		t.Fatalf("bundle head %v %v", b["type"], b["id"])
	}
	if _, ok := b["spec_version"]; ok {
		t.Error("a STIX 2.1 bundle has no spec_version")
	}
	objs, _ := b["objects"].([]any)
	ids := map[string]string{}
	for _, o := range objs {
		m := o.(map[string]any)
		ids[fmt.Sprint(m["id"])] = fmt.Sprint(m["type"])
	}
	counts := map[string]int{}
	for _, o := range objs {
		m := o.(map[string]any)
		typ := fmt.Sprint(m["type"])
		counts[typ]++
		id := fmt.Sprint(m["id"])
		if !validID(id, typ) || m["spec_version"] != "2.1" || !stixTimeRE.MatchString(fmt.Sprint(m["created"])) {
			t.Errorf("%s: common properties %v", id, m)
		}
		if !strings.HasPrefix(id, typ+"--") || id[len(typ)+2+14] != '5' && typ != "marking-definition" {
			t.Errorf("%s is not a UUIDv5 id", id)
		}
		for k := range m {
			switch k {
			case "type", "spec_version", "id", "created", "modified", "created_by_ref", "name", "description", "indicator_types",
				"pattern", "pattern_type", "valid_from", "object_marking_refs", "identity_class", "extensions":
			default:
				if !customRE.MatchString(k) {
					t.Errorf("%s: property %q is neither STIX nor custom", id, k)
				}
			}
		}
		switch typ {
		case "identity":
			if m["name"] != "Org A" || !stixTimeRE.MatchString(fmt.Sprint(m["modified"])) {
				t.Errorf("identity %v", m)
			}
		case "marking-definition":
			ext, _ := m["extensions"].(map[string]any)
			tlp, _ := ext[tlpExtension].(map[string]any)
			if id != "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" || m["name"] != "TLP:AMBER" ||
				tlp["tlp_2_0"] != "amber" || tlp["extension_type"] != "property-extension" || m["created"] != "2022-10-01T00:00:00.000Z" {
				t.Errorf("marking %v", m)
			}
		case "indicator":
			if m["pattern_type"] != "stix" || !stixTimeRE.MatchString(fmt.Sprint(m["valid_from"])) ||
				!stixTimeRE.MatchString(fmt.Sprint(m["modified"])) || fmt.Sprint(m["modified"]) < fmt.Sprint(m["created"]) {
				t.Errorf("indicator %v", m)
			}
			p := fmt.Sprint(m["pattern"])
			if _, ok := parsePattern(p); !ok || !strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]") {
				t.Errorf("pattern %q", p)
			}
			if ids[fmt.Sprint(m["created_by_ref"])] != "identity" {
				t.Errorf("%s: created_by_ref %v", id, m["created_by_ref"])
			}
			refs, _ := m["object_marking_refs"].([]any)
			if len(refs) != 1 || ids[fmt.Sprint(refs[0])] != "marking-definition" {
				t.Errorf("%s: markings %v", id, refs)
			}
			if _, ok := m["x_lure_hashed"].(bool); !ok {
				t.Errorf("%s: no x_lure_hashed", id)
			}
		default:
			t.Errorf("unexpected object type %q", typ)
		}
	}
	if counts["identity"] != 1 || counts["marking-definition"] != 1 || counts["indicator"] != 5 {
		t.Errorf("objects %v", counts)
	}
}

// refused imports: nothing may be written.
func assertNothingImported(t *testing.T, st *store.Store) {
	t.Helper()
	ps, err := st.Partners(context.Background())
	if err != nil || len(ps) != 0 {
		t.Errorf("partners after a refused import: %+v, %v", ps, err)
	}
	es, _, err := st.AuditLog(context.Background(), store.AuditFilter{Action: "indicators_import"})
	if err != nil || len(es) != 0 {
		t.Errorf("audit after a refused import: %+v, %v", es, err)
	}
}

func TestImportRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	a := seedA(t)
	good := string(export(t, a, FormatSTIX, ExportOptions{Key: testKey, Org: "Org A"}))
	goodMISP := string(export(t, a, FormatMISP, ExportOptions{Key: testKey, Org: "Org A"}))
	h := Hash(testKey, phoneA)
	var many strings.Builder
	many.WriteString(`{"Event":{"info":"x","Orgc":{"name":"P"},"Attribute":[`)
	for i := range MaxIndicators + 17 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"type":"phone-number","value":"+3806%08d"}`, i)
	}
	many.WriteString(`]}}`)
	for name, data := range map[string]string{
		"not json":         "not json at all",
		"neither format":   `{"hello":"world"}`,
		"bad hash":         strings.Replace(good, h, h[:60]+"zzzz", 1),
		"bad spec version": strings.Replace(good, `"spec_version": "2.1"`, `"spec_version": "2.0"`, 1),
		"bad id":           strings.Replace(good, `"id": "indicator--`, `"id": "indicator-`, 1),
		"bad timestamp":    strings.Replace(good, `"valid_from": "2026-`, `"valid_from": "yesterday-`, 1),
		"bad pattern":      strings.Replace(good, `x-lure-contact:hash = '`, `x-lure-contact:hash = "`, 1),
		"misp bad phone":   strings.Replace(goodMISP, h, "+38 not a phone", 1),
		"misp bad tlp":     strings.Replace(goodMISP, `"tlp:amber"`, `"tlp:purple"`, 1),
		"too many":         many.String(),
		"too large":        `{"type":"bundle"` + strings.Repeat(" ", MaxFileBytes) + "}",
	} {
		t.Run(name, func(t *testing.T) {
			b := seedB(t)
			if _, err := Import(ctx, b.st, []byte(data), ImportOptions{Actor: "test", Key: testKey}); err == nil {
				t.Fatal("imported")
			} else if name == "too many" && !strings.Contains(err.Error(), "limit 200000") || name == "too large" && !errors.Is(err, ErrTooLarge) {
				t.Errorf("error %v", err)
			}
			assertNothingImported(t, b.st)
			if got := knownKinds(t, b.st, "b1"); got != "" {
				t.Errorf("b1 known to %q", got)
			}
		})
	}
	if _, err := ReadFile(strings.NewReader(strings.Repeat("x", MaxFileBytes+1))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile of 32 MiB + 1: %v", err)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	ctx := context.Background()
	a, b := seedA(t), seedB(t)
	for _, format := range []string{FormatSTIX, FormatMISP} {
		data := export(t, a, format, ExportOptions{Key: testKey, Org: "Org A", TLP: "red"})
		first, err := Import(ctx, b.st, data, ImportOptions{Actor: "test", Key: testKey, Partner: "P-" + format})
		if err != nil {
			t.Fatal(err)
		}
		before, err := b.st.PartnerIndicators(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Import(ctx, b.st, data, ImportOptions{Actor: "test", Key: testKey, Partner: "P-" + format})
		if err != nil {
			t.Fatal(err)
		}
		after, err := b.st.PartnerIndicators(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if first.Added != 5 || again.Added != 0 || again.Updated != 0 || again.Match.New != 0 {
			t.Errorf("%s: first %+v, again %+v", format, first, again)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("%s: re-import changed the indicators:\n%v\n%v", format, before, after)
		}
	}
	if got := knownKinds(t, b.st, "b1"); got != "P-misp:phone:red,P-stix:phone:red" {
		t.Errorf("b1 known to %q", got)
	}
}

func TestKey(t *testing.T) {
	if _, err := CheckKey([]byte(strings.Repeat("k", 31) + "\n")); err == nil {
		t.Error("31-byte key accepted")
	}
	k, err := CheckKey([]byte(strings.Repeat("k", 32) + "\r\n"))
	if err != nil || len(k) != 32 {
		t.Errorf("32-byte key: %d %v", len(k), err)
	}
	// RFC 4231 test case 2.
	if got := Hash([]byte("Jefe"), "what do ya want for nothing?"); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Errorf("HMAC-SHA256 %s", got)
	}
}

func TestUUID5(t *testing.T) {
	id := uuid5("x")
	if !uuidRE.MatchString(id) || id[14] != '5' || !strings.ContainsAny(id[19:20], "89ab") || id != uuid5("x") || id == uuid5("y") {
		t.Errorf("uuid5 %s", id)
	}
}
