package exchange

import (
	"context"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// TestMatcherMarksNewAds: ads indexed after an import are marked at once
// by the indexer hook, for hashed contacts and templates.
func TestMatcherMarksNewAds(t *testing.T) {
	ctx := context.Background()
	a, b := seedA(t), seedB(t)
	data := export(t, a, FormatSTIX, ExportOptions{Key: testKey, Org: "Org A"})
	if _, err := Import(ctx, b.st, data, ImportOptions{Actor: "test", Key: testKey}); err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(b.st, testKey)
	if err != nil {
		t.Fatal(err)
	}
	noKey, err := NewMatcher(b.st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMatcher(b.st, []byte("short")); err == nil {
		t.Error("a short key is accepted")
	}
	news := []ad1{
		{id: "n1", site: "new.example", body: "Официантки в ресторан, Турция, жильё.", phones: []string{phoneA}, day: 12},
		{id: "n2", site: "new.example", body: fill("4000", "Светлану"), day: 13},
		{id: "n3", site: "new.example", body: "Сиделка для пожилой женщины, Италия.", phones: []string{"+393331234567"}, day: 14},
	}
	b.add(t, news...)
	for _, mm := range []*Matcher{noKey, m} {
		vs := make([]ad.Verdict, 0, len(news))
		for _, n := range news {
			vs = append(vs, n.verdict())
		}
		if err := mm.BatchHook(ctx, vs, make([]bool, len(vs))); err != nil {
			t.Fatal(err)
		}
		if mm == noKey {
			// Without the key only the template matches.
			if got := knownKinds(t, b.st, "n1"); got != "" {
				t.Errorf("n1 known to %q without the key", got)
			}
			if got := knownKinds(t, b.st, "n2"); got != "Org A:template:amber" {
				t.Errorf("n2 known to %q", got)
			}
		}
	}
	for id, want := range map[string]string{"n1": "Org A:phone:amber", "n2": "Org A:template:amber", "n3": ""} {
		if got := knownKinds(t, b.st, id); got != want {
			t.Errorf("%s known to %q, want %q", id, got, want)
		}
	}
}
