#!/usr/bin/env bash
# The engine against PyTorch on the same SimCLR training step, in one run: both views, the batched
# per-image augmentation, encoder + projection head, NT-Xent, backward and Adam, at the same batch,
# threads, allocator settings and layout (channels-last, the engine's auto on a CPU), for fp32 and
# (where the CPU computes it natively) bf16.
# PyTorch runs twice: with the BLAS Debian's python3-torch links by default (the reference BLAS, slow
# in linear layers and matrix products) and with Debian's OpenBLAS (OpenMP build), unpacked into
# .data/openblas and put first on LD_LIBRARY_PATH, so the system's BLAS is left as it is.
# MFU: each step's model FLOPs over the best 2048² matrix product measured with the engine's libtorch.
#   bash scripts/bench.sh [model:batch,...]     STEPS=5 ROUNDS=2 THREADS=nproc; needs: apt-get install python3-torch
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-tiny-cnn:256,compact-cnn:256,resnet18:64}
threads=${THREADS:-$(nproc)}
steps="--steps ${STEPS:-5} --warmup 2 --rounds ${ROUNDS:-2}"
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 OMP_NUM_THREADS=$threads
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "PyTorch is missing: apt-get install python3-torch"; exit 1; }
precisions=fp32
grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo && precisions=fp32,bf16
out=$(mktemp -d /tmp/simclr-bench.XXXXXX)

openblas=.data/openblas
if [ ! -e $openblas/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
  mkdir -p $openblas
  (cd "$out" && apt-get download libopenblas0-openmp >/dev/null && dpkg -x libopenblas0-openmp_*.deb "$OLDPWD/$openblas")
fi

dotnet build Trainer -c Release -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # idle compiler servers would share the 2 cores
echo "== TorchSharp engine ($cases; $precisions; $threads threads)"
Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer bench --cases "$cases" --threads "$threads" \
  --precision $precisions --channels-last auto $steps --json >"$out/engine.json"
echo "== PyTorch, Debian's default BLAS"
/usr/bin/python3 scripts/bench_pytorch.py --cases "$cases" --precision $precisions $steps --json >"$out/pytorch-default.json"
echo "== PyTorch, OpenBLAS (OpenMP) via LD_LIBRARY_PATH"
LD_LIBRARY_PATH=$PWD/$openblas/usr/lib/x86_64-linux-gnu/openblas-openmp \
  /usr/bin/python3 scripts/bench_pytorch.py --cases "$cases" --precision $precisions $steps --json >"$out/pytorch-openblas.json"

/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
engine, default, openblas = (json.load(open(f"{out}/{n}.json")) for n in ("engine", "pytorch-default", "pytorch-openblas"))
peak = engine["peakFlopsPerSecond"]
print(f"engine: {engine['deviceName']}, {engine['threads']} threads; PyTorch {default['torch']}")
print(f"  default BLAS: {default['blas']}\n  OpenBLAS:     {openblas['blas']}")
print("attainable peak (best of a 2048² matrix product and a 256-channel 3×3 convolution, engine's libtorch): " + ", ".join(f"{k} {v / 1e9:.0f} GFLOP/s" for k, v in peak.items()))
def key(r): return (r["model"], r["batchSize"], r["precision"], "NHWC" if r["channelsLast"] else "NCHW")
pd, po = {key(r): r for r in default["results"]}, {key(r): r for r in openblas["results"]}
print()
print(f"{'model':<12} {'batch':>5} {'prec':<5} {'layout':<6} {'engine':>8} {'PyTorch':>8} {'PyT+OB':>8} {'eng/PyT':>8} {'eng/PyT+OB':>10} {'MFU eng':>8} {'MFU PyT+OB':>10}  (images/s, both views)")
for r in engine["results"]:
    k = key(r)
    a, b = pd.get(k), po.get(k)
    if a is None or b is None: continue
    flops = r["trainFlopsPerImage"]
    if abs(flops - b["trainFlopsPerImage"]) > 0.01 * flops:
        print(f"  warning: FLOP counts differ for {k}: engine {flops}, PyTorch {b['trainFlopsPerImage']}")
    p = peak[r["precision"]]
    e, t, o = r["trainImagesPerSecond"], a["trainImagesPerSecond"], b["trainImagesPerSecond"]
    print(f"{k[0]:<12} {k[1]:>5} {k[2]:<5} {k[3]:<6} {e:8.0f} {t:8.0f} {o:8.0f} {e / t:8.2f} {e / o:10.2f} {e * flops / p:8.1%} {o * flops / p:10.1%}")
print(f"\n(raw JSON in {out})")
PY
