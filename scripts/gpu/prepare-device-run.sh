#!/usr/bin/env bash
# Prepares the folders a device call carries (both git-ignored, never committed): .gpu/torchsharp (TorchSharp's
# native sources, from a mirror of dotnet/TorchSharp) and .gpu/bundle (the trainer published without libtorch, the
# CIFAR-10 archive), and checks they fit the call's 64 MiB.
#   bash scripts/gpu/prepare-device-run.sh /path/to/TorchSharp.git
# then, through the device tool: carry [".gpu/bundle", ".gpu/torchsharp"], command "bash scripts/gpu/device-check.sh".
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d .gpu/torchsharp/src/Native ] || bash scripts/gpu/export-shim-sources.sh "${1:?usage: prepare-device-run.sh /path/to/TorchSharp.git}"
bash scripts/gpu/make-gpu-bundle.sh --folder .gpu/bundle
rm -rf .gpu/bundle/torchsharp   # the call carries .gpu/torchsharp itself
size=$(du -sbc .gpu/bundle .gpu/torchsharp | tail -1 | cut -f1)
echo "carry: $((size / 1048576)) MiB of 64"
[ "$size" -lt $((60 * 1048576)) ] || { echo "Too large for a device call" >&2; exit 1; }
