package stream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// newClient returns a kafka-go admin client for cfg (defaults applied).
func newClient(cfg Config) *kafka.Client {
	return &kafka.Client{
		Addr:      kafka.TCP(cfg.Brokers...),
		Timeout:   10 * time.Second,
		Transport: &kafka.Transport{ClientID: cfg.ClientID, DialTimeout: 5 * time.Second},
	}
}

// EnsureTopics creates lure's four topics (cfg.Topic of Raw, Scored,
// Removed and Dead) with cfg.Partitions and cfg.ReplicationFactor if they
// do not exist, and waits until the brokers report a leader for every
// partition of each. Topics that already exist are left as they are.
func EnsureTopics(ctx context.Context, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg = cfg.withDefaults()
	client := newClient(cfg)
	defer closeTransport(client)

	req := &kafka.CreateTopicsRequest{}
	names := make([]string, 0, len(Topics))
	for _, name := range Topics {
		t := cfg.Topic(name)
		names = append(names, t)
		req.Topics = append(req.Topics, kafka.TopicConfig{
			Topic:             t,
			NumPartitions:     cfg.Partitions,
			ReplicationFactor: cfg.ReplicationFactor,
		})
	}
	resp, err := client.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("stream: create topics: %w", err)
	}
	for t, err := range resp.Errors {
		if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
			return fmt.Errorf("stream: create topic %s: %w", t, err)
		}
	}
	return waitTopics(ctx, client, names)
}

// waitTopics polls metadata until every partition of every topic has a
// leader, or ctx ends.
func waitTopics(ctx context.Context, client *kafka.Client, names []string) error {
	bo := newBackoff(20*time.Millisecond, time.Second)
	for {
		err := topicsReady(ctx, client, names)
		if err == nil {
			return nil
		}
		if !bo.wait(ctx) {
			return fmt.Errorf("stream: wait for topics: %w (last error: %w)", context.Cause(ctx), err)
		}
	}
}

func topicsReady(ctx context.Context, client *kafka.Client, names []string) error {
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
	if err != nil {
		return err
	}
	found := make(map[string]bool, len(names))
	for _, t := range md.Topics {
		if t.Error != nil {
			return fmt.Errorf("topic %s: %w", t.Name, t.Error)
		}
		if len(t.Partitions) == 0 {
			return fmt.Errorf("topic %s has no partitions", t.Name)
		}
		for _, p := range t.Partitions {
			if p.Error != nil {
				return fmt.Errorf("topic %s partition %d: %w", t.Name, p.ID, p.Error)
			}
			if p.Leader.Host == "" {
				return fmt.Errorf("topic %s partition %d has no leader", t.Name, p.ID)
			}
		}
		found[t.Name] = true
	}
	for _, n := range names {
		if !found[n] {
			return fmt.Errorf("topic %s missing from metadata", n)
		}
	}
	return nil
}

// closeTransport closes the idle connections of client's transport.
func closeTransport(client *kafka.Client) {
	if t, ok := client.Transport.(*kafka.Transport); ok {
		t.CloseIdleConnections()
	}
}
