package dashboard

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

func TestWebhookAPI(t *testing.T) {
	f := newFixture(t, Options{Sites: testSites})
	in := `{"name":"platform-x","url":"https://platform.example/hook","sites":["rabota-md"],"min_score":60}`
	if resp, _ := f.post(t, "analyst", "/api/v1/webhooks", "application/json", in); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("analyst create = %d, want 403", resp.StatusCode)
	}
	resp, body := f.post(t, "admin", "/api/v1/webhooks", "application/json", in)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	var created struct {
		Subscription store.Subscription
		Secret       string
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || !strings.HasPrefix(created.Secret, "whsec_") || created.Subscription.ID == 0 {
		t.Fatalf("create answer %s: %v", body, err)
	}
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"duplicate", in, http.StatusConflict},
		{"bad url", `{"name":"p2","url":"javascript:alert(1)","sites":["rabota-md"]}`, http.StatusUnprocessableEntity},
		{"no sites", `{"name":"p2","url":"https://x.example/","sites":[]}`, http.StatusUnprocessableEntity},
		{"unknown field", `{"name":"p2","url":"https://x.example/","sites":["rabota-md"],"secret":"mine"}`, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if resp, body := f.post(t, "admin", "/api/v1/webhooks", "application/json", tc.body); resp.StatusCode != tc.code {
				t.Errorf("= %d %s, want %d", resp.StatusCode, body, tc.code)
			}
		})
	}

	f.as = auth.Admin
	_, body = f.get(t, "/api/v1/webhooks")
	if strings.Contains(body, created.Secret) || !strings.Contains(body, "platform-x") {
		t.Fatalf("list leaks the secret or lacks the subscription: %s", body)
	}
	id := strconv.FormatInt(created.Subscription.ID, 10)
	resp, body = f.post(t, "admin", "/api/v1/webhooks/"+id, "application/json", `{"disabled":true}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"disabled":true`) {
		t.Fatalf("disable = %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.post(t, "admin", "/api/v1/webhooks/999", "application/json", `{"disabled":true}`); resp.StatusCode != 404 {
		t.Errorf("disable unknown = %d", resp.StatusCode)
	}
	ctx := t.Context()
	if _, err := f.store.Webhooks().EnqueueDelivery(ctx, store.Delivery{EventID: "evt_1", SubscriptionID: created.Subscription.ID,
		AdID: "ru1", ContentHash: "h", Payload: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	var ds struct{ Deliveries []store.Delivery }
	f.getJSON(t, "/api/v1/webhooks/deliveries?status=pending&subscription="+id, 200, &ds)
	if len(ds.Deliveries) != 1 || ds.Deliveries[0].EventID != "evt_1" || ds.Deliveries[0].Subscription != "platform-x" {
		t.Errorf("deliveries = %+v", ds.Deliveries)
	}
	if resp, _ := f.get(t, "/api/v1/webhooks/deliveries?status=lost"); resp.StatusCode != 400 {
		t.Errorf("bad status filter = %d", resp.StatusCode)
	}
	entries, _, err := f.store.AuditLog(ctx, store.AuditFilter{Action: "webhook_create"})
	if err != nil || len(entries) != 1 || strings.Contains(entries[0].After, created.Secret) {
		t.Errorf("audit of the creation = %+v, %v (must exist, without the secret)", entries, err)
	}
}

func TestWebhookAdminPage(t *testing.T) {
	f := newFixture(t, Options{Sites: testSites})
	form := url.Values{"name": {"platform-y"}, "url": {"https://y.example/hook"}, "sites": {"rabota-md, doska-ua"}, "min_score": {"70"}}
	resp, body := f.post(t, "admin", "/admin/webhooks", "application/x-www-form-urlencoded", form.Encode())
	if resp.StatusCode != 200 || !strings.Contains(body, "whsec_") || !strings.Contains(body, "rabota-md, doska-ua") {
		t.Fatalf("create from the page = %d, secret shown: %v", resp.StatusCode, strings.Contains(body, "whsec_"))
	}
	f.as = auth.Admin
	resp, body = f.get(t, "/admin/webhooks")
	if resp.StatusCode != 200 || strings.Contains(body, "whsec_") || !strings.Contains(body, "platform-y") {
		t.Fatalf("page = %d; secret shown again: %v", resp.StatusCode, strings.Contains(body, "whsec_"))
	}
	subs, _ := f.store.Webhooks().Subscriptions(t.Context())
	if len(subs) != 1 || subs[0].MinScore != 70 || len(subs[0].Sites) != 2 {
		t.Fatalf("stored %+v", subs)
	}
	resp, _ = f.post(t, "admin", "/admin/webhooks/"+strconv.FormatInt(subs[0].ID, 10), "application/x-www-form-urlencoded", "action=disable")
	if resp.StatusCode != 200 { // the client follows the 303 to the page
		t.Fatalf("disable from the page = %d", resp.StatusCode)
	}
	if sub, _ := f.store.Webhooks().Subscription(t.Context(), subs[0].ID); !sub.Disabled {
		t.Error("not disabled")
	}
	resp, body = f.post(t, "admin", "/admin/webhooks", "application/x-www-form-urlencoded", url.Values{"name": {"bad name"}, "url": {"x"}, "sites": {"rabota-md"}}.Encode())
	if resp.StatusCode != 422 || !strings.Contains(body, "Not created") {
		t.Errorf("invalid form = %d", resp.StatusCode)
	}
	f.as = auth.Analyst
	if resp, _ := f.get(t, "/admin/webhooks"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst sees the webhooks page: %d", resp.StatusCode)
	}
}

func TestWebhookPrivateURLRefused(t *testing.T) {
	f := newFixture(t, Options{Sites: testSites})
	for i, u := range []string{"http://127.0.0.1:8080/hook", "http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://localhost:9000/"} {
		t.Run(u, func(t *testing.T) {
			in := `{"name":"p` + strconv.Itoa(i) + `","url":"` + u + `","sites":["rabota-md"]}`
			resp, body := f.post(t, "admin", "/api/v1/webhooks", "application/json", in)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "refused: private address") {
				t.Errorf("API create = %d %s, want 400 naming the private address", resp.StatusCode, body)
			}
			form := url.Values{"name": {"f" + strconv.Itoa(i)}, "url": {u}, "sites": {"rabota-md"}}
			resp, body = f.post(t, "admin", "/admin/webhooks", "application/x-www-form-urlencoded", form.Encode())
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Not created: url host") {
				t.Errorf("form create = %d, want 400 with the reason", resp.StatusCode)
			}
		})
	}
	if subs, _ := f.store.Webhooks().Subscriptions(t.Context()); len(subs) != 0 {
		t.Errorf("stored %d subscriptions to private addresses", len(subs))
	}

	allow := newFixture(t, Options{Sites: testSites, WebhookAllowPrivate: true})
	in := `{"name":"internal","url":"http://10.0.0.1/hook","sites":["rabota-md"]}`
	if resp, body := allow.post(t, "admin", "/api/v1/webhooks", "application/json", in); resp.StatusCode != http.StatusCreated {
		t.Errorf("create with WebhookAllowPrivate = %d %s, want 201", resp.StatusCode, body)
	}
}
