#!/usr/bin/env bash
# test.sh [VERSION...] — run lure's pipeline integration suite
# (internal/pipelinetest) against real Apache Kafka brokers.
#
# For each VERSION (default: 3.9.1 4.1.1) it starts a fresh single-node KRaft
# broker with start.sh (fetching the jars into the cache on first use), runs
# `go test -run 'TestPipelineKafka|TestKafkaSmoke' ./internal/pipelinetest/` with
# LURE_TEST_KAFKA, LURE_TEST_KAFKA_VERSION and LURE_TEST_KAFKA_DIR set (the
# suite restarts the broker itself with stop.sh/start.sh), and stops the broker
# on exit. Any failure, including a broker that cannot start, fails the script:
# nothing is skipped.
#
# Environment: LURE_KAFKA_TEST_PORT (default 29092; the controller takes the
# next port), GOFLAGS as usual, plus what start.sh and fetch.sh read.
set -euo pipefail

die() { echo "kafka/test: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${LURE_KAFKA_TEST_PORT:-29092}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.9.1 4.1.1)

dir=""
cleanup() {
	if [ -n "$dir" ]; then
		"$here/stop.sh" "$dir" >/dev/null 2>&1 || true
		rm -rf "$dir"
	fi
}
trap cleanup EXIT INT TERM

for v in "${versions[@]}"; do
	dir=$(mktemp -d "${TMPDIR:-/tmp}/lure-kafka-test-$v-XXXXXX")
	echo "kafka/test: starting Apache Kafka $v on 127.0.0.1:$port"
	addr=$("$here/start.sh" "$v" "$port" "$dir") || die "Apache Kafka $v did not start (see above)"
	echo "kafka/test: running the pipeline suite against Kafka $v at $addr"
	start=$(date +%s)
	if ! (cd "$root" && LURE_TEST_KAFKA=$addr LURE_TEST_KAFKA_VERSION=$v LURE_TEST_KAFKA_DIR=$dir \
		go test -count=1 -timeout 22m -v -run 'TestPipelineKafka' ./internal/pipelinetest/); then
		echo "kafka/test: --- broker log tail ($v) ---" >&2
		tail -n 40 "$dir/logs/server.log" >&2 || true
		die "pipeline suite failed against Apache Kafka $v"
	fi
	echo "kafka/test: Kafka $v passed in $(($(date +%s) - start))s"
	cleanup
	dir=""
done
echo "kafka/test: all passed (${versions[*]})"
