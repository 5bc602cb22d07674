package stream

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// SASL mechanisms lure can authenticate with.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// SASL configures authentication to the brokers. The zero value means no
// authentication.
type SASL struct {
	// Mechanism is "" (none), PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. Case
	// does not matter.
	Mechanism string
	// Username and Password are the credentials. Both are required with a
	// mechanism. Never log Password.
	Username string
	Password string
}

// TLS configures encryption of broker connections. The zero value means
// plaintext.
type TLS struct {
	// Enable turns TLS on. Setting any other field implies it.
	Enable bool
	// CAFile is a PEM file of CA certificates to trust instead of the
	// system pool.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// brokers that require client authentication. Set both or neither.
	CertFile, KeyFile string
	// ServerName overrides the name checked against the broker
	// certificates (default: the host of each broker address).
	ServerName string
	// InsecureSkipVerify accepts any broker certificate. Only for tests;
	// it must be set explicitly and defeats the purpose of TLS.
	InsecureSkipVerify bool
}

// enabled reports whether t asks for TLS.
func (t TLS) enabled() bool {
	return t.Enable || t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != "" || t.InsecureSkipVerify
}

// validate checks the SASL settings.
func (s SASL) validate() error {
	if s.Mechanism == "" {
		if s.Username != "" || s.Password != "" {
			return errors.New("stream: config: SASL username or password given without a mechanism (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)")
		}
		return nil
	}
	switch strings.ToUpper(s.Mechanism) {
	case SASLPlain, SASLScramSHA256, SASLScramSHA512:
	default:
		return fmt.Errorf("stream: config: unknown SASL mechanism %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", s.Mechanism)
	}
	if s.Username == "" {
		return fmt.Errorf("stream: config: SASL %s needs a username", s.Mechanism)
	}
	if s.Password == "" {
		return fmt.Errorf("stream: config: SASL %s needs a password", s.Mechanism)
	}
	return nil
}

// mechanism returns the kafka-go SASL mechanism, or nil for none.
func (s SASL) mechanism() (sasl.Mechanism, error) {
	switch strings.ToUpper(s.Mechanism) {
	case "":
		return nil, nil
	case SASLPlain:
		return plain.Mechanism{Username: s.Username, Password: s.Password}, nil
	case SASLScramSHA256:
		m, err := scram.Mechanism(scram.SHA256, s.Username, s.Password)
		if err != nil {
			return nil, fmt.Errorf("stream: config: SASL %s: %w", s.Mechanism, err)
		}
		return m, nil
	case SASLScramSHA512:
		m, err := scram.Mechanism(scram.SHA512, s.Username, s.Password)
		if err != nil {
			return nil, fmt.Errorf("stream: config: SASL %s: %w", s.Mechanism, err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("stream: config: unknown SASL mechanism %q", s.Mechanism)
}

// validate checks the TLS settings, reading the files they name.
func (t TLS) validate() error {
	_, err := t.config()
	return err
}

// config returns the crypto/tls configuration, or nil for plaintext.
func (t TLS) config() (*tls.Config, error) {
	if !t.enabled() {
		return nil, nil
	}
	c := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.InsecureSkipVerify, //nolint:gosec // explicit opt-in, documented as test-only
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("stream: config: TLS CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("stream: config: TLS CA file %s holds no PEM certificate", t.CAFile)
		}
		c.RootCAs = pool
	}
	switch {
	case t.CertFile != "" && t.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("stream: config: TLS client certificate: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	case t.CertFile != "" || t.KeyFile != "":
		return nil, errors.New("stream: config: TLS client certificate needs both a cert file and a key file")
	}
	return c, nil
}
