package stream

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestConfigValidateSecurity(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t, dir)
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := []string{"k:9092"}
	tests := []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"plain", Config{Brokers: b, SASL: SASL{Mechanism: "PLAIN", Username: "u", Password: "p"}}, ""},
		{"scram lower case", Config{Brokers: b, SASL: SASL{Mechanism: "scram-sha-512", Username: "u", Password: "p"}}, ""},
		{"unknown mechanism", Config{Brokers: b, SASL: SASL{Mechanism: "GSSAPI", Username: "u", Password: "p"}}, "unknown SASL mechanism"},
		{"no username", Config{Brokers: b, SASL: SASL{Mechanism: "PLAIN", Password: "p"}}, "needs a username"},
		{"no password", Config{Brokers: b, SASL: SASL{Mechanism: "SCRAM-SHA-256", Username: "u"}}, "needs a password"},
		{"credentials without mechanism", Config{Brokers: b, SASL: SASL{Username: "u", Password: "p"}}, "without a mechanism"},
		{"tls system roots", Config{Brokers: b, TLS: TLS{Enable: true}}, ""},
		{"tls ca and client cert", Config{Brokers: b, TLS: TLS{CAFile: pki.ca, CertFile: pki.cert, KeyFile: pki.key, ServerName: "localhost"}}, ""},
		{"missing ca file", Config{Brokers: b, TLS: TLS{CAFile: filepath.Join(dir, "nope.pem")}}, "TLS CA file"},
		{"ca file without certificates", Config{Brokers: b, TLS: TLS{CAFile: junk}}, "no PEM certificate"},
		{"cert without key", Config{Brokers: b, TLS: TLS{CertFile: pki.cert}}, "both a cert file and a key file"},
		{"bad key pair", Config{Brokers: b, TLS: TLS{CertFile: pki.cert, KeyFile: junk}}, "client certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "stream: config: ") {
				t.Errorf("Validate() = %v, want stream: config: ...%q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\"p\"") {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

// TestSASLAndTLS runs topics, produce and a group consumer over mutual TLS
// with each SASL mechanism against a broker that requires both.
func TestSASLAndTLS(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t, dir)
	serverCert, err := tls.LoadX509KeyPair(pki.serverCert, pki.serverKey)
	if err != nil {
		t.Fatal(err)
	}
	clientCAs := x509.NewCertPool()
	caPEM, err := os.ReadFile(pki.ca)
	if err != nil {
		t.Fatal(err)
	}
	clientCAs.AppendCertsFromPEM(caPEM)
	cluster, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.EnableSASL(),
		kfake.Superuser(SASLPlain, "plain-user", "plain-secret"),
		kfake.Superuser(SASLScramSHA256, "scram256-user", "scram256-secret"),
		kfake.Superuser(SASLScramSHA512, "scram512-user", "scram512-secret"),
		kfake.TLS(&tls.Config{
			Certificates: []tls.Certificate{serverCert},
			ClientCAs:    clientCAs,
			ClientAuth:   tls.RequireAndVerifyClientCert,
			MinVersion:   tls.VersionTLS12,
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	tlsCfg := TLS{CAFile: pki.ca, CertFile: pki.cert, KeyFile: pki.key, ServerName: "localhost"}

	tests := []struct {
		name string
		sasl SASL
	}{
		{"plain", SASL{Mechanism: SASLPlain, Username: "plain-user", Password: "plain-secret"}},
		{"scram-sha-256", SASL{Mechanism: SASLScramSHA256, Username: "scram256-user", Password: "scram256-secret"}},
		{"scram-sha-512", SASL{Mechanism: SASLScramSHA512, Username: "scram512-user", Password: "scram512-secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Brokers: cluster.ListenAddrs(), TopicPrefix: tt.name + ".", Partitions: 2, SASL: tt.sasl, TLS: tlsCfg}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := EnsureTopics(ctx, cfg); err != nil {
				t.Fatalf("EnsureTopics: %v", err)
			}
			p := NewProducer(cfg, nil)
			defer p.Close()
			if err := p.Produce(ctx, cfg.Topic(Raw), Message{Key: []byte("k"), Value: []byte("hello")}); err != nil {
				t.Fatalf("Produce: %v", err)
			}
			got := make(chan Message, 1)
			c, err := NewConsumer(ConsumerOptions{
				Config: cfg, Topic: cfg.Topic(Raw), Group: "g", JoinGroupBackoff: 100 * time.Millisecond,
				Handler: HandlerFunc(func(_ context.Context, m Message) error { got <- m; return nil }),
			})
			if err != nil {
				t.Fatal(err)
			}
			cctx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- c.Run(cctx) }()
			select {
			case m := <-got:
				if string(m.Value) != "hello" || m.Headers[HeaderSchema] != SchemaAd {
					t.Errorf("consumed %q with headers %v", m.Value, m.Headers)
				}
			case <-ctx.Done():
				t.Fatal("nothing consumed")
			}
			stop()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}

	t.Run("wrong password is refused", func(t *testing.T) {
		cfg := Config{Brokers: cluster.ListenAddrs(), TopicPrefix: "wrong.", SASL: SASL{Mechanism: SASLScramSHA256, Username: "scram256-user", Password: "guess"}, TLS: tlsCfg}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := EnsureTopics(ctx, cfg); err == nil {
			t.Fatal("EnsureTopics with a wrong password succeeded")
		}
	})
	t.Run("no client certificate is refused", func(t *testing.T) {
		cfg := Config{Brokers: cluster.ListenAddrs(), TopicPrefix: "nocert.", SASL: tests[0].sasl, TLS: TLS{CAFile: pki.ca, ServerName: "localhost"}}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := EnsureTopics(ctx, cfg); err == nil {
			t.Fatal("EnsureTopics without a client certificate succeeded")
		}
	})
}

// testPKI is a CA with a server and a client certificate, as PEM files.
type testPKI struct {
	ca, cert, key, serverCert, serverKey string
}

func newTestPKI(t *testing.T, dir string) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lure test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	p := testPKI{ca: filepath.Join(dir, "ca.pem")}
	writePEM(t, p.ca, "CERTIFICATE", caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage, certPath, keyPath string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "localhost"},
			DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		writePEM(t, certPath, "CERTIFICATE", der)
		writePEM(t, keyPath, "EC PRIVATE KEY", kb)
	}
	p.serverCert, p.serverKey = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
	p.cert, p.key = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	issue(2, x509.ExtKeyUsageServerAuth, p.serverCert, p.serverKey)
	issue(3, x509.ExtKeyUsageClientAuth, p.cert, p.key)
	return p
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
