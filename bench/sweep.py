#!/usr/bin/env python3
"""A 27-run sweep through the service, with and without successive halving: wall time from POST to the last
run's end, the best run's validation loss and test accuracy, and how many iterations all runs trained.

The grid: learning_rate {0.002, 0.02, 0.2} × momentum {0, 0.6, 0.9} × init {he, xavier, normal} on a
784-128-10 MLP (2 epochs, batch 128, validation_split 0.1, momentum SGD), every run on the same batches.
With halving: reduction 3, the default rungs (⌊log3 27⌋ − 1 = 2, at 1/9 and 1/3 of each run), metric
validation_loss. Starts `mnistd serve` on a free 127.0.0.1 port with a throwaway state dir; the two sweeps
run one after the other in the same server, so both see the same machine.
Usage: python3 bench/sweep.py [--bin .build/release/mnistd] [--workers 1] [--data-dir DIR]
"""
import argparse, json, os, re, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = {"model": {"hidden": [128]},
        "training": {"epochs": 2, "batch_size": 128, "validation_split": 0.1, "optimizer": "momentum"}}
GRID = {"training.learning_rate": [0.002, 0.02, 0.2], "training.momentum": [0, 0.6, 0.9],
        "model.init": ["he", "xavier", "normal"]}


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def sweep(url, name, scheduler):
    body = {"name": name, "base": BASE, "grid": GRID}
    if scheduler:
        body["scheduler"] = scheduler
    start = time.perf_counter()
    created = call(url + "/experiments/sweep", "POST", body)
    while True:
        experiment = call(url + "/experiments/" + created["id"])
        if experiment["state"] not in ("queued", "running"):
            break
        time.sleep(0.2)
    wall = time.perf_counter() - start
    runs = experiment["jobs"]
    trained = sum(run["progress"]["iteration"] for run in runs)
    full = sum(run["progress"]["iterations"] for run in runs)
    done = [run for run in runs if run["state"] == "succeeded"]
    best = min(done, key=lambda run: run["metrics"]["validation_loss"])
    return dict(name=name, wall=wall, trained=trained, full=full, finished=len(done),
                culled=sum(1 for run in runs if (run["successive_halving"] or {}).get("status") == "culled"),
                validation_loss=best["metrics"]["validation_loss"], test_accuracy=best["metrics"]["test_accuracy"],
                params=best["params"], best_test=max(run["metrics"]["test_accuracy"] for run in done))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "mnistd"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data-dir", default=os.environ.get("MNISTD_DATA_DIR", os.path.join(ROOT, "..", "shared", "mnist")))
    args = parser.parse_args()
    state = tempfile.mkdtemp()
    server = subprocess.Popen([args.bin, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", args.data_dir,
                               "--state-dir", state, "--workers", str(args.workers), "--queue-capacity", "64"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in server.stdout:
            match = re.match(r"listening on (http://\S+)", line)
            if match:
                url = match.group(1)
                break
        while True:
            try:
                if call(url + "/healthz")["status"] == "ok":
                    break
            except Exception:
                pass
            time.sleep(0.2)
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
        print(f"cpu: {cpu}, {os.cpu_count()} cores, workers {args.workers}")
        results = [sweep(url, "full", None),
                   sweep(url, "halving", {"type": "successive_halving", "metric": "validation_loss", "reduction": 3})]
        print("| sweep | wall s | iterations trained | runs finished / culled | best validation loss | its test accuracy | best params |")
        print("|---|---|---|---|---|---|---|")
        for r in results:
            print(f"| {r['name']} | {r['wall']:.1f} | {r['trained']} of {r['full']} | {r['finished']} / {r['culled']} | "
                  f"{r['validation_loss']:.4f} | {r['test_accuracy'] * 100:.2f}% | {json.dumps(r['params'])} |")
        full, halving = results
        print(f"halving: {halving['wall'] / full['wall']:.2f}× the wall time, {halving['trained'] / full['trained']:.2f}× the iterations")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
