#!/usr/bin/env bash
# Does a run in the app train as fast as `bench` measures the same step? Starts the app the way a user
# does (`dotnet run --project AppHost`: Debug build, Aspire orchestration, dashboard, SQLite, SignalR),
# creates a run with the model and batch of the dashboard's "CIFAR-10 compact CNN (CPU)" preset through the trainer's API (the request the
# dashboard's form sends), reads its per-epoch throughput, stops the app, then runs `bench` (Release)
# on the same step in the same window and prints the ratio.
#   bash scripts/bench-app.sh            EPOCHS=3 by default (the first is reported but not averaged)
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
  rm -rf "$root"
}
trap cleanup EXIT

echo "== CIFAR-10 into a fresh data root ($root)"
mkdir -p "$root/datasets/cifar10"
tar -xJf ../shared/data/cifar10-jpeg.tar.xz -C "$root/datasets/cifar10"

echo "== the app: dotnet run --project AppHost"
dotnet build AppHost -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true
env -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ dotnet run --project AppHost --no-build -- \
  --Parameters:data-root="$root" --Parameters:api-key=$key --Parameters:dashboard-password=bench-app >"$root.apphost.log" 2>&1 &
apphost_pid=$!
trainer=http://localhost:5190
for _ in $(seq 240); do curl -sf $trainer/health >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf $trainer/health >/dev/null || { echo "the trainer did not become healthy; see $root.apphost.log"; exit 1; }

run=$(curl -sf -H "X-Api-Key: $key" -H 'Content-Type: application/json' $trainer/api/runs -d "{
  \"name\": \"bench-app\", \"dataset\": \"cifar10\", \"model\": \"compact-cnn\", \"epochs\": $epochs, \"batchSize\": 256,
  \"learningRate\": 0.001, \"warmupEpochs\": 1, \"knnEveryEpochs\": 0, \"linearProbe\": false }" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "run $run created; training $epochs epochs"
while :; do
  status=$(curl -sf $trainer/api/runs/$run | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  case $status in Completed) break ;; Failed|Cancelled|Interrupted) echo "run ended $status"; curl -s $trainer/api/runs/$run; exit 1 ;; esac
  sleep 5
done
curl -sf $trainer/api/runs/$run >"$root.run.json"
curl -sf $trainer/api/runs/$run/metrics >"$root.metrics.json"
kill -TERM "$apphost_pid"; wait "$apphost_pid" 2>/dev/null || true; apphost_pid=

echo "== bench (Release) on the same step, same allocator settings as the AppHost gives the trainer"
dotnet build Trainer -c Release -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # idle compiler servers would share the 2 cores
MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 \
  Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer bench --cases compact-cnn:256 --steps 40 --warmup 5 --rounds 3 --json >"$root.bench.json"

python3 - "$root.run.json" "$root.metrics.json" "$root.bench.json" <<'PY'
import json, sys
run, metrics, bench = (json.load(open(p)) for p in sys.argv[1:4])
epochs = [p for p in metrics["points"] if p["kind"] == "epoch"]
rt = run.get("runtime") or {}
print(f"app run: {rt.get('deviceName')} {rt.get('precision')}{' channels-last' if rt.get('channelsLast') else ''} ({rt.get('reason')})")
for p in epochs:
    print(f"  epoch {p['epoch'] + 1}: {p['imagesPerSecond']:.0f} img/s, {p['durationSeconds']:.1f} s")
steady = [p["imagesPerSecond"] for p in epochs[1:]] or [p["imagesPerSecond"] for p in epochs]
app = sum(steady) / len(steady)
b = bench["results"][0]
print(f"bench: {b['precision']}{' channels-last' if b['channelsLast'] else ''}, {b['trainImagesPerSecond']:.0f} img/s (training steps only)")
print(f"app / bench = {app:.0f} / {b['trainImagesPerSecond']:.0f} = {app / b['trainImagesPerSecond']:.3f} (epochs 2..{len(epochs)} of the app run)")
PY
