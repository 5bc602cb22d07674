package exchange

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkImportMISP imports a MISP event of 20,000 hashed phones into
// an empty store, then the same event again (which changes nothing): one
// op is both imports.
func BenchmarkImportMISP(b *testing.B) {
	set := Set{Org: "Bench", TLP: "amber"}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 20_000 {
		set.Indicators = append(set.Indicators, Indicator{Kind: "phone", Hashed: true, Value: Hash(testKey, fmt.Sprintf("+3806%08d", i)),
			FirstSeen: t0, LastSeen: t0.Add(time.Hour), Sites: []string{"rabota.example"}, Countries: []string{"UA"}, Ads: 2, Confirmed: 1})
	}
	var buf bytes.Buffer
	if err := EncodeMISP(&buf, set); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		x := newEnv(b)
		b.StartTimer()
		for range 2 {
			if _, err := Import(context.Background(), x.st, buf.Bytes(), ImportOptions{Actor: "bench", Key: testKey}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
