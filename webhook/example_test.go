package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/store"
	"github.com/lurewatch/lure/webhook"
)

// A platform's receiver checks each delivery before trusting it: read the
// raw body (bounded), verify its Lure-Signature header with the secret
// shown when the subscription was created, then use Lure-Event-Id to drop
// retried duplicates.
func ExampleVerify() {
	const secret = "the-secret-shown-once-at-creation"
	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		fmt.Println("event", r.Header.Get(webhook.EventIDHeader), "verified")
		w.WriteHeader(http.StatusNoContent)
	})

	// What lure sends:
	body := []byte(`{"id":"evt_1","type":"ad.flagged","ad_id":"a1","site":"rabota.example","score":91}`)
	req := httptest.NewRequest(http.MethodPost, "/lure-hook", strings.NewReader(string(body)))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, time.Now(), body))
	req.Header.Set(webhook.EventIDHeader, "evt_1")
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	fmt.Println(rec.Code)

	// A forged one:
	req = httptest.NewRequest(http.MethodPost, "/lure-hook", strings.NewReader(string(body)))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign("guessed-secret", time.Now(), body))
	rec = httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// event evt_1 verified
	// 204
	// 401
}

// A Worker queues the event of a flagged verdict for each subscription
// covering its site, and delivers it signed. Run does the delivering in
// the background; Flush makes one pass.
func ExampleWorker() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "lure-webhook-example-")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()

	const secret = "whsec_example-secret-0000"
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), time.Minute)
		var e webhook.Event
		json.Unmarshal(body, &e)
		fmt.Println("platform got", e.Type, e.AdID, "on", e.Site, "verified:", err == nil)
	}))
	defer platform.Close()
	st.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "platform-x", URL: platform.URL,
		Sites: []string{"doska.example"}, MinScore: 50, Secret: secret})

	w, _ := webhook.New(webhook.Options{Queue: st.Webhooks(), AllowPrivate: true}) // the receiver is on 127.0.0.1
	a := ad.Ad{V: ad.Version, ID: "a1", Site: "doska.example", URL: "https://doska.example/ad/1", Kind: ad.KindJob, Title: "…"}.WithHash()
	v := ad.Verdict{V: ad.Version, Ad: a, Score: 88, Band: ad.BandHigh, Flagged: true}
	n, _ := w.Enqueue(ctx, v)
	fmt.Println("queued", n)
	n, _ = w.Enqueue(ctx, v) // a replay queues nothing
	fmt.Println("queued", n)
	w.Flush(ctx)
	// Output:
	// queued 1
	// queued 0
	// platform got ad.flagged a1 on doska.example verified: true
}
