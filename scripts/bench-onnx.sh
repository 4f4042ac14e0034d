#!/usr/bin/env bash
# Export time and CPU throughput of exported encoders in ONNX Runtime against TorchSharp on the same batches.
#   bash scripts/bench-onnx.sh [model:batch,...] [rounds] [threads]     (default compact-cnn:256,resnet18:64 5 nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp) && trap 'rm -f "$log"' EXIT
dotnet build benchmarks/OnnxBench -c Release -v q -nologo >"$log" 2>&1 || { cat "$log"; exit 1; }
benchmarks/OnnxBench/bin/Release/net10.0/linux-x64/OnnxBench "$@"
