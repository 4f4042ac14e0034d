#!/usr/bin/env bash
# Runs on a Linux machine with an NVIDIA GPU and PyTorch, without .NET: unpack the bundle from
# scripts/gpu/make-gpu-bundle.sh and run this script inside it.
#   tar -xzf gpu-bundle.tar.gz -C gpu && cd gpu && bash gpu-check.sh
# Steps: build TorchSharp's shim against this machine's libtorch (when its sources are there), check that libtorch
# has every symbol the shim needs, bench the training step, train CIFAR-10 briefly and evaluate with kNN. A step
# succeeds by what the trainer reports (bench's JSON results, a training's "completed" event), not by the process's
# exit code alone: libtorch's CUDA teardown can crash a process at exit after a good run, which is reported as such.
# Environment: PYTHON (python3), TORCH_LIB (the torch package's lib folder), TRAINER_DIR (./trainer), CIFAR_ARCHIVE
# (./cifar10-jpeg.tar.xz), SHIM_SOURCES (TorchSharp's src/Native; default ./torchsharp/src/Native when present:
# then the shim is built, else the bundled one is used), OUT_DIR (./results: logs, JSON and summary.json),
# DEVICE (cuda), MODEL (resnet18), EPOCHS (3), BATCH (512), BENCH_CASES (compact-cnn:1024,resnet18:BATCH),
# BENCH_PRECISIONS (fp32,bf16), BENCH_LAYOUTS (false,true), BENCH_STEPS (20), PRECISIONS ("fp32 bf16": one
# training each), CHANNELS_LAST (auto), TRAIN_ARGS (extra train flags, e.g. --train-subset 5000).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
device=${DEVICE:-cuda}
epochs=${EPOCHS:-3}
batch=${BATCH:-512}
model=${MODEL:-resnet18}
bench_cases=${BENCH_CASES:-compact-cnn:1024,resnet18:$batch}
precisions=${PRECISIONS:-fp32 bf16}
channels_last=${CHANNELS_LAST:-auto}
trainer_dir=${TRAINER_DIR:-$here/trainer}
archive=${CIFAR_ARCHIVE:-$here/cifar10-jpeg.tar.xz}
out=${OUT_DIR:-$here/results}
mkdir -p "$out"
exec > >(tee -a "$out/gpu-check.log") 2>&1
failures=()
step() { echo; echo "== $* ($(date +%T))"; }

torch_lib=${TORCH_LIB:-$($python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)}
if [ -z "$torch_lib" ] || [ ! -d "$torch_lib" ]; then
  echo "No libtorch found: install PyTorch for $python or set TORCH_LIB to a folder with libtorch.so" >&2; exit 1
fi
step "machine"
echo "libtorch: $torch_lib ($($python -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null || echo "version unknown"))"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
echo "CPU: $(nproc) cores"

sources=${SHIM_SOURCES:-$here/torchsharp/src/Native}
if [ -f "$sources/LibTorchSharp/THSTensor.cpp" ]; then
  step "shim: building TorchSharp's native library against this libtorch"
  SHIM_SOURCES=$sources PYTHON=$python bash "$here/build-shim.sh" "$trainer_dir" \
    || { echo "The shim did not build; see the errors above." >&2; exit 1; }
else
  echo "(no TorchSharp sources at $sources: using the bundled libLibTorchSharp.so, built for libtorch 2.10)"
fi

step "symbols"
$python "$here/check_libtorch_symbols.py" "$trainer_dir/libLibTorchSharp.so" "$torch_lib" || {
  echo "The trainer cannot run on this libtorch; see the missing symbols above." >&2; exit 1; }

export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The single-file trainer unpacks its native libraries (SkiaSharp, SQLite) on first start: here, not in ~/.net.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-$out/.bundle}"
trainer="$trainer_dir/AspireSimClr.Trainer"

