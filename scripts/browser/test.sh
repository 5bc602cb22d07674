#!/usr/bin/env bash
# Runs the dashboard's browser end-to-end tests: builds and starts the test
# node (tests/browser/server: real store, index, classifier and dashboard on
# a fresh data dir and a free port), waits for /healthz, runs the Playwright
# tests in headless Chromium, and stops the node. Screenshots land in
# tests/browser/artifacts/. Run scripts/browser/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/lure-browser-server" ./tests/browser/server
mkdir -p "$work/data"
"$work/lure-browser-server" --data-dir "$work/data" --addr-file "$work/url" 2>"$work/server.log" &
pid=$!
for _ in $(seq 1 100); do
  if [ -s "$work/url" ] && curl -fsS "$(cat "$work/url")/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/server.log"; echo "browser test server died" >&2; exit 1; fi
  sleep 0.2
done
export LURE_URL
LURE_URL=$(cat "$work/url")
cd tests/browser
if ! node --test --test-concurrency=1 *.test.mjs; then
  echo "--- server log" >&2; cat "$work/server.log" >&2
  exit 1
fi
