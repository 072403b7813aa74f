"""Forward+backward time of conv2d and 2x2 pooling at LeNet shapes, tinygrad_edu vs torch (CPU).

    python -m benchmarks.conv_pool [--repeats 15]

Both sides get the same float32 arrays and the same upstream gradient; torch uses as many
threads as NumPy's BLAS (torch.set_num_threads). Each timing is the median of ``repeats`` runs
after 3 warm-up runs; the ratio is ours / torch from the same process.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import Any, Callable

import numpy as np
import torch

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F

CASES: dict[str, dict[str, Any]] = {
    "conv2d 256x1x28x28 k5 p2 -> 6 (no input grad)": dict(op="conv", x=(256, 1, 28, 28), w=(6, 1, 5, 5), padding=2, x_grad=False),
    "conv2d 256x1x28x28 k5 p2 -> 6 (with input grad)": dict(op="conv", x=(256, 1, 28, 28), w=(6, 1, 5, 5), padding=2, x_grad=True),
    "conv2d 256x6x14x14 k5 -> 16": dict(op="conv", x=(256, 6, 14, 14), w=(16, 6, 5, 5), padding=0, x_grad=True),
    "max_pool2d 2x2 on 256x6x28x28": dict(op="max_pool", x=(256, 6, 28, 28)),
    "avg_pool2d 2x2 on 256x6x28x28": dict(op="avg_pool", x=(256, 6, 28, 28)),
}


def median_time(fn: Callable[[], None], repeats: int) -> tuple[float, float, float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def make_runner(lib: str, case: dict[str, Any], rng: np.random.Generator) -> Callable[[], None]:
    x = rng.standard_normal(case["x"]).astype(np.float32)
    w = rng.standard_normal(case.get("w", (1,))).astype(np.float32) * 0.1
    b = rng.standard_normal(case.get("w", (1,))[0]).astype(np.float32)
    if lib == "tinygrad_edu":
        mod, fn = tg, F
        X = tg.tensor(x, requires_grad=case.get("x_grad", True))
        W, B = tg.tensor(w, requires_grad=True), tg.tensor(b, requires_grad=True)
    else:
        mod, fn = torch, torch.nn.functional
        X = torch.tensor(x, requires_grad=case.get("x_grad", True))
        W, B = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
    if case["op"] == "conv":
        forward = lambda: fn.conv2d(X, W, B, padding=case["padding"])  # noqa: E731
    elif case["op"] == "max_pool":
        forward = lambda: fn.max_pool2d(X, 2)  # noqa: E731
    else:
        forward = lambda: fn.avg_pool2d(X, 2)  # noqa: E731
    out_shape = tuple(forward().shape)
    g = rng.standard_normal(out_shape).astype(np.float32)
    G = tg.tensor(g) if lib == "tinygrad_edu" else torch.tensor(g)

    def step() -> None:
        for t in (X, W, B):
            t.grad = None
        forward().backward(G)

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))
    torch.set_num_threads(threads)
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), numpy {np.__version__}; median of {args.repeats} (min-max), ms")
    print(f"| case | tinygrad_edu fwd+bwd | torch fwd+bwd | ratio |")
    print("|---|---|---|---|")
    for name, case in CASES.items():
        rng = np.random.default_rng(0)
        ours = median_time(make_runner("tinygrad_edu", case, rng), args.repeats)
        theirs = median_time(make_runner("torch", case, rng), args.repeats)
        fmt = lambda t: f"{t[0] * 1e3:.2f} ({t[1] * 1e3:.2f}-{t[2] * 1e3:.2f})"  # noqa: E731
        print(f"| {name} | {fmt(ours)} | {fmt(theirs)} | {ours[0] / theirs[0]:.2f} |")


if __name__ == "__main__":
    main()
