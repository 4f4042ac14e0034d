#!/usr/bin/env python3
"""Summarises a gpu-check.sh results folder (bench.json, train-*.jsonl) as summary.json and a README-ready table.

    python3 scripts/gpu_summary.py RESULTS_FOLDER

MFU is given twice: against the attainable peak bench measured on the device (its best large matrix product or
convolution, what `bench` prints) and against the GPU's nominal dense bf16 tensor-core peak from its data sheet.
"""
import json, os, re, statistics, sys

# Dense (no sparsity) bf16 tensor-core peaks in TFLOP/s, from NVIDIA's data sheets.
NOMINAL_BF16_TFLOPS = [("H200", 989.4), ("H100 PCIe", 756.0), ("H100 NVL", 835.0), ("H100", 989.4), ("A100", 312.0),
                       ("L40S", 362.1), ("L4", 121.0), ("A10", 125.0), ("RTX 4090", 165.2)]


def nominal(name):
    for key, tflops in NOMINAL_BF16_TFLOPS:
        if key in name:
            return tflops * 1e12
    return None


def seconds(duration):
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def main():
    folder = sys.argv[1]
    summary = {"bench": None, "training": {}}
    bench_path = os.path.join(folder, "bench.json")
    if os.path.exists(bench_path) and os.path.getsize(bench_path) > 0:
        report = json.loads(open(bench_path).read().strip().splitlines()[-1])
        peak = nominal(report["deviceName"])
        rows = []
        for r in report["results"]:
            flops = r["trainImagesPerSecond"] * r["trainFlopsPerImage"]
            rows.append({"model": r["model"], "batch": r["batchSize"], "precision": r["precision"], "channelsLast": r["channelsLast"],
                         "viewsPerSecond": r["trainImagesPerSecond"], "mfuMeasuredPeak": r.get("mfu"),
                         "mfuNominalBf16Peak": flops / peak if peak else None, "gpuMemoryBytes": r.get("deviceMemoryBytes")})
        summary["bench"] = {"device": report["deviceName"], "measuredPeakFlopsPerSecond": report["peakFlopsPerSecond"],
                            "nominalBf16PeakFlopsPerSecond": peak, "cases": rows}
    for name in sorted(os.listdir(folder)):
        match = re.fullmatch(r"train-(\w+)\.jsonl", name)
        if not match:
            continue
        events = []
        for line in open(os.path.join(folder, name)):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
        epochs = [e for e in events if e["type"] == "epoch"]
        knn = [e for e in events if e["type"] == "evaluation" and e["kind"] == "knn"]
        completed = next((e for e in events if e["type"] == "completed"), None)
        steady = [seconds(e["duration"]) for e in epochs[1:]] or [seconds(e["duration"]) for e in epochs]
        summary["training"][match.group(1)] = {
            "completed": completed is not None,
            "epochs": len(epochs),
            "epochSecondsMedian": statistics.median(steady) if steady else None,
            "imagesPerSecondLastEpoch": epochs[-1]["imagesPerSecond"] if epochs else None,
            "knnTop1": [round(e["top1"] * 100, 2) for e in knn],
            "totalSeconds": seconds(completed["duration"]) if completed else None,
        }
    json.dump(summary, open(os.path.join(folder, "summary.json"), "w"), indent=2)

    if summary["bench"]:
        b = summary["bench"]
        print(f"GPU: {b['device']}; MFU against the measured peak and against the nominal dense bf16 peak "
              f"({(b['nominalBf16PeakFlopsPerSecond'] or 0) / 1e12:.0f} TFLOP/s)")
        print("| model, batch | precision | layout | views/s | MFU (measured peak) | MFU (nominal bf16) |")
        print("|---|---|---|---|---|---|")
        for r in b["cases"]:
            mfu = f"{r['mfuMeasuredPeak'] * 100:.1f} %" if r["mfuMeasuredPeak"] is not None else "-"
            nominal_mfu = f"{r['mfuNominalBf16Peak'] * 100:.1f} %" if r["mfuNominalBf16Peak"] is not None else "-"
            print(f"| {r['model']} {r['batch']} | {r['precision']} | {'NHWC' if r['channelsLast'] else 'NCHW'} | {r['viewsPerSecond']:,.0f} | {mfu} | {nominal_mfu} |")
    for precision, t in summary["training"].items():
        print(f"training {precision}: completed {t['completed']}, {t['epochs']} epochs, median epoch {t['epochSecondsMedian']} s, "
              f"{t['imagesPerSecondLastEpoch'] or 0:,.0f} img/s in the last epoch, kNN {t['knnTop1']}")


if __name__ == "__main__":
    main()
