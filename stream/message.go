package stream

import (
	"sort"
	"time"

	"github.com/segmentio/kafka-go"
)

// Message is one Kafka record as lure sees it.
type Message struct {
	// Topic and Partition are where the record was read from; Produce
	// ignores them (the topic is its argument, the partition comes from
	// the key).
	Topic     string
	Partition int
	// Offset is the record's offset in its partition; set on consume.
	Offset int64
	// Key decides the partition: records with one key stay in order.
	Key   []byte
	Value []byte
	// Headers are small string metadata; lure's own start with "lure-".
	Headers map[string]string
	// Time is the record timestamp; zero on produce means now.
	Time time.Time
}

// Dead-letter headers: why a message was dead-lettered and where it came
// from.
const (
	HeaderError           = "lure-error"
	HeaderSourceTopic     = "lure-source-topic"
	HeaderSourcePartition = "lure-source-partition"
	HeaderSourceOffset    = "lure-source-offset"
)

func toKafka(topic string, m Message) kafka.Message {
	km := kafka.Message{Topic: topic, Key: m.Key, Value: m.Value, Time: m.Time}
	if len(m.Headers) > 0 {
		keys := make([]string, 0, len(m.Headers))
		for k := range m.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		km.Headers = make([]kafka.Header, 0, len(keys))
		for _, k := range keys {
			km.Headers = append(km.Headers, kafka.Header{Key: k, Value: []byte(m.Headers[k])})
		}
	}
	return km
}

func fromKafka(km kafka.Message) Message {
	m := Message{
		Topic:     km.Topic,
		Partition: km.Partition,
		Offset:    km.Offset,
		Key:       km.Key,
		Value:     km.Value,
		Time:      km.Time,
	}
	if len(km.Headers) > 0 {
		m.Headers = make(map[string]string, len(km.Headers))
		for _, h := range km.Headers {
			m.Headers[h.Key] = string(h.Value)
		}
	}
	return m
}
