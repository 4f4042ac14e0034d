#!/usr/bin/env bash
# How time and resident memory grow with the size of an image folder, and with the batch size.
#   bash scripts/bench-data.sh [sizes] [batches]      defaults: 10000,50000,200000 and 64,128,256,512,1024
# A folder of N images is N hard links to CIFAR-10's training JPEGs (cycled, kept in their class
# folders), so decoding does real JPEG work without N distinct files on disk. For each size the
# trainer's `bench-data` runs twice in fresh processes: first with no cache (decodes and writes the
# memory-mapped cache), then again (reads the cache). Then `bench` over the batch sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-10000,50000,200000}
batches=${2:-64,128,256,512,1024}
work=.data/bench-folders
cifar=$work/cifar10

dotnet build Trainer -c Release -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true   # idle compiler servers would share the 2 cores
trainer=Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer

if [ ! -d "$cifar/train" ]; then
  mkdir -p "$cifar"
  tar -xJf ../shared/data/cifar10-jpeg.tar.xz -C "$cifar"
fi

for n in ${sizes//,/ }; do
  folder=$work/folder-$n
  if [ "$(find "$folder" -name '*.jpg' 2>/dev/null | wc -l)" != "$n" ]; then
    rm -rf "$folder"
    python3 - "$cifar/train" "$folder" "$n" <<'PY'
import os, sys
source, target, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(source) for f in fs if f.endswith(".jpg"))
for i in range(n):
    src = files[i % len(files)]
    cls = os.path.basename(os.path.dirname(src))
    os.makedirs(os.path.join(target, cls), exist_ok=True)
    os.link(src, os.path.join(target, cls, f"{i:07d}.jpg"))
PY
  fi
  rm -rf "$folder/.simclr-cache"
  for pass in "no cache" "cached"; do
    echo "== $n images, $pass"
    /usr/bin/time -f "process: %e s wall, max RSS %M KiB" $trainer bench-data --data-dir "$folder" --steps 20
  done
  echo "cache file: $(du -h "$folder"/.simclr-cache/*.bin | cut -f1)"
done

echo "== batch sizes (compact-cnn, synthetic images, bf16 where the CPU has it)"
cases=$(echo "$batches" | tr ',' '\n' | sed 's/^/compact-cnn:/' | paste -sd,)
$trainer bench --cases "$cases" --steps 10 --rounds 3
