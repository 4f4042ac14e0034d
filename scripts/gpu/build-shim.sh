#!/usr/bin/env bash
# Builds TorchSharp's native shim (libLibTorchSharp.so) against the libtorch of this machine's PyTorch, so that
# the trainer runs on it: TorchSharp 0.107's own shim is built for libtorch 2.10 and a newer libtorch lacks some
# of the C++ symbols it was linked against. Patches in scripts/gpu/shim/patches/*.diff (written here, only where
# a newer libtorch's API demands them) are applied to a copy of the sources first.
#   bash scripts/gpu/build-shim.sh OUT_FOLDER
# Environment: SHIM_SOURCES (default ./torchsharp/src/Native in a bundle, .gpu/torchsharp/src/Native in the repository,
# from export-shim-sources.sh), PYTHON (python3), TORCH_ROOT (default: the torch package's folder), CXX11_ABI (default:
# what torch was built with), BUILD (default /tmp/simclr-shim-build/<torch version>: a second run with the same
# sources reuses it), JOBS (nproc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-shim.sh OUT_FOLDER}
python=${PYTHON:-python3}
# Beside this script in a bundle, else where export-shim-sources.sh puts them in the repository.
sources=${SHIM_SOURCES:-$here/torchsharp/src/Native}
[ -d "$sources" ] || sources=$here/../../.gpu/torchsharp/src/Native
[ -f "$sources/LibTorchSharp/THSTensor.cpp" ] || { echo "No TorchSharp sources at $sources: run scripts/gpu/export-shim-sources.sh first" >&2; exit 1; }
if [ -z "${TORCH_ROOT:-}" ]; then
  TORCH_ROOT=$($python -c 'import os, torch; print(os.path.dirname(torch.__file__))')
  CXX11_ABI=${CXX11_ABI:-$($python -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')}
  version=$($python -c 'import torch; print(torch.__version__)')
else
  version=${TORCH_VERSION:-custom}
fi
build=${BUILD:-${TMPDIR:-/tmp}/simclr-shim-build/$version}
mkdir -p "$build" "$out"

# Sources and patches together decide whether the cached build still stands.
stamp=$( (cd "$sources/LibTorchSharp" && cat *.cpp *.c *.h; cat "$here"/shim/CMakeLists.txt; cat "$here"/shim/patches/*.diff 2>/dev/null || true; echo "$TORCH_ROOT ${CXX11_ABI:-1}") | sha256sum | cut -c1-16)
if [ -f "$build/libLibTorchSharp.so" ] && [ "$(cat "$build/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "shim: cached build for libtorch $version ($build)"
else
  rm -rf "$build/src" && mkdir -p "$build/src" && cp -r "$sources/." "$build/src/"
  for patch in "$here"/shim/patches/*.diff; do
    [ -e "$patch" ] || continue
    echo "shim: applying $(basename "$patch")"
    patch -d "$build/src" -p1 --forward --quiet < "$patch"
  done
  generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
  start=$(date +%s)
  cmake -S "$here/shim" -B "$build/cmake" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DSHIM_SOURCES="$build/src" -DTORCH_ROOT="$TORCH_ROOT" -DCXX11_ABI="${CXX11_ABI:-1}" > "$build/configure.log" \
    || { cat "$build/configure.log" >&2; exit 1; }
  cmake --build "$build/cmake" -j "${JOBS:-$(nproc)}" 2>&1 | tee "$build/build.log" | grep -E "error|Error|warning: .*deprecated" | head -50
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "shim: build failed, log in $build/build.log" >&2; tail -30 "$build/build.log" >&2; exit 1; }
  cp "$build/cmake/libLibTorchSharp.so" "$build/libLibTorchSharp.so"
  echo "$stamp" > "$build/stamp"
  echo "shim: built against libtorch $version in $(( $(date +%s) - start )) s with ${JOBS:-$(nproc)} jobs"
fi
cp "$build/libLibTorchSharp.so" "$out/libLibTorchSharp.so"
