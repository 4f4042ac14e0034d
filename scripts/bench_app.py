"""The app-path half of scripts/bench-app.sh, in one long-lived process so that watching the run costs
the 2 cores almost nothing (a curl and a python3 start per poll took a third of a core).

  python3 scripts/bench_app.py run TRAINER KEY EPOCHS OUT   create the run, wait for it, write OUT.run.json,
                                                            OUT.metrics.json, OUT.cpu.txt (CPU per process
                                                            while epochs 2.. trained)
  python3 scripts/bench_app.py report OUT BENCH_JSON...     print per-epoch and bench figures and the ratio
"""
import json, os, statistics, sys, time, urllib.request

TICKS = os.sysconf("SC_CLK_TCK")


def call(url, key=None, body=None):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("X-Api-Key", key)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def cpu_times():
    """CPU seconds per process (its own and its reaped children's), keyed by pid, with name and command."""
    processes = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
            command = open(f"/proc/{pid}/cmdline").read().replace("\0", " ").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        processes[pid] = (stat[stat.index("(") + 1:stat.rindex(")")], command[:110], sum(int(x) for x in fields[11:15]) / TICKS)
    return time.monotonic(), processes


def thread_times(pid):
    """Per thread of one process: name, CPU seconds and how often it was preempted (involuntary switches)."""
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        preempted = int(next(line for line in status.splitlines() if line.startswith("nonvoluntary_ctxt_switches")).split()[1])
        threads[tid] = (stat[stat.index("(") + 1:stat.rindex(")")], (int(fields[11]) + int(fields[12])) / TICKS, preempted)
    return threads


def trainer_pid():
    return next(pid for pid in filter(str.isdigit, os.listdir("/proc"))
                if os.path.exists(f"/proc/{pid}/comm") and open(f"/proc/{pid}/comm").read().strip().startswith("AspireSimClr.Tr"))


def thread_report(before, after, seconds):
    """The trainer's busiest threads (libtorch's training threads) and how often something else took their core."""
    used = sorted(((cpu - before[tid][1], preempted - before[tid][2], name, tid)
                   for tid, (name, cpu, preempted) in after.items() if tid in before), reverse=True)
    lines = ["trainer's busiest threads (the training threads): CPU, and how often another thread took their core:"]
    lines += [f"  {cpu / seconds:5.2f}  preempted {preempted / seconds:4.0f}/s  {tid} {name}" for cpu, preempted, name, tid in used[:2]]
    lines.append(f"  the trainer's other threads: {sum(c for c, *_ in used[2:]) / seconds:.2f} cores")
    return "\n".join(lines)


def cpu_report(before, after):
    seconds = after[0] - before[0]
    used = sorted(((cpu - before[1].get(pid, ("", "", 0.0))[2], pid, name, command) for pid, (name, command, cpu) in after[1].items()), reverse=True)
    lines = [f"CPU per process over {seconds:.0f} s of epochs 2.. ({os.cpu_count()} cores; 1.00 = one core busy):"]
    lines += [f"  {cpu / seconds:5.2f}  {pid:>7} {name:<16} {command}" for cpu, pid, name, command in used[:10] if cpu > 0]
    lines.append(f"  everything but the trainer: {sum(c for c, *_ in used[1:]) / seconds:.2f} cores")
    return "\n".join(lines)


def run(trainer, key, epochs, out):
    created = call(f"{trainer}/api/runs", key, {
        "name": "bench-app", "dataset": "cifar10", "model": "compact-cnn", "epochs": epochs, "batchSize": 256,
        "learningRate": 0.001, "warmupEpochs": 1, "knnEveryEpochs": 0, "linearProbe": False})
    run_id = created["id"]
    print(f"run {run_id} created; training {epochs} epochs", flush=True)
    points, since, start = [], 0, None
    while True:
        time.sleep(float(os.environ.get("POLL_SECONDS", "2")))
        batch = call(f"{trainer}/api/runs/{run_id}/metrics?since={since}")
        points += batch["points"]
        since = max([since] + [p["sequence"] for p in batch["points"]])
        if start is None and any(p["kind"] == "epoch" for p in points):
            start, threads_start = cpu_times(), thread_times(trainer_pid())
        state = call(f"{trainer}/api/runs/{run_id}")
        if state["status"] == "Completed":
            break
        if state["status"] in ("Failed", "Cancelled", "Interrupted"):
            sys.exit(f"run ended {state['status']}: {state.get('error')}")
    if start is not None:
        end = cpu_times()
        report = cpu_report(start, end) + "\n" + thread_report(threads_start, thread_times(trainer_pid()), end[0] - start[0])
        print(report)
        open(f"{out}.cpu.txt", "w").write(report + "\n")
    json.dump(state, open(f"{out}.run.json", "w"))
    json.dump(call(f"{trainer}/api/runs/{run_id}/metrics"), open(f"{out}.metrics.json", "w"))


def report(out, bench_paths):
    state, metrics = json.load(open(f"{out}.run.json")), json.load(open(f"{out}.metrics.json"))
    epochs = [p for p in metrics["points"] if p["kind"] == "epoch"]
    rt = state.get("runtime") or {}
    print(f"app run: {rt.get('deviceName')} {rt.get('precision')}{' channels-last' if rt.get('channelsLast') else ''} ({rt.get('reason')})")
    steps = [p for p in metrics["points"] if p["kind"] == "step"]
    for p in epochs:
        # The median step is what the step runs at undisturbed in that minute (the host's speed drifts
        # between minutes); the epoch over its median is what stalls cost, whatever the drift.
        median = statistics.median(s["imagesPerSecond"] for s in steps if s["epoch"] == p["epoch"])
        print(f"  epoch {p['epoch'] + 1}: {p['imagesPerSecond']:.0f} img/s, {p['durationSeconds']:.1f} s; median step {median:.0f} img/s, epoch / median step {p['imagesPerSecond'] / median:.3f}")
    steady = [p["imagesPerSecond"] for p in epochs[1:]] or [p["imagesPerSecond"] for p in epochs]
    app = sum(steady) / len(steady)
    benches = [json.load(open(path))["results"][0] for path in bench_paths]
    for label, b in zip(("before the app", "after the app"), benches):
        print(f"bench {label}: {b['precision']}{' channels-last' if b['channelsLast'] else ''}, {b['trainImagesPerSecond']:.0f} img/s")
    reference = sum(b["trainImagesPerSecond"] for b in benches) / len(benches)
    print(f"app / bench = {app:.0f} / {reference:.0f} = {app / reference:.3f} (epochs 2..{len(epochs)} of the app run; bench: mean of before and after)")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        report(sys.argv[2], sys.argv[3:])
