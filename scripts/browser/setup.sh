#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (if missing) and
# playwright-core from tests/browser/package-lock.json. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
fi
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y nodejs npm
fi
cd tests/browser
npm ci --no-audit --no-fund
