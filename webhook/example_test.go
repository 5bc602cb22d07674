package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

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
