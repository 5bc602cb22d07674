package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func testSubscription(name string) Subscription {
	return Subscription{Name: name, URL: "https://platform.example/hook", Sites: []string{"rabota.example"},
		MinScore: 50, Secret: "0123456789abcdef0123"}
}

func TestSubscriptionValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Subscription)
	}{
		{"bad name", func(s *Subscription) { s.Name = "a b" }},
		{"ftp url", func(s *Subscription) { s.URL = "ftp://x.example/" }},
		{"relative url", func(s *Subscription) { s.URL = "/hook" }},
		{"credentials in url", func(s *Subscription) { s.URL = "https://u:p@x.example/" }},
		{"no sites", func(s *Subscription) { s.Sites = nil }},
		{"site with comma", func(s *Subscription) { s.Sites = []string{"a,b"} }},
		{"min score", func(s *Subscription) { s.MinScore = 101 }},
		{"short secret", func(s *Subscription) { s.Secret = "x" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testSubscription("p")
			tc.edit(&s)
			if err := s.Validate(); !errors.Is(err, ErrBadSubscription) {
				t.Errorf("Validate = %v, want ErrBadSubscription", err)
			}
		})
	}
	if err := testSubscription("p").Validate(); err != nil {
		t.Errorf("valid subscription: %v", err)
	}
}

func TestWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	sub, err := st.Webhooks().CreateSubscription(ctx, testSubscription("platform-x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Webhooks().CreateSubscription(ctx, testSubscription("platform-x")); !errors.Is(err, ErrSubscriptionExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	subs, err := st.Webhooks().Subscriptions(ctx)
	if err != nil || len(subs) != 1 || subs[0].Secret != sub.Secret || subs[0].Sites[0] != "rabota.example" {
		t.Fatalf("Subscriptions = %+v, %v", subs, err)
	}
	if !subs[0].Covers("rabota.example", 50) || subs[0].Covers("rabota.example", 49) || subs[0].Covers("other.example", 90) {
		t.Error("Covers is wrong")
	}

	d := Delivery{EventID: "ev1", SubscriptionID: sub.ID, AdID: "ad1", ContentHash: "h1", Payload: []byte(`{"x":1}`)}
	for i, want := range []bool{true, false} {
		created, err := st.Webhooks().EnqueueDelivery(ctx, d)
		if err != nil || created != want {
			t.Fatalf("enqueue #%d = %v, %v; want %v", i, created, err, want)
		}
	}
	d2 := d
	d2.EventID = "ev2" // same subscription, ad and hash: still once
	if created, err := st.Webhooks().EnqueueDelivery(ctx, d2); err != nil || created {
		t.Fatalf("enqueue same ad and hash with another event id = %v, %v", created, err)
	}

	now := time.Now()
	due, err := st.Webhooks().DueDeliveries(ctx, now, 10)
	if err != nil || len(due) != 1 || string(due[0].Payload) != `{"x":1}` || due[0].URL != sub.URL || due[0].Secret != sub.Secret {
		t.Fatalf("DueDeliveries = %+v, %v", due, err)
	}
	if err := st.Webhooks().RecordAttempt(ctx, due[0].ID, Attempt{At: now, Code: 500, Err: "HTTP 500", Status: DeliveryPending, NextAt: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.Webhooks().DueDeliveries(ctx, now, 10); len(due) != 0 {
		t.Fatalf("delivery due before its retry time: %+v", due)
	}
	if err := st.Webhooks().SetSubscriptionDisabled(ctx, sub.ID, true); err != nil {
		t.Fatal(err)
	}
	if due, _ := st.Webhooks().DueDeliveries(ctx, now.Add(2*time.Minute), 10); len(due) != 0 {
		t.Fatalf("delivery of a disabled subscription is due: %+v", due)
	}
	if err := st.Webhooks().SetSubscriptionDisabled(ctx, sub.ID, false); err != nil {
		t.Fatal(err)
	}
	due, _ = st.Webhooks().DueDeliveries(ctx, now.Add(2*time.Minute), 10)
	if len(due) != 1 {
		t.Fatalf("due after retry time = %d deliveries", len(due))
	}
	if err := st.Webhooks().RecordAttempt(ctx, due[0].ID, Attempt{At: now.Add(2 * time.Minute), Code: 204, Status: DeliveryDelivered}); err != nil {
		t.Fatal(err)
	}
	log, err := st.Webhooks().Deliveries(ctx, DeliveryFilter{SubscriptionID: sub.ID})
	if err != nil || len(log) != 1 {
		t.Fatalf("Deliveries = %+v, %v", log, err)
	}
	got := log[0]
	if got.Status != DeliveryDelivered || got.Attempts != 2 || got.LastCode != 204 || got.DeliveredAt.IsZero() || got.Subscription != "platform-x" {
		t.Errorf("delivery log = %+v", got)
	}
	// Purging keeps pending deliveries and recent ones.
	if _, err := st.Webhooks().EnqueueDelivery(ctx, Delivery{EventID: "ev3", SubscriptionID: sub.ID, AdID: "ad2", ContentHash: "h", Payload: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Webhooks().PurgeDeliveries(ctx, now); err != nil || n != 0 {
		t.Errorf("purge before the delivery = %d, %v", n, err)
	}
	if n, err := st.Webhooks().PurgeDeliveries(ctx, now.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("purge = %d, %v; want the delivered one", n, err)
	}
	if log, _ := st.Webhooks().Deliveries(ctx, DeliveryFilter{}); len(log) != 1 || log[0].EventID != "ev3" {
		t.Errorf("after purge: %+v", log)
	}
	if err := st.Webhooks().SetSubscriptionDisabled(ctx, 999, true); !errors.Is(err, ErrNoSubscription) {
		t.Errorf("disable unknown = %v", err)
	}
}
