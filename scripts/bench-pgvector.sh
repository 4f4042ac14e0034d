#!/usr/bin/env bash
# The search benchmark (scripts/bench-search.sh) with the pgvector backend as well: a throwaway PostgreSQL cluster in a
# temporary folder (Debian's postgresql package) whose server must have the pgvector extension ('vector'). Debian 12 does
# not package it; build it from its source (make && make install with postgresql-server-dev-15) to run this.
#   bash scripts/bench-pgvector.sh [checkpoint data-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -f "$("$bin/pg_config" --sharedir)/extension/vector.control" ] || { echo "this PostgreSQL ($bin) has no pgvector extension" >&2; exit 1; }
folder=$(mktemp -d) && port=$((20000 + RANDOM % 20000))
as_postgres=() && [ "$(id -u)" = 0 ] && { chown postgres "$folder"; as_postgres=(runuser -u postgres --); }
trap '"${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$folder"' EXIT
"${as_postgres[@]}" "$bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=1GB" start >/dev/null
"${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE bench"
dotnet build benchmarks/SearchBench -c Release -v q -nologo >"$folder/build.log" 2>&1 || { cat "$folder/build.log"; exit 1; }
benchmarks/SearchBench/bin/Release/net10.0/linux-x64/SearchBench --pgvector "Host=127.0.0.1;Port=$port;Username=postgres;Database=bench" "$@"
