#!/usr/bin/env bash
# Exact embedding search: query latency at 50k and 1M vectors, near-duplicates at 50k, and with a checkpoint the index
# of its dataset built from its encoder, with retrieval precision@10.
#   bash scripts/bench-search.sh [checkpoint data-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp) && trap 'rm -f "$log"' EXIT
dotnet build benchmarks/SearchBench -c Release -v q -nologo >"$log" 2>&1 || { cat "$log"; exit 1; }
benchmarks/SearchBench/bin/Release/net10.0/linux-x64/SearchBench "$@"
