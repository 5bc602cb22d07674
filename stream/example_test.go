package stream_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/lurewatch/lure/stream"
)

// An embedded broker, lure's topics, one message produced and consumed by
// a consumer group, all over TCP as with a real cluster.
func Example() {
	dir, err := os.MkdirTemp("", "lure-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	broker, err := stream.StartEmbedded(stream.EmbeddedOptions{DataDir: dir})
	if err != nil {
		log.Fatal(err)
	}
	defer broker.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := stream.Config{Brokers: broker.Brokers()}
	if err := stream.EnsureTopics(ctx, cfg); err != nil {
		log.Fatal(err)
	}

	producer := stream.NewProducer(cfg, nil)
	defer producer.Close()
	err = producer.Produce(ctx, cfg.Topic(stream.Raw), stream.Message{
		Key:   []byte("ad-1"),
		Value: []byte(`{"v":1,"title":"Waitress wanted abroad"}`),
	})
	if err != nil {
		log.Fatal(err)
	}

	runCtx, stop := context.WithCancel(ctx)
	consumer, err := stream.NewConsumer(stream.ConsumerOptions{
		Config: cfg,
		Topic:  cfg.Topic(stream.Raw),
		Group:  "classifier",
		Handler: stream.HandlerFunc(func(_ context.Context, m stream.Message) error {
			fmt.Printf("%s %s: %s\n", m.Topic, m.Key, m.Value)
			stop() // one is enough for the example
			return nil
		}),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := consumer.Run(runCtx); err != nil {
		log.Fatal(err)
	}
	// Output:
	// lure.ads.raw ad-1: {"v":1,"title":"Waitress wanted abroad"}
}

// A handler marks what can never succeed as permanent; the consumer sends
// it to the dead-letter topic and moves on. Other errors are retried.
func ExamplePermanent() {
	handler := stream.HandlerFunc(func(_ context.Context, m stream.Message) error {
		if len(m.Value) == 0 {
			return stream.Permanent(fmt.Errorf("classifier: empty message"))
		}
		return nil
	})
	err := handler.Handle(context.Background(), stream.Message{})
	fmt.Println(err, stream.IsPermanent(err))
	// Output:
	// classifier: empty message true
}

// A configuration for a cluster that wants SASL/SCRAM over TLS with a
// private CA. Validate reports what is missing before anything connects.
func ExampleConfig_Validate() {
	cfg := stream.Config{
		Brokers:           []string{"kafka-1.internal:9093", "kafka-2.internal:9093"},
		TopicPrefix:       "prod.lure.",
		ClientID:          "lure-classifier",
		Partitions:        12,
		ReplicationFactor: 3,
		SASL:              stream.SASL{Mechanism: stream.SASLScramSHA512, Username: "lure"},
		TLS:               stream.TLS{Enable: true},
	}
	fmt.Println(cfg.Validate())
	cfg.SASL.Password = "from LURE_KAFKA_PASSWORD"
	fmt.Println(cfg.Validate())
	// Output:
	// stream: config: SASL SCRAM-SHA-512 needs a password
	// <nil>
}
