package notice_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/store"
)

// A confirmed ad becomes a draft notice to its site; once sent, the
// crawler's removal of the ad closes the notice.
func ExampleDraftNotices() {
	dir, err := os.MkdirTemp("", "lure-store")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	v := ad.Verdict{V: ad.Version, Score: 91, Band: ad.BandHigh, Flagged: true, RulePack: "demo-1",
		Ad: ad.Ad{V: ad.Version, ID: "ad1", Site: "demo", URL: "https://demo.example/1", Kind: ad.KindJob,
			Title: "Work abroad, free visa", ContentHash: "h1", Snapshot: "sha256:ab"},
		Hits: []ad.Hit{{Rule: "en.free_visa", Weight: 1.2, Evidence: []ad.Span{{Field: "title", Start: 13, End: 22, Text: "free visa"}}}}}
	if _, err := s.Upsert(ctx, v); err != nil {
		log.Fatal(err)
	}
	if _, err := s.Apply(ctx, store.Change{AdIDs: []string{"ad1"}, Actor: "ann", Status: store.StatusConfirmed, Note: "no employer named"}); err != nil {
		log.Fatal(err)
	}
	ns, err := notice.DraftNotices(ctx, s.Notices(), notice.DraftRequest{Actor: "ann",
		Describe: func(rule string) string { return "Visa paid by the recruiter" }})
	if err != nil {
		log.Fatal(err)
	}
	n, _ := s.Notices().Get(ctx, ns[0].ID)
	it := n.Items[0]
	fmt.Println(n.Site, n.Status, it.URL, it.Rules[0].Description, "—", it.Rules[0].Quotes[0].Text)

	_, err = notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: notice.Acknowledged, Actor: "ann"})
	fmt.Println(err)
	n, _ = notice.Move(ctx, s.Notices(), notice.Transition{ID: n.ID, To: notice.Sent, Actor: "ann",
		NotifierName: "NGO", NotifierEmail: "notices@ngo.example"})
	fmt.Println(n.Status)

	closed, _ := s.Notices().RecordRemoval(ctx, ad.Removal{V: ad.Version, ID: "ad1", Site: "demo", URL: v.Ad.URL,
		Reason: ad.RemovedGone404, DetectedAt: time.Now()})
	n, _ = s.Notices().Get(ctx, closed[0])
	fmt.Println(n.Status, "by", n.History[len(n.History)-1].Actor)
	// Output:
	// demo draft https://demo.example/1 Visa paid by the recruiter — free visa
	// notice: invalid transition: a draft notice cannot become acknowledged (allowed: sent, withdrawn)
	// sent
	// removed by crawler
}
