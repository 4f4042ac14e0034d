#!/usr/bin/env bash
# Builds a bundle for scripts/gpu/gpu-check.sh: a self-contained, trimmed, single-file publish of the trainer (no
# .NET needed on the target; CliBundle=true in Trainer/Trainer.csproj) with TorchBackend=external (no libtorch
# inside: the target's PyTorch provides it), the GPU scripts (shim build, symbol check, summary), TorchSharp's
# native sources when .gpu/torchsharp holds them (scripts/gpu/export-shim-sources.sh; the shim is then built
# against the target's libtorch) and the shared CIFAR-10 archive. trainer/ holds AspireSimClr.Trainer (managed
# code, runtime and the SkiaSharp/SQLite native libraries, compressed) and libLibTorchSharp.so.
#   bash scripts/gpu/make-gpu-bundle.sh [out.tar.gz | --folder DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--folder" ]; then
  folder=${2:?--folder needs a folder}; out=""
  rm -rf "$folder"
else
  out=${1:-gpu-bundle.tar.gz}; folder=$(mktemp -d)
fi
build=$(mktemp -d)
trap 'rm -rf "$build"; [ -z "$out" ] || rm -rf "$folder"' EXIT
mkdir -p "$folder"
# Own bin/ and obj/ (--artifacts-path), so the normal build's outputs and restore stay as they are.
dotnet publish Trainer -c Release -r linux-x64 -p:TorchBackend=external -p:CliBundle=true \
  --artifacts-path "$build" -o "$folder/trainer" -v q -nologo
cp scripts/gpu/gpu-check.sh scripts/gpu/check_libtorch_symbols.py scripts/gpu/gpu_summary.py scripts/gpu/build-shim.sh "$folder/"
cp -r scripts/gpu/shim "$folder/"
[ -d .gpu/torchsharp/src/Native ] && mkdir -p "$folder/torchsharp/src" && cp -r .gpu/torchsharp/src/Native "$folder/torchsharp/src/"
cp ../shared/data/cifar10-jpeg.tar.xz "$folder/"
if [ -n "$out" ]; then
  tar -czf "$out" -C "$folder" .
  echo "$out: $(du -h "$out" | cut -f1) (trainer publish $(du -sh "$folder/trainer" | cut -f1))"
else
  echo "$folder: $(du -sh "$folder" | cut -f1) (trainer publish $(du -sh "$folder/trainer" | cut -f1))"
fi
