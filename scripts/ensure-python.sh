#!/usr/bin/env bash
# Python 3.11 with venv/ensurepip, needed before .venv can be built (Debian ships venv apart).
set -euo pipefail
python=${1:-python3}
if "$python" -c "import venv, ensurepip" >/dev/null 2>&1; then
  exit 0
fi
echo "Installing Debian's python3-venv"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends python3-venv
