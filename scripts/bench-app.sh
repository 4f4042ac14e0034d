#!/usr/bin/env bash
# Does a run in the app train as fast as `bench` measures the same step? Runs `bench` (Release), starts
# the app the way a user does (`dotnet run --project AppHost`: Aspire orchestration, dashboard, SQLite,
# SignalR), creates a run with the model and batch of the dashboard's "CIFAR-10 compact CNN (CPU)"
# preset through the trainer's API (the request the dashboard's form sends), reads its per-epoch
# throughput and what every process used of the CPU meanwhile, stops the app, runs `bench` again and
# prints the app's throughput over the mean of the two benches.
#   bash scripts/bench-app.sh            EPOCHS=3 by default (the first is reported but not averaged);
#                                        KEEP=1 keeps the data root and the JSON files beside it
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${EPOCHS:-3}
key=bench-app-key
root=$(mktemp -d /tmp/simclr-bench-app.XXXXXX)
apphost_pid=
cleanup() {
  if [ -n "$apphost_pid" ] && kill -0 "$apphost_pid" 2>/dev/null; then
    kill -TERM "$apphost_pid"; wait "$apphost_pid" 2>/dev/null || true
  fi
  [ -n "${KEEP:-}" ] && echo "kept $root" || rm -rf "$root" "$root".*
}
trap cleanup EXIT

echo "== CIFAR-10 into a fresh data root ($root)"
mkdir -p "$root/datasets/cifar10"
tar -xJf ../shared/data/cifar10-jpeg.tar.xz -C "$root/datasets/cifar10"

bench() {   # `bench` (Release) on the run's step, with the allocator settings the AppHost gives the trainer
  MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 \
    Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer bench --cases compact-cnn:256 --steps 40 --warmup 5 --rounds 3 --json >"$1"
}
echo "== bench (Release) before the app"
dotnet build Trainer -c Release -v q -nologo >/dev/null
dotnet build AppHost -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # idle compiler servers would share the 2 cores
bench "$root.bench-before.json"

echo "== the app: dotnet run --project AppHost"
env -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ dotnet run --project AppHost --no-build -- \
  --Parameters:data-root="$root" --Parameters:api-key=$key --Parameters:dashboard-password=bench-app >"$root.apphost.log" 2>&1 &
apphost_pid=$!
trainer=http://localhost:5190
for _ in $(seq 240); do curl -sf $trainer/health >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf $trainer/health >/dev/null || { echo "the trainer did not become healthy; see $root.apphost.log"; exit 1; }
python3 scripts/bench_app.py run $trainer $key "$epochs" "$root"
kill -TERM "$apphost_pid"; wait "$apphost_pid" 2>/dev/null || true; apphost_pid=

echo "== bench (Release) after the app"
bench "$root.bench-after.json"
python3 scripts/bench_app.py report "$root" "$root.bench-before.json" "$root.bench-after.json"
