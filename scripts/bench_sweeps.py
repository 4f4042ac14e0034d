#!/usr/bin/env python3
"""Measures what early stopping saves a sweep: the same random sweep (same seed, so the same configurations) queued on a
Release trainer without and with successive halving, each to its end; prints wall time, the best kNN top-1 found and the
epochs trained, as JSON and as a README table.

    python3 scripts/bench_sweeps.py [--samples 16] [--epochs 6] [--rungs 2,4] [--eta 3] [--train-subset 10000] [--test-subset 2000]

Needs CIFAR-10 as an image folder (../shared/data/cifar10-jpeg.tar.xz is unpacked into a temporary data root) and a Release
build of the trainer (dotnet build Trainer -c Release).
"""
import argparse, json, os, shutil, socket, subprocess, sys, tarfile, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAINER = os.path.join(ROOT, "Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer")
KEY = "bench-sweeps"
ENDED = {"Completed", "Failed", "Cancelled", "Interrupted", "StoppedEarly"}


def call(base, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "X-Api-Key": KEY})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_sweep(base, body, epochs):
    started = time.monotonic()
    sweep = call(base, "POST", "/api/sweeps", body)["sweep"]
    while True:
        time.sleep(2)
        detail = call(base, "GET", f"/api/sweeps/{sweep['id']}")
        runs = detail["runs"]
        if runs and all(r["status"] in ENDED for r in runs):
            break
    wall = time.monotonic() - started
    best = max(runs, key=lambda r: r.get("bestKnnTop1") or 0)
    return {
        "earlyStopping": body.get("earlyStopping"),
        "wallSeconds": round(wall, 1),
        "bestKnnTop1": best.get("bestKnnTop1"),
        "bestRun": best["name"],
        "bestRunCompleted": best["status"] == "Completed",
        "epochsTrained": sum(r["epochsCompleted"] for r in runs),
        "epochsPlanned": epochs * len(runs),
        "statuses": {s: sum(1 for r in runs if r["status"] == s) for s in sorted({r["status"] for r in runs})},
        "runs": [{"name": r["name"], "status": r["status"], "epochs": r["epochsCompleted"], "knn": r.get("bestKnnTop1")} for r in runs],
        "decisions": len(detail.get("decisions") or []),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--rungs", default="2,4")
    parser.add_argument("--eta", type=int, default=3)
    parser.add_argument("--train-subset", type=int, default=10000)
    parser.add_argument("--test-subset", type=int, default=2000)
    parser.add_argument("--archive", default=os.path.join(ROOT, "../shared/data/cifar10-jpeg.tar.xz"))
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    rungs = [int(r) for r in args.rungs.split(",")]

    root = tempfile.mkdtemp(prefix="bench-sweeps-")
    trainer = None
    try:
        os.makedirs(os.path.join(root, "datasets/cifar10"))
        with tarfile.open(args.archive) as archive:
            archive.extractall(os.path.join(root, "datasets/cifar10"), filter="data")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(root, "trainer.log"), "w")
        trainer = subprocess.Popen([TRAINER, "--urls", base, f"--Trainer:DataRoot={root}", f"--Trainer:ApiKey={KEY}"], stdout=log, stderr=subprocess.STDOUT)
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        settings = {
            "dataset": "cifar10", "model": "compact-cnn", "epochs": args.epochs, "batchSize": 256, "optimizer": "lars",
            "warmupEpochs": 1, "knnEveryEpochs": 2, "trainSubset": args.train_subset, "testSubset": args.test_subset,
            "linearProbe": False, "embeddingMapImages": 0, "seed": 42,
        }
        sweep = {
            "kind": "random", "samples": args.samples, "settings": settings,
            "ranges": [
                {"setting": "learningRate", "min": 0.05, "max": 3.0, "log": True},
                {"setting": "temperature", "min": 0.05, "max": 1.0},
                {"setting": "weightDecay", "min": 1e-6, "max": 1e-2, "log": True},
            ],
        }
        # One short run first, so that neither arm pays for the dataset's first decoding and caching.
        warm = call(base, "POST", "/api/runs", dict(settings, name="warm-up", epochs=1))
        while call(base, "GET", f"/api/runs/{warm['id']}")["status"] not in ENDED:
            time.sleep(1)
        results = [run_sweep(base, dict(sweep, name="random sweep"), args.epochs),
                   run_sweep(base, dict(sweep, name="random sweep, ASHA", earlyStopping={"metric": "knn", "rungs": rungs, "reductionFactor": args.eta}), args.epochs)]
        report = {"samples": args.samples, "epochs": args.epochs, "trainSubset": args.train_subset, "testSubset": args.test_subset,
                  "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
                  "results": results}
        text = json.dumps(report, indent=2)
        print(text)
        if args.out:
            open(args.out, "w").write(text)
        print()
        print("| sweep | wall time | best kNN top-1 | epochs trained | runs |")
        print("|---|---|---|---|---|")
        for r in results:
            name = "without early stopping" if r["earlyStopping"] is None else f"ASHA, rungs {args.rungs}, η {args.eta}"
            statuses = ", ".join(f"{n} {s}" for s, n in r["statuses"].items())
            print(f"| {name} | {r['wallSeconds'] / 60:.1f} min | {100 * (r['bestKnnTop1'] or 0):.2f} % | {r['epochsTrained']} of {r['epochsPlanned']} | {statuses} |")
    finally:
        if trainer is not None:
            trainer.terminate()
            trainer.wait(timeout=60)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
