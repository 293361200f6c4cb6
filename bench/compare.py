#!/usr/bin/env python3
"""mnistd against the peers a user would pick instead, measured in one run on this machine.

Measures, interleaved round by round so that background noise hits both sides alike, and reports medians:
  * training samples/s on MNIST: `mnistd bench --data mnist` (release binary; random minibatches of the training
    set, the first layer on its sparse path as a job runs it) and the same with `--dense` (every pixel through
    the gemm), vs PyTorch CPU (nn.Linear + ReLU, CrossEntropyLoss, plain SGD) on a fixed batch of the first 128
    MNIST images (its best case: no gather), batch 128, same thread count (torch.set_num_threads);
  * sgemm 128x784x512 GFLOP/s on one thread: `mnistd bench --gemm` vs numpy/OpenBLAS (OPENBLAS_NUM_THREADS=1);
  * CNN training samples/s on MNIST: `mnistd bench --preset lenet5` and `--preset pytorch_example` vs the same
    nn.Sequential in PyTorch (Conv2d/MaxPool2d/Dropout/Linear, SGD momentum 0.9), batch 128, same thread count;
  * sharing: two mnistd training jobs in one process vs one job, both allowed every core.
Usage: python3 bench/compare.py [--runs 5] [--seconds 2] [--threads 1,2] [--only mlp,cnn,sgemm,sharing]
                                [--no-build] [--data-dir DIR]
MNIST comes from --data-dir, else $MNISTD_DATA_DIR, else ../shared/mnist beside the repository.
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "mnistd")
ARCHS = ["784-100-100-100-100-10", "784-512-512-10"]
# Goals of issue 4: mnistd / PyTorch training ratio per architecture, and mnistd / numpy sgemm.
GOALS = {"784-100-100-100-100-10": 2.0, "784-512-512-10": 1.25, "sgemm": 0.8}
# The CNN presets and the goals of the convolution issue (mnistd / PyTorch training ratio).
PRESETS = ["lenet5", "pytorch_example"]
PRESET_GOALS = {"lenet5": 3.0, "pytorch_example": 1.3}

# The PyTorch side of every training benchmark: argv (what, batch, threads, seconds, data dir), the first `batch`
# MNIST training images as x (shaped by SHAPE), then MODEL, then timed SGD steps after a WARMUP.
TORCH_HEAD = r"""
import gzip, os, sys, time, numpy as np, torch
what, batch, threads, seconds, data = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def idx(name, offset):
    path = os.path.join(data, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if opener is gzip.open else path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
torch.set_num_threads(threads)
torch.manual_seed(0)
nn = torch.nn
"""

TORCH_TAIL = r"""
loss_fn = nn.CrossEntropyLoss()
images = idx("train-images-idx3-ubyte", 16).reshape(SHAPE)[:batch]
x = torch.from_numpy(images.astype(np.float32) / 255)
y = torch.from_numpy(idx("train-labels-idx1-ubyte", 8)[:batch].astype(np.int64))
def step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
def run(duration):
    start = time.perf_counter(); steps = 0
    while True:
        step(); steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= duration:
            return steps, elapsed
run(WARMUP)
steps, elapsed = run(seconds)
print(f"samples_per_second={steps * batch / elapsed:.0f}")
"""

TORCH_CNN = TORCH_HEAD + r"""
if what == "lenet5":
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                          nn.Linear(84, 10))
else:
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
                          nn.Linear(128, 10))
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
SHAPE, WARMUP = (-1, 1, 28, 28), min(0.5, seconds / 3)
""" + TORCH_TAIL

TORCH_TRAIN = TORCH_HEAD + r"""
widths = [int(w) for w in what.split("-")]
layers = []
for i in range(len(widths) - 1):
    layers.append(nn.Linear(widths[i], widths[i + 1]))
    if i < len(widths) - 2:
        layers.append(nn.ReLU())
model = nn.Sequential(*layers)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
SHAPE, WARMUP = (-1, 784), min(0.3, seconds / 4)
""" + TORCH_TAIL

NUMPY_GEMM = r"""
import sys, time, numpy as np
m, k, n, seconds = 128, 784, 512, float(sys.argv[1])
a = np.random.rand(m, k).astype(np.float32); b = np.random.rand(k, n).astype(np.float32)
c = np.empty((m, n), dtype=np.float32)
def run(duration):
    start = time.perf_counter(); calls = 0
    while True:
        np.matmul(a, b, out=c); calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= duration:
            return calls, elapsed
