"""How much memory cat along channels and residual additions allocate (d2l ch. 7's GoogLeNet,
DenseNet and ResNet patterns), against the least any implementation needs.

    python -m benchmarks.copies

NumPy reports its allocations to tracemalloc, so the peak traced during forward + backward is
what tinygrad_edu allocated. The minimum for cat is its output (one copy of the inputs) plus
the output gradient; its backward hands out *views* of that gradient (np.split), no copies.
A residual add y = x + f(x) needs its output and the output gradient; its backward passes the
same gradient array on to both inputs (unbroadcast returns it unchanged when no broadcasting
happened), and only the final .grad of a leaf gets its own copy.
"""
from __future__ import annotations

import json
import sys
import tracemalloc

import numpy as np

import tinygrad_edu as tg


def _peak(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def cat_case(n: int, channels: list[int], side: int) -> dict:
    rng = np.random.default_rng(0)
    parts = [tg.tensor(rng.standard_normal((n, c, side, side), dtype=np.float32)) for c in channels]
    for p in parts:
        p.requires_grad_(True)
    out_bytes = n * sum(channels) * side * side * 4
    grad = np.ones((n, sum(channels), side, side), np.float32)

    def run() -> None:
        y = tg.cat(parts, 1)
        y.backward(grad)
    run()  # warm-up; the .grad arrays now exist and are accumulated into in place
    peak = _peak(run)
    return {"case": f"cat {channels} channels, batch {n}, {side}x{side}", "output_mb": out_bytes / 2**20,
            "peak_mb": peak / 2**20, "peak_over_output": peak / out_bytes}


def residual_case(n: int, c: int, side: int) -> dict:
    rng = np.random.default_rng(0)
    x = tg.tensor(rng.standard_normal((n, c, side, side), dtype=np.float32), requires_grad=True)
    f = tg.tensor(rng.standard_normal((n, c, side, side), dtype=np.float32), requires_grad=True)
    out_bytes = n * c * side * side * 4
    grad = np.ones((n, c, side, side), np.float32)

    def run() -> None:
        (x + f).backward(grad)
    run()
    peak = _peak(run)
    return {"case": f"residual x + f(x), batch {n}, {c} channels, {side}x{side}", "output_mb": out_bytes / 2**20,
            "peak_mb": peak / 2**20, "peak_over_output": peak / out_bytes}


def main() -> int:
    rows = [cat_case(64, [64, 128, 32, 32], 28),       # GoogLeNet's first Inception block at 28x28
            cat_case(64, [64, 32, 32, 32, 32], 14),     # a DenseNet block's growing concatenation
            residual_case(64, 64, 28), residual_case(64, 256, 7)]
    print("| case | output MB | peak allocated MB (fwd+bwd) | peak / output |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['output_mb']:.1f} | {r['peak_mb']:.1f} | {r['peak_over_output']:.2f} |")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
