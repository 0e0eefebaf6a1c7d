#!/usr/bin/env bash
# npm packages the browser tests need (axe-core), pinned in tests/assets/package-lock.json.
# `npm ci` runs only when node_modules is missing or the lock changed since the last install;
# the tests read the files from node_modules and fetch nothing at run time.
set -euo pipefail
cd "$(dirname "$0")/../tests/assets"
stamp=node_modules/.lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/axe-core/axe.min.js ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "Installing Debian packages: nodejs npm"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends nodejs npm
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