run(min(0.3, seconds / 4))
calls, elapsed = run(seconds)
print(f"gflops={2 * m * k * n * calls / elapsed / 1e9:.2f}")
"""


def value(output, key):
    match = re.search(rf"{key}=([0-9.]+)", output)
    if not match:
        raise RuntimeError(f"no {key}= in output:\n{output}")
    return float(match.group(1))


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def mnistd(*args, data_dir):
    return run([BINARY, "bench", "--data", "mnist", "--data-dir", data_dir, *args])


def measure(args):
    """{label: [samples]} for every quantity, interleaving the two sides within each round."""
    samples = {}
    seconds = str(args.seconds)

    def add(label, x):
        samples.setdefault(label, []).append(x)

    one_thread = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for round_index in range(args.runs):
        print(f"round {round_index + 1}/{args.runs}", file=sys.stderr, flush=True)
        for threads in args.threads if "mlp" in args.only else []:
            for arch in ARCHS:
                common = ("--arch", arch, "--batch", "128", "--threads", str(threads), "--seconds", seconds)
                add(("mnistd", arch, threads),
                    value(mnistd(*common, data_dir=args.data_dir), "samples_per_second"))
                add(("mnistd-dense", arch, threads),
                    value(mnistd(*common, "--dense", data_dir=args.data_dir), "samples_per_second"))
                add(("pytorch", arch, threads),
                    value(run([sys.executable, "-c", TORCH_TRAIN, arch, "128", str(threads), seconds, args.data_dir]),
                          "samples_per_second"))
        for threads in args.threads if "cnn" in args.only else []:
            for preset in PRESETS:
                add(("mnistd", preset, threads),
                    value(mnistd("--preset", preset, "--batch", "128", "--threads", str(threads), "--seconds", seconds,
                                 data_dir=args.data_dir), "samples_per_second"))
                add(("pytorch", preset, threads),
                    value(run([sys.executable, "-c", TORCH_CNN, preset, "128", str(threads), seconds, args.data_dir]),
                          "samples_per_second"))
        if "sgemm" in args.only:
            add(("mnistd", "sgemm", 1),
                value(mnistd("--gemm", "--threads", "1", "--seconds", seconds, data_dir=args.data_dir), "gflops"))
            add(("numpy", "sgemm", 1), value(run([sys.executable, "-c", NUMPY_GEMM, seconds], one_thread), "gflops"))
        if "sharing" in args.only:
            cores = max(args.threads)
            arch = ARCHS[0]
            add(("mnistd-1job", arch, cores),
                value(mnistd("--arch", arch, "--threads", str(cores), "--jobs", "1", "--seconds", seconds,
                             data_dir=args.data_dir), "samples_per_second"))
            add(("mnistd-2jobs", arch, cores),
                value(mnistd("--arch", arch, "--threads", str(cores), "--jobs", "2", "--seconds", seconds,
                             data_dir=args.data_dir), "samples_per_second"))
    return {label: statistics.median(xs) for label, xs in samples.items()}, samples


def report(medians, samples, args):
    lines = []
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines.append(f"date: {datetime.date.today()}  machine: {cpu}, {os.cpu_count()} cores, {platform.system()} "
                 f"{platform.machine()}  medians of {args.runs} runs of {args.seconds} s")
    lines.append("")
    lines.append("| benchmark | threads | mnistd | peer | peer | ratio | goal |")
    lines.append("|---|---|---|---|---|---|---|")
    verdicts = []
    for threads in args.threads if "mlp" in args.only else []:
        for arch in ARCHS:
            ours, theirs = medians[("mnistd", arch, threads)], medians[("pytorch", arch, threads)]
            ratio = ours / theirs
            verdicts.append(ratio >= GOALS[arch])
            lines.append(f"| train {arch} batch 128 (samples/s) | {threads} | {ours:,.0f} | PyTorch | "
                         f"{theirs:,.0f} | {ratio:.2f}x | >= {GOALS[arch]}x |")
            dense = medians[("mnistd-dense", arch, threads)]
            lines.append(f"| the same, --dense (no sparse first layer) | {threads} | {dense:,.0f} | PyTorch | "
                         f"{theirs:,.0f} | {dense / theirs:.2f}x | (reference) |")
    for threads in args.threads if "cnn" in args.only else []:
        for preset in PRESETS:
            ours, theirs = medians[("mnistd", preset, threads)], medians[("pytorch", preset, threads)]
            verdicts.append(ours / theirs >= PRESET_GOALS[preset])
            lines.append(f"| train {preset} batch 128 (samples/s) | {threads} | {ours:,.0f} | PyTorch | "
                         f"{theirs:,.0f} | {ours / theirs:.2f}x | >= {PRESET_GOALS[preset]}x |")
    if "sgemm" in args.only:
        ours, theirs = medians[("mnistd", "sgemm", 1)], medians[("numpy", "sgemm", 1)]
        verdicts.append(ours / theirs >= GOALS["sgemm"])
        lines.append(f"| sgemm 128x784x512 (GFLOP/s) | 1 | {ours:.1f} | numpy/OpenBLAS | {theirs:.1f} | "
                     f"{ours / theirs:.2f}x | >= {GOALS['sgemm']}x |")
    if "sharing" in args.only:
        cores = max(args.threads)
        one, two = medians[("mnistd-1job", ARCHS[0], cores)], medians[("mnistd-2jobs", ARCHS[0], cores)]
        verdicts.append(two / one >= 0.9)
        lines.append(f"| 2 jobs at once vs 1 job, {ARCHS[0]} (samples/s) | {cores} | {two:,.0f} | 1 job | "
                     f"{one:,.0f} | {two / one:.2f}x | >= 0.9x |")
    lines.append("")
    lines.append(f"goals met: {sum(verdicts)}/{len(verdicts)}")
    print("\n".join(lines))
    if args.raw:
        for label, xs in sorted(samples.items()):
            print(label, [round(x, 1) for x in xs])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--no-build", action="store_true", help="use the existing release binary")
    parser.add_argument("--no-sharing", dest="sharing", action="store_false", help="skip the two-jobs measurement")
    parser.add_argument("--only", default="mlp,cnn,sgemm,sharing",
                        help="comma-separated subset of mlp, cnn, sgemm, sharing")
    parser.add_argument("--raw", action="store_true", help="also print every sample")
    parser.add_argument("--data-dir", default=os.environ.get("MNISTD_DATA_DIR",
                                                             os.path.join(os.path.dirname(ROOT), "shared", "mnist")))
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz")) and \
            not os.path.exists(os.path.join(args.data_dir, "train-images-idx3-ubyte")):
        sys.exit(f"no MNIST in {args.data_dir}: pass --data-dir, or run `mnistd fetch-data --data-dir DIR`")
    args.threads = [int(t) for t in args.threads.split(",")]
    args.only = set(args.only.split(","))
    if not args.sharing:
        args.only.discard("sharing")
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "mnistd"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    medians, samples = measure(args)
    report(medians, samples, args)


if __name__ == "__main__":
    main()
