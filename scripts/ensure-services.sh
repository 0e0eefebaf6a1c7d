#!/usr/bin/env bash
# PostgreSQL and Redis on 127.0.0.1: start them when they are not answering, and make sure
# the test settings' role and database exist (user postgres, password postgres).
set -euo pipefail
export PGCONNECT_TIMEOUT=5
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "Starting PostgreSQL"
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

# Over TCP the cluster may ask for a password (Debian's default) or trust (this machine
# kind). Give the postgres role the password the test settings use, through the local
# socket as the postgres system user, when TCP login with it does not work yet.
export PGPASSWORD=postgres
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "Setting the postgres role's password for the test settings"
  runas=""
  [ "$(id -un)" = postgres ] || runas="su postgres -c"
  if [ -n "$runas" ]; then
    $runas "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\""
  else
    psql -q -c "ALTER ROLE postgres PASSWORD 'postgres'"
  fi
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='portal500'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres portal500
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
