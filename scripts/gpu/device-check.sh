#!/usr/bin/env bash
# The one command of a device call (a machine lent with one NVIDIA GPU and PyTorch, no .NET, no internet):
# builds TorchSharp's shim against the machine's libtorch (cached for the rest of the call), benches ResNet-18 at
# batch 512 in fp32 and bf16, NCHW and channels-last, and trains CIFAR-10 ResNet-18 in bf16 with kNN after each
# epoch; logs, JSON and summary.json go to $OUT. Prepared here with scripts/gpu/prepare-device-run.sh, which
# fills the git-ignored .gpu/bundle and .gpu/torchsharp that the call carries.
#   bash scripts/gpu/device-check.sh          EPOCHS (3), LIMIT (seconds for the whole check, 450)
set -uo pipefail
cd "$(dirname "$0")/../.."
bundle=.gpu/bundle
[ -x "$bundle/trainer/AspireSimClr.Trainer" ] || { echo "No bundle at $bundle: run scripts/gpu/prepare-device-run.sh first" >&2; exit 1; }
export OUT_DIR=${OUT:-.gpu/results} TRAINER_DIR=$bundle/trainer CIFAR_ARCHIVE=$bundle/cifar10-jpeg.tar.xz
export SHIM_SOURCES=.gpu/torchsharp/src/Native
export BENCH_CASES=resnet18:512 BENCH_PRECISIONS=fp32,bf16 BENCH_LAYOUTS=false,true BENCH_STEPS=20
export MODEL=resnet18 BATCH=512 EPOCHS=${EPOCHS:-3} PRECISIONS=bf16
timeout --signal=TERM --kill-after=20 "${LIMIT:-450}" bash scripts/gpu/gpu-check.sh
code=$?
[ "$code" -eq 124 ] && echo "device-check: stopped at its ${LIMIT:-450} s limit"
exit $code
