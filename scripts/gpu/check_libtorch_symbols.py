#!/usr/bin/env python3
"""Checks that a libtorch install provides every libtorch symbol TorchSharp's native library needs.

    python3 scripts/gpu/check_libtorch_symbols.py <libLibTorchSharp.so> <libtorch lib folder>

TorchSharp 0.107 is built against libtorch 2.10.0. Loading it against another libtorch (say a
PyTorch wheel's torch/lib) fails at the first missing symbol, or worse, later. This reads the ELF
dynamic symbol tables directly (no binutils needed), lists what is missing, and exits 1 if anything is.
"""
import os
import re
import struct
import sys

LIBTORCH_SYMBOL = re.compile(r"^_Z(?:TV|TI|TS)?N?K?(?:2at|3c10|5torch)\d")


def dynamic_symbols(path):
    """Returns (defined, undefined) sets of dynamic symbol names of a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    defined, undefined = set(), set()
    for name, sh_type, flags, addr, offset, size, link, info, align, entsize in sections:
        if sh_type != 11:  # SHT_DYNSYM
            continue
        strtab_offset = sections[link][4]
        for i in range(1, size // 24):
            st_name, st_info, st_other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, offset + i * 24)
            end = data.index(b"\0", strtab_offset + st_name)
            symbol = data[strtab_offset + st_name:end].decode("ascii", "replace")
            (undefined if st_shndx == 0 else defined).add(symbol)
    return defined, undefined


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bridge, folder = sys.argv[1], sys.argv[2]
    _, needed = dynamic_symbols(bridge)
    needed = {s for s in needed if LIBTORCH_SYMBOL.match(s)}
    provided = set()
    libraries = [n for n in sorted(os.listdir(folder)) if re.match(r"lib(torch|torch_cpu|torch_cuda|c10|c10_cuda)\.so", n)]
    if not libraries:
        print(f"MISMATCH: {folder} holds no libtorch.so / libtorch_cpu.so / libc10.so", file=sys.stderr)
        return 1
    for name in libraries:
        defined, _ = dynamic_symbols(os.path.join(folder, name))
        provided |= defined
    missing = sorted(needed - provided)
    if not missing:
        print(f"OK: {folder} ({', '.join(libraries)}) provides all {len(needed)} libtorch symbols that {os.path.basename(bridge)} needs.")
        return 0
    print(f"MISMATCH: {len(missing)} of the {len(needed)} libtorch symbols that {os.path.basename(bridge)} needs are missing from "
          f"{folder} ({', '.join(libraries)}). TorchSharp 0.107 is built for libtorch 2.10.0; use a matching libtorch "
          f"(e.g. the TorchSharp-cpu / TorchSharp-cuda-linux packages). First missing symbols:")
    for symbol in missing[:25]:
        print("  " + symbol)
    return 1


if __name__ == "__main__":
    sys.exit(main())
