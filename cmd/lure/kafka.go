package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/stream"
)

// kafkaFlags are the flags that say how to reach an external Kafka
// cluster. The password never comes from a flag (it would show in ps):
// it is read from LURE_KAFKA_PASSWORD or from --kafka-password-file.
type kafkaFlags struct {
	passwordFile string
}

func addKafkaFlags(fs *flag.FlagSet, o *app.Options) *kafkaFlags {
	k := &kafkaFlags{}
	fs.IntVar(&o.ReplicationFactor, "replication-factor", stream.DefaultReplicationFactor, "replication factor of the topics lure creates")
	fs.StringVar(&o.KafkaClientID, "kafka-client-id", envOr("LURE_KAFKA_CLIENT_ID", stream.DefaultClientID), "client ID sent to the brokers (env LURE_KAFKA_CLIENT_ID)")
	fs.StringVar(&o.ClassifierGroup, "classifier-group", app.DefaultClassifierGroup, "consumer group of the classifier role")
	fs.StringVar(&o.IndexerGroup, "indexer-group", app.DefaultIndexerGroup, "consumer group of the indexer role")
	fs.DurationVar(&o.KafkaSessionTimeout, "kafka-session-timeout", 0, "how long a consumer group waits for a silent member before reassigning its partitions (default "+durationText(stream.DefaultSessionTimeout)+")")
	fs.StringVar(&o.KafkaSASL.Mechanism, "kafka-sasl-mechanism", os.Getenv("LURE_KAFKA_SASL_MECHANISM"), "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty for none (env LURE_KAFKA_SASL_MECHANISM)")
	fs.StringVar(&o.KafkaSASL.Username, "kafka-username", os.Getenv("LURE_KAFKA_USERNAME"), "SASL username (env LURE_KAFKA_USERNAME)")
	fs.StringVar(&k.passwordFile, "kafka-password-file", "", "file holding the SASL password (default: env LURE_KAFKA_PASSWORD)")
	fs.BoolVar(&o.KafkaTLS.Enable, "kafka-tls", false, "connect to the brokers over TLS (implied by the other --kafka-tls-* flags)")
	fs.StringVar(&o.KafkaTLS.CAFile, "kafka-tls-ca", "", "PEM file of CA certificates to trust for the brokers (default: system roots)")
	fs.StringVar(&o.KafkaTLS.CertFile, "kafka-tls-cert", "", "PEM client certificate for brokers that require one")
	fs.StringVar(&o.KafkaTLS.KeyFile, "kafka-tls-key", "", "PEM key of --kafka-tls-cert")
	fs.StringVar(&o.KafkaTLS.ServerName, "kafka-tls-server-name", "", "name to verify in the broker certificates (default: the broker host)")
	fs.BoolVar(&o.KafkaTLS.InsecureSkipVerify, "kafka-tls-insecure-skip-verify", false, "accept any broker certificate (testing only: defeats TLS)")
	return k
}

// apply reads the SASL password and checks that Kafka security is only
// asked of an external cluster.
func (k *kafkaFlags) apply(o *app.Options) error {
	if k.passwordFile != "" {
		b, err := os.ReadFile(k.passwordFile)
		if err != nil {
			return fmt.Errorf("kafka password file: %w", err)
		}
		o.KafkaSASL.Password = strings.TrimRight(string(b), "\r\n")
	} else {
		o.KafkaSASL.Password = os.Getenv("LURE_KAFKA_PASSWORD")
	}
	if o.KafkaSASL.Mechanism == "" {
		// A password in the environment alone does not turn SASL on.
		if o.KafkaSASL.Username != "" {
			return fmt.Errorf("%w: --kafka-username needs --kafka-sasl-mechanism", errUsage)
		}
		o.KafkaSASL.Password = ""
	}
	secured := o.KafkaSASL.Mechanism != "" || o.KafkaTLS != (stream.TLS{})
	if secured && len(o.Brokers) == 0 {
		return errors.New("kafka SASL and TLS flags need --brokers: the embedded broker is plaintext on loopback")
	}
	return nil
}
