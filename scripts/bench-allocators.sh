#!/usr/bin/env bash
# Training-step and augmentation throughput of the engine under each allocator setting (glibc
# defaults, glibc with large mmap/trim thresholds, tcmalloc), and of PyTorch under the same when
# python3-torch is installed. The engine-against-PyTorch comparison is scripts/bench.sh.
#   bash scripts/bench-allocators.sh [model:batch,...]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-tiny-cnn:256,compact-cnn:256,resnet18:64}
threads=${THREADS:-$(nproc)}
dotnet build Trainer -c Release -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # idle compiler servers would share the 2 cores
trainer="dotnet Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer.dll bench --cases $cases --threads $threads"

echo "== TorchSharp as launched (it raises glibc's mmap and trim thresholds itself with mallopt)"
$trainer
# Any allocator setting in the environment makes the trainer leave glibc alone; perturb=0 is glibc's own default.
echo "== TorchSharp, glibc malloc defaults"
GLIBC_TUNABLES=glibc.malloc.perturb=0 $trainer
echo "== TorchSharp, MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_=4 GiB"
MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 $trainer
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ -e "$tcmalloc" ]; then
  echo "== TorchSharp, tcmalloc (LD_PRELOAD)"
  LD_PRELOAD=$tcmalloc $trainer
fi
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "== PyTorch (Debian python3-torch), default allocator"
  OMP_NUM_THREADS=$threads /usr/bin/python3 scripts/bench_pytorch.py --cases "$cases"
  if [ -e "$tcmalloc" ]; then
    echo "== PyTorch, tcmalloc (LD_PRELOAD)"
    LD_PRELOAD=$tcmalloc OMP_NUM_THREADS=$threads /usr/bin/python3 scripts/bench_pytorch.py --cases "$cases"
  fi
fi
