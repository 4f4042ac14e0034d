#!/usr/bin/env bash
# Debian's PostgreSQL as an Aspire executable resource (scale-out mode without a container runtime):
# initialises a cluster in $1 on first start (trust authentication, loopback only: a development setup),
# then runs the server in the foreground on port $2. PostgreSQL refuses root, so as root it runs as postgres.
set -euo pipefail
dir=$1
port=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  run=(runuser -u postgres --)
else
  run=()
fi
[ -f "$dir/PG_VERSION" ] || "${run[@]}" "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 >/dev/null
exec "${run[@]}" "$bin/postgres" -D "$dir" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1
