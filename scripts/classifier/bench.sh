#!/usr/bin/env bash
# Classifier throughput: BenchmarkScore (lure vs the naive one-regexp-per-
# rule baseline, same ads, same run) on the development corpus and the
# fixtures, plus ads per CPU-second on one core, which stays meaningful on
# a shared, loaded machine where wall-clock ads/s does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/classifier.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./classifier/
cd classifier
"$bin" -test.run '^$' -test.bench 'Score' -test.benchtime 2s -test.benchmem
n=${N:-30000}
for set in corpus fixtures; do
	cpu() { /usr/bin/time -f '%U %S' "$bin" -test.run '^$' -test.bench "Score/$set/lure" -test.benchtime "$1x" -test.cpu 1 2>&1 >/dev/null | tail -1 | awk '{print $1+$2}'; }
	base=$(cpu 1)
	full=$(cpu "$n")
	awk -v s="$set" -v n="$n" -v a="$base" -v b="$full" 'BEGIN { printf "%s: %d ads in %.2f CPU-s on one core: %.0f ads/s per core\n", s, n, b-a, n/(b-a) }'
done
