// Package stream is lure's only door to Kafka. It creates lure's topics,
// produces messages synchronously, runs consumer-group consumers that send
// messages a handler cannot process to a dead-letter topic, and can start an
// embedded Kafka-protocol broker (franz-go's kfake) persisted on disk, which
// clients reach over TCP exactly as they would a real cluster.
//
// It moves bytes only: encoding ads and verdicts is left to package ad, and
// what a message means is left to the handlers of the stages that use it.
package stream

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Logical topic names; the real topic is Config.TopicPrefix + name.
const (
	Raw     = "ads.raw"
	Scored  = "ads.scored"
	Removed = "ads.removed"
	Dead    = "ads.dead"
)

// Topics lists every logical topic lure uses, in pipeline order.
var Topics = []string{Raw, Scored, Removed, Dead}

// Defaults for the zero fields of Config.
const (
	DefaultTopicPrefix       = "lure."
	DefaultClientID          = "lure"
	DefaultPartitions        = 4
	DefaultReplicationFactor = 1
	DefaultMaxInFlight       = 64
)

// maxTopicLen is Kafka's own limit on topic names.
const maxTopicLen = 249

// Config says how to reach Kafka and how lure names and sizes its topics.
type Config struct {
	// Brokers lists bootstrap brokers as host:port. Required.
	Brokers []string
	// TopicPrefix is put before every logical topic name. Default "lure.".
	TopicPrefix string
	// ClientID identifies lure to the brokers. Default "lure".
	ClientID string
	// Partitions is the partition count of topics lure creates. Default 4.
	Partitions int
	// ReplicationFactor of topics lure creates. Default 1.
	ReplicationFactor int
	// SASL authenticates every connection. Default: none.
	SASL SASL
	// TLS encrypts every connection. Default: plaintext.
	TLS TLS
	// MaxInFlight bounds how many Produce calls of one Producer may wait
	// for the brokers at once; further callers block (back-pressure)
	// instead of queueing without limit. Default 64.
	MaxInFlight int
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.TopicPrefix == "" {
		c.TopicPrefix = DefaultTopicPrefix
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.Partitions == 0 {
		c.Partitions = DefaultPartitions
	}
	if c.ReplicationFactor == 0 {
		c.ReplicationFactor = DefaultReplicationFactor
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	return c
}

// Validate reports the first problem with c, after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	if len(c.Brokers) == 0 {
		return errors.New("stream: config: no brokers")
	}
	for _, b := range c.Brokers {
		host, port, err := net.SplitHostPort(b)
		if err != nil || host == "" {
			return fmt.Errorf("stream: config: broker %q is not host:port", b)
		}
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return fmt.Errorf("stream: config: broker %q is not host:port with a port in 1..65535", b)
		}
	}
	if c.ClientID != "" && len(c.ClientID) > 255 {
		return errors.New("stream: config: client ID is longer than 255 bytes")
	}
	if c.Partitions < 0 || c.Partitions > 10000 {
		return fmt.Errorf("stream: config: partitions %d out of range 1..10000", c.Partitions)
	}
	if c.ReplicationFactor < 0 || c.ReplicationFactor > 32 {
		return fmt.Errorf("stream: config: replication factor %d out of range 1..32", c.ReplicationFactor)
	}
	for _, r := range c.TopicPrefix {
		if !topicRune(r) {
			return fmt.Errorf("stream: config: topic prefix %q has a character other than [a-zA-Z0-9._-]", c.TopicPrefix)
		}
	}
	if len(c.TopicPrefix)+len(Removed) > maxTopicLen {
		return fmt.Errorf("stream: config: topic prefix is longer than %d bytes", maxTopicLen-len(Removed))
	}
	if c.MaxInFlight < 0 {
		return fmt.Errorf("stream: config: max in-flight %d is negative", c.MaxInFlight)
	}
	if err := c.SASL.validate(); err != nil {
		return err
	}
	return c.TLS.validate()
}

func topicRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}

// Topic returns the real name of the logical topic name:
// Config{}.Topic(Raw) == "lure.ads.raw".
func (c Config) Topic(name string) string {
	return c.withDefaults().TopicPrefix + name
}
