package stream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// newClient returns a kafka-go admin client for cfg (defaults applied).
func newClient(cfg Config) (*kafka.Client, error) {
	sec, err := cfg.security()
	if err != nil {
		return nil, err
	}
	return &kafka.Client{
		Addr:      kafka.TCP(cfg.Brokers...),
		Timeout:   10 * time.Second,
		Transport: sec.transport(cfg),
	}, nil
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
	client, err := newClient(cfg)
	if err != nil {
		return err
	}
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

// EndOffsets returns the end offset (the offset the next message will
// get) of every partition of topic, by partition. Their sum is the number
// of messages ever written to the topic.
func EndOffsets(ctx context.Context, cfg Config, topic string) (map[int]int64, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	client, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	defer closeTransport(client)
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("stream: end offsets of %s: %w", topic, err)
	}
	var reqs []kafka.OffsetRequest
	for _, t := range md.Topics {
		if t.Error != nil {
			return nil, fmt.Errorf("stream: end offsets of %s: %w", topic, t.Error)
		}
		for _, p := range t.Partitions {
			reqs = append(reqs, kafka.LastOffsetOf(p.ID))
		}
	}
	resp, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("stream: end offsets of %s: %w", topic, err)
	}
	out := make(map[int]int64, len(reqs))
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("stream: end offsets of %s/%d: %w", topic, po.Partition, po.Error)
		}
		out[po.Partition] = po.LastOffset
	}
	return out, nil
}
