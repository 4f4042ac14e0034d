#!/usr/bin/env bash
# Builds a bundle for scripts/gpu-check.sh: a self-contained, trimmed, single-file publish of the
# trainer (no .NET needed on the target; CliBundle=true in Trainer/Trainer.csproj) with
# TorchBackend=external (no libtorch inside: the target's PyTorch provides it), the symbol checker,
# and the shared CIFAR-10 archive. trainer/ holds AspireSimClr.Trainer (managed code, runtime and
# the SkiaSharp/SQLite native libraries, compressed) and libLibTorchSharp.so.
#   bash scripts/make-gpu-bundle.sh [out.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-gpu-bundle.tar.gz}
stage=$(mktemp -d)
build=$(mktemp -d)
trap 'rm -rf "$stage" "$build"' EXIT
# Own bin/ and obj/ (--artifacts-path), so the normal build's outputs and restore stay as they are.
dotnet publish Trainer -c Release -r linux-x64 -p:TorchBackend=external -p:CliBundle=true \
  --artifacts-path "$build" -o "$stage/trainer" -v q -nologo
cp scripts/gpu-check.sh scripts/check_libtorch_symbols.py "$stage/"
cp ../shared/data/cifar10-jpeg.tar.xz "$stage/"
tar -czf "$out" -C "$stage" .
echo "$out: $(du -h "$out" | cut -f1) (trainer publish $(du -sh "$stage/trainer" | cut -f1))"
