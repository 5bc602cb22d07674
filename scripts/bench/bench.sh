#!/usr/bin/env bash
# bench.sh [FLAGS] — `make bench`: runs lure's benchmark suite, prints one
# table and rewrites BENCHMARKS.md. Flags go to scripts/bench (e.g.
# -sizes 10000 for a quick run; -out '' to leave BENCHMARKS.md alone).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
exec go run ./scripts/bench -out BENCHMARKS.md "$@"
