package main

import (
	"context"
	"time"

	"github.com/lurewatch/lure/store"
)

// The screening seed: a webhook subscription with a failed delivery whose
// recorded error is markup (a receiver's answer is hostile input too).
func init() {
	seeders = append(seeders, func(ctx context.Context, env seedEnv) error {
		sub, err := env.store.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "seeded-platform",
			URL: "https://platform.example/lure-hook", Sites: []string{"rabota.example"}, MinScore: 60,
			Secret: "whsec_seeded-secret-not-shown"})
		if err != nil {
			return err
		}
		if _, err := env.store.Webhooks().EnqueueDelivery(ctx, store.Delivery{EventID: "evt_seeded", SubscriptionID: sub.ID,
			AdID: "t-hostess", ContentHash: "h", Payload: []byte(`{}`)}); err != nil {
			return err
		}
		ds, err := env.store.Webhooks().DueDeliveries(ctx, time.Now().Add(time.Minute), 1)
		if err != nil || len(ds) == 0 {
			return err
		}
		return env.store.Webhooks().RecordAttempt(ctx, ds[0].ID, store.Attempt{At: time.Now(), Code: 500,
			Err: `HTTP 500: <img src=x onerror="window.__xss=1">`, Status: store.DeliveryFailed})
	})
}
