package stream

import (
	"crypto/tls"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
)

// security is the resolved TLS and SASL setup of a Config.
type security struct {
	tls  *tls.Config
	sasl sasl.Mechanism
}

// security resolves c's TLS and SASL settings (reading certificate files).
func (c Config) security() (security, error) {
	t, err := c.TLS.config()
	if err != nil {
		return security{}, err
	}
	m, err := c.SASL.mechanism()
	if err != nil {
		return security{}, err
	}
	return security{tls: t, sasl: m}, nil
}

// transport returns a kafka-go transport (used by writers and admin
// clients) for c with defaults applied.
func (s security) transport(c Config) *kafka.Transport {
	return &kafka.Transport{
		ClientID:    c.ClientID,
		DialTimeout: 5 * time.Second,
		MetadataTTL: 10 * time.Second,
		TLS:         s.tls,
		SASL:        s.sasl,
	}
}

// dialer returns a kafka-go dialer (used by readers) for c with defaults
// applied.
func (s security) dialer(c Config) *kafka.Dialer {
	return &kafka.Dialer{
		ClientID:      c.ClientID,
		Timeout:       10 * time.Second,
		DualStack:     true,
		TLS:           s.tls,
		SASLMechanism: s.sasl,
	}
}
