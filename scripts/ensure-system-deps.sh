#!/usr/bin/env bash
# Debian packages the test suite needs: chromium for the browser tests, fonts with Cyrillic.
# Installs only what is missing; works with no terminal (CI).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
# WeasyPrint (PDF reports) needs Pango and HarfBuzz's subsetter
ldconfig -p | grep -q "libpango-1.0.so.0" || need+=(libpango-1.0-0)
ldconfig -p | grep -q "libpangoft2-1.0.so.0" || need+=(libpangoft2-1.0-0)
ldconfig -p | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
# the reverse proxy of docker-compose.yml, run in front of a test server (tests/security)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
# the scale-out test (tests/scale): hosts in network namespaces, the shared services
# forwarded to them; wrk for the load figures of make bench
command -v ip >/dev/null || need+=(iproute2)
command -v socat >/dev/null || need+=(socat)
command -v unshare >/dev/null || need+=(util-linux)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${need[@]}"
