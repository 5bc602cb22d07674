package dashboard

import (
	"errors"
	"testing"
)

// FuzzParseScoreRequest: any body parses to 1..max ads or fails with a
// message; a bad ad of a batch is named by a valid index.
func FuzzParseScoreRequest(f *testing.F) {
	for _, s := range []string{riskyAd, benignAd, `{"ads":[` + riskyAd + `]}`, `[` + benignAd + `,{}]`, `{"ads":null}`,
		`[]`, `{"ads":[1]}`, ` {"title":"x"} `, `{"title":"a","ads":[{"body":"b"}]}`, `nul`, `[{"kind":5}]`} {
		f.Add([]byte(s))
	}
	const max = 5
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := parseScoreRequest(b, max)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			var bad *badAdError
			if errors.As(err, &bad) && (bad.Index < 0 || bad.Index >= max) {
				t.Fatalf("bad index %d", bad.Index)
			}
			return
		}
		if len(req.Ads) == 0 || len(req.Ads) > max || (!req.Batch && len(req.Ads) != 1) {
			t.Fatalf("parsed %d ads (batch %v) from %q", len(req.Ads), req.Batch, b)
		}
		for i, in := range req.Ads {
			inputAd(in, i) // must not panic
		}
	})
}
