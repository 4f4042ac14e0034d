#!/usr/bin/env bash
# Copies TorchSharp's native sources (src/Native: the LibTorchSharp shim the managed TorchSharp calls) at the
# commit of its 0.107.0 release out of a mirror of dotnet/TorchSharp into the git-ignored .gpu/torchsharp,
# which the device call carries to the GPU machine. Third-party sources are never committed here.
#   bash scripts/gpu/export-shim-sources.sh /path/to/TorchSharp.git   (a clone or bare mirror of dotnet/TorchSharp)
# The mirror has no release tags; c20b6a1c ("Update release notes", 2026-05-07) declares version 0.107.0, and the
# symbols its headers export are the ones the NuGet package's libLibTorchSharp.so exports (checked when this was written).
set -euo pipefail
cd "$(dirname "$0")/../.."
mirror=${1:?usage: export-shim-sources.sh /path/to/TorchSharp.git}
commit=${TORCHSHARP_COMMIT:-c20b6a1cc574d690707638a488d2583f3b8b983f}
version=$(git -C "$mirror" show "$commit:build/BranchInfo.props" | sed -n 's/.*<\(Major\|Minor\|Patch\)Version>\([0-9]*\)<.*/\2/p' | paste -sd.)
[ "$version" = "0.107.0" ] || { echo "$commit is TorchSharp $version, not 0.107.0" >&2; exit 1; }
rm -rf .gpu/torchsharp && mkdir -p .gpu/torchsharp
git -C "$mirror" archive "$commit" src/Native LICENSE.txt | tar -x -C .gpu/torchsharp
echo "$commit" > .gpu/torchsharp/COMMIT
echo ".gpu/torchsharp: TorchSharp $version native sources ($commit), $(du -sh .gpu/torchsharp | cut -f1)"
