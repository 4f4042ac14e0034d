#!/usr/bin/env python3
"""Counts the native operations one training step issues, with Linux uprobes (root, tracefs).

Three counts per step:
  - host calls: calls of TorchSharp's native entry points (the exported THS* functions of libLibTorchSharp.so),
    i.e. every P/Invoke the .NET side makes: what a GPU step pays for in host time;
  - host operations: those host calls less bookkeeping (disposing handles, reading the last error, making and
    disposing scalars, asking a tensor's sizes, type or device, a module whether it is training);
  - ATen operator calls: calls of at::_ops::<op>::call in libtorch_cpu.so, every operator the dispatcher runs,
    those autograd issues during backward and those composite operators issue inside included.

The trainer runs `train` twice on synthetic data, identical but for the number of training images (so for the number
of steps in its one epoch, kNN, linear probe and health off); the difference of the two counts divided by the
difference of the step counts is what one step of the training loop costs, data batching included and the
start, dataset, checkpoint and epoch-end work excluded.

  sudo python3 scripts/count_ops.py [--cases compact-cnn:simclr:bf16:lars,resnet18:simclr:fp32:adam] [--batch-size 64]

Adding the probes takes a second; removing them about 3 minutes (the kernel waits once per probe), so measure
several cases in one call.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time
from collections import Counter

TRACING = "/sys/kernel/tracing"
GROUP = "simclr_ops"
BOOKKEEPING = re.compile(r"^(THSTensor_dispose|THSTorch_get_and_reset_last_err|THSTorch_\w+_to_scalar|THSTorch_dispose_scalar|"
                         r"THSTensor_(sizes|stride|strides|size|type|device_type|device_index|ndimension|numel|is_contiguous|"
                         r"requires_grad|is_leaf|element_size|data|storage_offset)|THSNN_Module_is_training|THSGenerator_\w+)$")


def tracefs():
    if not os.path.exists(os.path.join(TRACING, "uprobe_events")):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACING], check=False)
    if not os.path.exists(os.path.join(TRACING, "uprobe_events")):
        sys.exit(f"No uprobes: {TRACING}/uprobe_events is missing (needs root and a kernel with CONFIG_UPROBE_EVENTS)")


def load_segments(library):
    """(vaddr, offset, size) of the executable LOAD segments, to turn symbol addresses into file offsets."""
    out = subprocess.run(["readelf", "-lW", library], capture_output=True, text=True, check=True).stdout
    segments = []
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["LOAD"] and "E" in parts[6:-1]:
            segments.append((int(parts[2], 16), int(parts[1], 16), int(parts[4], 16)))
    return segments


def symbols(library, pattern):
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    segments = load_segments(library)
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "Tt" or not pattern.match(parts[2]):
            continue
        address = int(parts[0], 16)
        for vaddr, offset, size in segments:
            if vaddr <= address < vaddr + size:
                found.setdefault(address - vaddr + offset, parts[2])
                break
    return found  # file offset -> symbol (aliases at one address counted once)


def demangle(names):
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True).stdout.splitlines()
    return dict(zip(names, out)) if len(out) == len(names) else {n: n for n in names}


class Probes:
    def __init__(self, libraries):
        self.names = {}  # event name -> (kind, symbol)
        definitions = []
        for kind, library, pattern in libraries:
            for offset, symbol in symbols(library, pattern).items():
                event = f"simclr_op{len(self.names)}"
                self.names[event] = (kind, symbol)
                definitions.append(f"p:{GROUP}/{event} {library}:0x{offset:x}")
        self.remove()
        write("uprobe_events", definitions)
        write("tracing_on", ["0"])  # count hits only; write nothing to the ring buffer
        write(os.path.join("events", GROUP, "enable"), ["1"])

    def hits(self):
        counts = Counter()
        with open(os.path.join(TRACING, "uprobe_profile")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in self.names:  # "path event hits", without the group
                    counts[parts[1]] = int(parts[2])
        return counts

    def remove(self):
        if os.path.exists(os.path.join(TRACING, "events", GROUP, "enable")):
            write(os.path.join("events", GROUP, "enable"), ["0"])
        with open(os.path.join(TRACING, "uprobe_events")) as f:
            lines = f.read().splitlines()
        ours = [line.split()[0].split(":", 1)[1] for line in lines if line.startswith(f"p:{GROUP}/")]
        if ours and len(ours) == len(lines):
            os.close(os.open(os.path.join(TRACING, "uprobe_events"), os.O_WRONLY | os.O_TRUNC))  # one RCU wait for all
        else:
            write("uprobe_events", [f"-:{event}" for event in ours])  # about 70 ms each


def write(name, lines):
    """tracefs files take one definition per write(2) and refuse seeks, so no buffered append."""
    fd = os.open(os.path.join(TRACING, name), os.O_WRONLY | os.O_APPEND)
    try:
        for line in lines:
            os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def train(trainer, case, batch_size, images, folder):
    model, method, precision, optimizer = case
    command = trainer + [
        "train", "--dataset", "synthetic", "--synthetic-train-size", str(images), "--synthetic-test-size", "64",
        "--model", model, "--batch-size", str(batch_size), "--epochs", "1", "--optimizer", optimizer,
        "--method", method, "--precision", precision, "--knn-every-epochs", "0", "--linear-probe", "false",
        "--health-every-steps", "1000000", "--knn-k", "1", "--checkpoint-dir", folder, "--device", "cpu", "--json"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"train failed ({result.returncode}):\n{result.stderr[-3000:]}")
    steps = {json.loads(line).get("stepsPerEpoch") for line in result.stdout.splitlines() if '"type":"step"' in line.replace(" ", "")}
    if len(steps) != 1:
        sys.exit(f"expected step events with one stepsPerEpoch, got {steps}")
    return steps.pop()


def measure(probes, trainer, case, args):
    counts = []
    with tempfile.TemporaryDirectory() as work:
        for run, images in enumerate([2 * args.batch_size, (2 + args.steps) * args.batch_size]):
            log(f"{':'.join(case)}: training on {images} images")
            before = probes.hits()
            steps = train(trainer, case, args.batch_size, images, os.path.join(work, str(run)))
            counts.append((steps, probes.hits() - before))
    (short_steps, short), (long_steps, long) = counts
    steps = long_steps - short_steps
    if steps <= 0:
        sys.exit(f"the runs took {short_steps} and {long_steps} steps")
    per_step = {event: (long[event] - short[event]) / steps for event in probes.names}
    totals = {kind: sum(v for e, v in per_step.items() if probes.names[e][0] == kind) for kind in ("host", "aten")}
    operations = sum(v for e, v in per_step.items() if probes.names[e][0] == "host" and not BOOKKEEPING.match(probes.names[e][1]))
    top = {}
    for kind in ("host", "aten"):
        ranked = sorted(((v, probes.names[e][1]) for e, v in per_step.items() if probes.names[e][0] == kind and v > 0), reverse=True)[:args.top]
        readable = demangle([s for _, s in ranked])
        top[kind] = [(re.sub(r"^at::_ops::(\w+)::call.*", r"\1", readable[s]), v) for v, s in ranked]
    return {"case": ":".join(case), "batchSize": args.batch_size, "steps": steps,
            "hostCallsPerStep": totals["host"], "hostOperationsPerStep": operations, "atenCallsPerStep": totals["aten"], "top": top}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainer", default="Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer")
    parser.add_argument("--cases", default="compact-cnn:simclr:bf16:lars", help="model:method:precision:optimizer, comma-separated")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=8, help="steps of the longer run beyond the shorter one's")
    parser.add_argument("--top", type=int, default=12, help="list the most frequent calls")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--host-only", action="store_true", help="probe TorchSharp's entry points only (a quarter of the probes to remove)")
    args = parser.parse_args()
    cases = [tuple(c.split(":")) for c in args.cases.split(",")]
    for case in cases:
        if len(case) != 4:
            sys.exit(f"--cases: '{':'.join(case)}' is not model:method:precision:optimizer")
    if os.geteuid() != 0:
        sys.exit("uprobes need root")
    tracefs()
    folder = os.path.dirname(os.path.abspath(args.trainer))
    trainer = [os.path.abspath(args.trainer)]
    log("adding probes")
    libraries = [("host", os.path.join(folder, "libLibTorchSharp.so"), re.compile(r"^THS"))]
    if not args.host_only:
        libraries.append(("aten", os.path.join(folder, "libtorch_cpu.so"), re.compile(r"^_ZN2at4_ops.*4callE")))
    probes = Probes(libraries)
    try:
        reports = [measure(probes, trainer, case, args) for case in cases]
    finally:
        log("removing probes")
        probes.remove()
    for report in reports:
        if args.json:
            print(json.dumps(report))
            continue
        print(f"{report['case']} B={args.batch_size}: {report['hostCallsPerStep']:.0f} host calls ({report['hostOperationsPerStep']:.0f} "
              f"operations, the rest bookkeeping) and {report['atenCallsPerStep']:.0f} ATen operator calls per step ({report['steps']} steps measured)")
        for kind in ("host", "aten"):
            print(f"  most frequent {kind}: " + ", ".join(f"{name} {v:.0f}" for name, v in report["top"][kind]))


if __name__ == "__main__":
    main()
