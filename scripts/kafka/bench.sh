#!/usr/bin/env bash
# bench.sh [N] [VERSION] — print lure's pipeline throughput and latency
# table for the embedded broker and a fresh real Apache Kafka broker
# (default N 5000, VERSION 3.9.1). The broker is stopped on exit; a broker
# that cannot start fails the script.
set -euo pipefail

die() { echo "kafka/bench: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-5000}
version=${2:-3.9.1}
port=${LURE_KAFKA_BENCH_PORT:-29192}

dir=$(mktemp -d "${TMPDIR:-/tmp}/lure-kafka-bench-XXXXXX")
trap '"$here/stop.sh" "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT INT TERM
addr=$("$here/start.sh" "$version" "$port" "$dir") || die "Apache Kafka $version did not start"
cd "$root"
go run ./scripts/kafka/bench -n "$n" -kafka "$addr" -kafka-name "$version"
