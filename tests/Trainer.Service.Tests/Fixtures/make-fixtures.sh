#!/usr/bin/env bash
# Writes run databases with the trainer as it was before the schema migrations (6143a0e): SQLite and PostgreSQL.
set -eu
T=${BUILD:-/tmp/base}/Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer
KEY=fixture-key
body='{"name":"completed run","dataset":"synthetic","syntheticTrainSize":96,"syntheticTestSize":32,"imageSize":16,"model":"tiny-cnn","projectionHiddenDim":32,"projectionDim":16,"batchSize":32,"epochs":2,"learningRate":0.001,"knnK":10,"linearProbeEpochs":5,"threads":2,"tags":["fixture"]}'
long='{"name":"cancelled run","dataset":"synthetic","syntheticTrainSize":96,"syntheticTestSize":32,"imageSize":16,"model":"tiny-cnn","projectionHiddenDim":32,"projectionDim":16,"batchSize":32,"epochs":500,"learningRate":0.001,"knnK":10,"linearProbeEpochs":5,"threads":2}'
sweep='{"name":"fixture sweep","kind":"seeds","seeds":2,"settings":{"dataset":"synthetic","syntheticTrainSize":96,"syntheticTestSize":32,"imageSize":16,"model":"tiny-cnn","projectionHiddenDim":32,"projectionDim":16,"batchSize":32,"epochs":1,"knnK":10,"linearProbe":false,"threads":2}}'
run_one() {
  local port=$1; shift
  $T --urls http://127.0.0.1:$port --Trainer:ApiKey=$KEY "$@" > trainer-$port.log 2>&1 &
  local pid=$!
  for i in $(seq 60); do curl -sf http://127.0.0.1:$port/health >/dev/null && break; sleep 0.5; done
  post() { curl -s -X POST -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' -d "$2" http://127.0.0.1:$port$1; echo; }
  c=$(post /api/runs "$body" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  for i in $(seq 120); do s=$(curl -s http://127.0.0.1:$port/api/runs/$c | python3 -c 'import sys,json;print(json.load(sys.stdin)["status"])'); [ "$s" = Completed ] && break; sleep 0.5; done
  echo "completed: $c $s"
  post /api/sweeps "$sweep" > /dev/null
  l=$(post /api/runs "$long" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  post /api/runs/$l/cancel "" > /dev/null
  q=$(post /api/runs "$long" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  for i in $(seq 60); do s=$(curl -s http://127.0.0.1:$port/api/runs | python3 -c 'import sys,json;print(sorted(r["status"] for r in json.load(sys.stdin)))'); echo "$s" | grep -q "Running" && break; sleep 0.5; done
  post /api/runs "$long" > /dev/null   # stays queued behind the running one
  sleep 1
  echo "statuses: $(curl -s http://127.0.0.1:$port/api/runs | python3 -c 'import sys,json;print(sorted(r["status"] for r in json.load(sys.stdin)))')"
  kill -9 $pid; wait $pid 2>/dev/null || true     # killed mid-run: a run left 'Running' with a lease
}
rm -rf sqlite; run_one 5301 --Trainer:DataRoot=/tmp/oldfix/sqlite
# PostgreSQL
rm -rf pg; mkdir -p pg; chown postgres pg
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D /tmp/oldfix/pg/data -U postgres -A trust -E UTF8 --no-sync" > /dev/null
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/oldfix/pg/data -l /tmp/oldfix/pg/log -w -o '-p 55432 -k /tmp/oldfix/pg -c listen_addresses=127.0.0.1' start" > /dev/null
su postgres -c "psql -h 127.0.0.1 -p 55432 -c 'CREATE DATABASE old'" > /dev/null
run_one 5302 --Trainer:DataRoot=/tmp/oldfix/pgroot "--ConnectionStrings:runs=Host=127.0.0.1;Port=55432;Username=postgres;Database=old"
su postgres -c "pg_dump -h 127.0.0.1 -p 55432 --no-owner --no-privileges old" > /tmp/oldfix/old-postgres.sql
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/oldfix/pg/data -m immediate -w stop" > /dev/null
ls -la /tmp/oldfix/sqlite /tmp/oldfix/old-postgres.sql