step "bench ($device: $bench_cases; ${BENCH_PRECISIONS:-fp32,bf16}; channels-last ${BENCH_LAYOUTS:-false,true})"
"$trainer" bench --device "$device" --cases "$bench_cases" --steps "${BENCH_STEPS:-20}" --rounds 2 \
  --precision "${BENCH_PRECISIONS:-fp32,bf16}" --channels-last "${BENCH_LAYOUTS:-false,true}" --json > "$out/bench.json" 2> "$out/bench.err"
code=$?
$python - "$out/bench.json" "$code" <<'PY' || failures+=("bench")
import json, sys
path, code = sys.argv[1], int(sys.argv[2])
try:
    report = json.loads(open(path).read().strip().splitlines()[-1])
except Exception as e:
    sys.exit(f"bench printed no report (exit code {code}): {e}")
peaks = ", ".join(f"{k} {v / 1e12:.0f} TFLOP/s" if v >= 1e12 else f"{k} {v / 1e9:.0f} GFLOP/s" for k, v in report["peakFlopsPerSecond"].items())
print(f"{report['deviceName']}: attainable peak measured {peaks}")
for r in report["results"]:
    mfu = f"{r['mfu'] * 100:.1f} %" if r.get("mfu") is not None else "-"
    layout = "NHWC" if r["channelsLast"] else "NCHW"
    print(f"{r['model']:12} B={r['batchSize']:<5} {r['precision']:5} {layout}  {r['trainImagesPerSecond']:>9,.0f} views/s  MFU {mfu}")
if code != 0:
    print(f"(bench exited with {code} after printing its report)")
PY
[ -s "$out/bench.err" ] && tail -5 "$out/bench.err"

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
tar -xJf "$archive" -C "$data"
mkdir -p "$data/cifar10" && mv "$data/train" "$data/test" "$data/cifar10/"
for precision in $precisions; do
  step "CIFAR-10 $model, $epochs epochs, batch $batch, $precision, channels-last $channels_last ($device)"
  log="$out/train-$precision.jsonl"
  "$trainer" train --device "$device" --dataset cifar10 --data-dir "$data/cifar10" --model "$model" --batch-size "$batch" \
    --epochs "$epochs" --optimizer lars --warmup-epochs 1 --linear-probe false --precision "$precision" --channels-last "$channels_last" \
    --checkpoint-dir "$out/run-$precision" --json ${TRAIN_ARGS:-} > "$log" 2> "$out/train-$precision.err"
  code=$?
  $python - "$log" "$code" <<'PY' || failures+=("train $precision")
import json, sys
path, code = sys.argv[1], int(sys.argv[2])
completed = None
for line in open(path):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e["type"] == "started":
        print(f"{e['device']} ({e['deviceName']}), batches {e['batchPlacement']}, {e['trainImages']} train / {e['testImages']} test images")
    elif e["type"] == "epoch":
        gpu = e.get("deviceMemoryBytes")
        memory = f", GPU memory {gpu / 2**20:.0f} MiB" if gpu else ""
        print(f"epoch {e['epoch'] + 1}: {e['duration']} ({e['imagesPerSecond']:,.0f} img/s, loss {e['meanLoss']:.4f}{memory})")
    elif e["type"] == "evaluation":
        print(f"  {e['kind']} top-1 {e['top1'] * 100:.2f} % on {e['testImages']} test images")
    elif e["type"] == "completed":
        completed = e
if completed is None:
    sys.exit(f"no 'completed' event (exit code {code})")
print(f"completed in {completed['duration']}" + (f" (the process then exited with {code}: a crash after the run, e.g. in CUDA teardown)" if code != 0 else ""))
PY
  [ -s "$out/train-$precision.err" ] && tail -5 "$out/train-$precision.err"
done
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used --format=csv,noheader

step "summary"
$python "$here/gpu_summary.py" "$out" | tee "$out/summary.txt"
if [ ${#failures[@]} -gt 0 ]; then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
echo "OK: every step reported success"
