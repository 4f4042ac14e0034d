#!/usr/bin/env bash
# Runs on a Linux machine with an NVIDIA GPU and PyTorch, without .NET: unpack the bundle from
# scripts/make-gpu-bundle.sh and run this script inside it.
#   tar -xzf gpu-bundle.tar.gz -C gpu && cd gpu && bash gpu-check.sh
# Environment: PYTHON (default python3), TORCH_LIB (default: the installed torch's lib folder),
# DEVICE (default cuda), MODEL (default resnet18), EPOCHS (default 3), BATCH (default 512),
# BENCH_CASES (default compact-cnn:1024,resnet18:BATCH), PRECISIONS (default "fp32 bf16": one training run each),
# CHANNELS_LAST (default true), TRAIN_ARGS (extra train flags, e.g. --train-subset 5000).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
device=${DEVICE:-cuda}
epochs=${EPOCHS:-3}
batch=${BATCH:-512}
model=${MODEL:-resnet18}
bench_cases=${BENCH_CASES:-compact-cnn:1024,resnet18:$batch}
precisions=${PRECISIONS:-fp32 bf16}
channels_last=${CHANNELS_LAST:-true}
torch_lib=${TORCH_LIB:-$($python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)}
if [ -z "$torch_lib" ] || [ ! -d "$torch_lib" ]; then
  echo "No libtorch found: install PyTorch for $python or set TORCH_LIB to a folder with libtorch.so" >&2; exit 1
fi
echo "== libtorch: $torch_lib ($($python -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null || echo "version unknown"))"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

echo "== symbols"
$python "$here/check_libtorch_symbols.py" "$here/trainer/libLibTorchSharp.so" "$torch_lib" || {
  echo "The trainer cannot run on this libtorch; see the missing symbols above." >&2; exit 1; }

export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The single-file trainer unpacks its native libraries (SkiaSharp, SQLite) on first start: here, not in ~/.net.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-$here/.bundle}"
trainer="$here/trainer/AspireSimClr.Trainer"

echo "== bench ($device)"
"$trainer" bench --device "$device" --cases "$bench_cases" --steps 20 --rounds 2 --precision fp32,bf16 --channels-last false,true || exit 1

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
tar -xJf "$here/cifar10-jpeg.tar.xz" -C "$data"
mkdir -p "$data/cifar10" && mv "$data/train" "$data/test" "$data/cifar10/"
for precision in $precisions; do
  echo "== CIFAR-10 $model, $epochs epochs, batch $batch, $precision, channels-last $channels_last ($device)"
  log="$here/gpu-train-$precision.jsonl"
  "$trainer" train --device "$device" --dataset cifar10 --data-dir "$data/cifar10" --model "$model" --batch-size "$batch" \
    --epochs "$epochs" --optimizer lars --warmup-epochs 1 --linear-probe false --precision "$precision" --channels-last "$channels_last" \
    --checkpoint-dir "$here/gpu-run-$precision" --json ${TRAIN_ARGS:-} > "$log" || exit 1
  $python - "$log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "started":
        print(f"{e['device']} ({e['deviceName']}), batches {e['batchPlacement']}, {e['trainImages']} train / {e['testImages']} test images")
    elif e["type"] == "epoch":
        gpu = e.get("deviceMemoryBytes")
        memory = f", GPU memory {gpu / 2**20:.0f} MiB" if gpu else ""
        print(f"epoch {e['epoch'] + 1}: {e['duration']} ({e['imagesPerSecond']:.0f} img/s, loss {e['meanLoss']:.4f}{memory})")
    elif e["type"] == "evaluation":
        print(f"  {e['kind']} top-1 {e['top1'] * 100:.2f} % on {e['testImages']} test images")
PY
done
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used --format=csv,noheader
