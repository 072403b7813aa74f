"""python -m benchmarks: time tinygrad_edu against PyTorch per op, per tiny-op overhead and per
training epoch; write results.json, results.md and PNG plots.

    python -m benchmarks                      # everything (about 10 minutes on 2 cores)
    python -m benchmarks --quick              # fewer sizes and repeats, short epochs
    python -m benchmarks --ops matmul conv2d_lenet1 --no-training
    python -m benchmarks --models mlp lenet --no-ops --no-overhead
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from . import machine, ops, report
from .epoch import LANGUAGE

MODELS = ["softmax_regression", "mlp", "lenet", "lenet_relu", "lenet_bn", "rnn_scratch", "rnn", "gru", "lstm"]
EXTRA_MODELS = ["resnet18"]  # by --models only: ResNet-18 at 28x28 is timed over 10 steps of batch 64, not an epoch
STEPS = {"resnet18": 10}
BATCH = {"resnet18": 64}  # ResNet-18's row: one training step at 28x28, batch 64


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int) -> None:
        self.total, self.done = max(total, 1), 0

    def step(self, label: str) -> None:
        self.done += 1
        filled = int(30 * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {label:<40}")
        sys.stderr.flush()
        if self.done == self.total:
            sys.stderr.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--ops", nargs="+", default=[o.name for o in ops.OPS] + ["sgd_step"],
                        choices=[o.name for o in ops.OPS] + ["sgd_step"])
    parser.add_argument("--models", nargs="+", default=MODELS, choices=MODELS + EXTRA_MODELS)
    parser.add_argument("--sizes", type=int, nargs="+", help="override the size sweep of every op")
    parser.add_argument("--devices", nargs="+", default=["cpu", "cuda"], choices=["cpu", "cuda"],
                        help="torch devices (cuda is skipped when not available)")
    parser.add_argument("--quick", action="store_true", help="fewer sizes, 3 repeats, 40-step epochs")
    parser.add_argument("--repeats", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the training rows this many times, interleaved (ratios: median of the rounds)")
    parser.add_argument("--no-ops", action="store_true")
    parser.add_argument("--no-overhead", action="store_true")
    parser.add_argument("--no-training", action="store_true")
    parser.add_argument("--out", default="benchmarks/results")
    parser.add_argument("--no-plots", action="store_true")
    args = parser.parse_args(argv)

    import gc

    import torch
    # torch's import leaves ~180k Python objects; every full collection of the cyclic GC then walks
    # them all, which raised tinygrad_edu's per-op overhead from 10 to 17 us (its graph is made of
    # Python objects; torch's is not). Freeze what the imports made, for both backends alike.
    gc.collect()
    gc.freeze()
    threads = machine.blas_threads()
    torch.set_num_threads(threads)
    devices = ["cpu"]
    if "cuda" in args.devices:
        if torch.cuda.is_available():
            devices.append("cuda")
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
        else:
            print("CUDA: not available (torch.cuda.is_available() is False); timing torch on the CPU only")
    repeats = args.repeats or (3 if args.quick else 7)
    results: dict = {"machine": machine.describe(threads), "command": "python -m benchmarks " + " ".join(argv or sys.argv[1:]),
                     "date": datetime.date.today().isoformat(), "size_labels": {}, "ops": [], "training": []}
    print(f"threads: NumPy BLAS {threads}, torch {torch.get_num_threads()}; repeats {repeats}")

    jobs = []
    if not args.no_ops:
        for name in args.ops:
            if name == "sgd_step":
                sizes, label = (ops.SGD_QUICK if args.quick else ops.SGD_SIZES), "parameter elements"
            else:
                spec = next(o for o in ops.OPS if o.name == name)
                sizes, label = (spec.quick_sizes if args.quick else spec.sizes), spec.size_label
            results["size_labels"][name] = label
            for size in args.sizes or sizes:
                for backend, device in [("tinygrad_edu", "cpu")] + [("torch", d) for d in devices]:
                    jobs.append(("op", name, size, backend, device))
    # Every tinygrad_edu timing runs before the first torch op: after a parallel op torch's OpenMP
    # workers keep spinning for a while and take the cores from NumPy's BLAS (measured: LeNet's conv1
    # forward 14 ms right after torch ops, 3.7 ms alone). Pairs still come from the same process.
    jobs.sort(key=lambda job: job[3] != "tinygrad_edu")
    if not args.no_overhead:
        first_torch = next((i for i, job in enumerate(jobs) if job[3] != "tinygrad_edu"), len(jobs))
        jobs.insert(first_torch, ("overhead",))
    if not args.no_training:
        for round_ in range(args.rounds):
            for model in args.models:
                for backend, device in [("numpy", "cpu")] + [("torch", d) for d in devices]:
                    jobs.append(("train", model, backend, device, round_))

    progress = Progress(len(jobs))
    for job in jobs:
        if job[0] == "op":
            _, name, size, backend, device = job
            results["ops"].append(ops.bench_op(name, size, backend, device, repeats))
            progress.step(f"{name} {size} {backend} {device}")
        elif job[0] == "overhead":
            from .timing import measure
            t_ours = measure(ops.overhead_calls("tinygrad_edu"), repeats=repeats, min_run_s=0.1)
            t_torch = measure(ops.overhead_calls("torch"), repeats=repeats, min_run_s=0.1)
            results["overhead"] = {"tinygrad_edu_us_per_op": t_ours.median / 1000 * 1e6,
                                   "torch_us_per_op": t_torch.median / 1000 * 1e6,
                                   "ratio": t_ours.median / t_torch.median}
            progress.step("overhead")
        else:
            _, model, backend, device, round_ = job
            cmd = [sys.executable, "-m", "benchmarks.epoch", "--model", model, "--backend", backend,
                   "--device", device, "--threads", str(threads),
                   "--epochs", "1" if args.quick else ("10" if model in LANGUAGE else "3")]  # ch. 8 epochs: 8 batches
            if model in STEPS:
                cmd += ["--steps", str(STEPS[model])]
            if model in BATCH:
                cmd += ["--batch-size", str(BATCH[model])]
            elif args.quick:
                cmd += ["--steps", "40"]
            proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
            if proc.returncode != 0:
                print(f"\ntraining benchmark failed: {' '.join(cmd)}\n{proc.stderr}", file=sys.stderr)
                return 1
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["backend"] = "tinygrad_edu" if backend == "numpy" else "torch"
            row["round"] = round_
            results["training"].append(row)
            progress.step(f"epoch {model} {backend} {device}" + (f" (round {round_ + 1})" if args.rounds > 1 else ""))

    out = Path(args.out)
    if args.no_plots:
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.json").write_text(json.dumps(results, indent=1))
        (out / "results.md").write_text(report.markdown(results))
        written = [out / "results.json", out / "results.md"]
    else:
        written = report.write(results, out)
    print(report.markdown(results))
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
