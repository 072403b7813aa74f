"""How close can NumPy's BLAS come to torch? The matrix products alone, against torch's whole op.

    python -m benchmarks.floors [--repeats 7]

A convolution by im2col does three matrix products per forward+backward (Y = W cols,
dW = dY cols^T, dcols = W^T dY) plus the column copy, col2im and layout copies. This times the
three products alone, at the shapes of the benchmark suite's conv rows, on operands already laid
out as conv2d lays them out, and torch's whole F.conv2d forward+backward at the same shapes in
the same process (NumPy first: torch's OpenMP workers keep spinning after a parallel op and take
the cores from OpenBLAS). ``products / torch`` is a lower bound on conv2d's ratio for any
im2col implementation that calls NumPy's BLAS, before a single byte is copied.

The last row does the same for d2l's MLP (784-256-10, batch 256): the five products of one SGD
step (two forward, three backward: the first layer needs no input gradient) against torch's
whole training step (forward, cross-entropy, backward, SGD update) on the same batch.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .machine import blas_threads, describe
from .timing import measure

# (name, batch, in channels, out channels, side, kernel, padding): the suite's conv rows
SHAPES = [("conv2d_resnet 28", 64, 64, 64, 28, 3, 1), ("conv2d_resnet 14", 64, 128, 128, 14, 3, 1),
          ("conv2d_resnet 7", 64, 256, 256, 7, 3, 1), ("conv2d_lenet1 256", 256, 1, 6, 28, 5, 2),
          ("conv2d_lenet2 256", 256, 6, 16, 14, 5, 0)]


def products(n: int, c: int, f: int, side: int, k: int, pad: int, repeats: int) -> dict[str, float]:
    """Median seconds of each of the three products, operands in conv2d's layout (M = Ho*Wo*N)."""
    from tinygrad_edu.ops.conv import weight_grad
    rng = np.random.default_rng(0)
    out = side + 2 * pad - k + 1
    m = out * out * n
    cols = rng.standard_normal((c * k * k, m), dtype=np.float32)
    w = rng.standard_normal((f, c * k * k), dtype=np.float32)
    g = rng.standard_normal((f, m), dtype=np.float32)
    times = {"forward W@cols": measure(lambda: w @ cols, repeats).median,
             "weight dY@cols^T": measure(lambda: weight_grad(g[None], cols[None], (f, c, k, k)), repeats).median}
    if c > 1:  # LeNet's first layer needs no input gradient (its input is the data)
        times["input W^T@dY"] = measure(lambda: w.T @ g, repeats).median
    return times


def mlp_products(batch: int, repeats: int) -> dict[str, float]:
    """Median seconds of each product of one MLP (784-256-10) training step."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 784), dtype=np.float32)
    w1, w2 = rng.standard_normal((256, 784), dtype=np.float32), rng.standard_normal((10, 256), dtype=np.float32)
    h, g2 = rng.standard_normal((batch, 256), dtype=np.float32), rng.standard_normal((batch, 10), dtype=np.float32)
    g1 = rng.standard_normal((batch, 256), dtype=np.float32)
    return {"x@W1^T": measure(lambda: x @ w1.T, repeats).median, "h@W2^T": measure(lambda: h @ w2.T, repeats).median,
            "dW2": measure(lambda: g2.T @ h, repeats).median, "dh": measure(lambda: g2 @ w2, repeats).median,
            "dW1": measure(lambda: g1.T @ x, repeats).median}


def torch_mlp_step(batch: int, repeats: int) -> float:
    import torch
    rng = np.random.default_rng(0)
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.tensor(rng.standard_normal((batch, 1, 28, 28), dtype=np.float32))
    y = torch.tensor(rng.integers(0, 10, batch))

    def step() -> None:
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    return measure(step, repeats).median


def torch_conv(n: int, c: int, f: int, side: int, k: int, pad: int, repeats: int) -> float:
    import torch
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((n, c, side, side), dtype=np.float32), requires_grad=c > 1)
    w = torch.tensor(rng.standard_normal((f, c, k, k), dtype=np.float32), requires_grad=True)
    b = torch.zeros(f, requires_grad=True)
    out = side + 2 * pad - k + 1
    g = torch.tensor(rng.standard_normal((n, f, out, out), dtype=np.float32))

    def step() -> None:
        y = torch.nn.functional.conv2d(x, w, b, padding=pad)
        y.backward(g)
        w.grad = b.grad = x.grad = None
    return measure(step, repeats).median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    threads = blas_threads()
    ours = {name: products(*shape, repeats=args.repeats) for name, *shape in SHAPES}  # all NumPy first
    ours["mlp step 256"] = mlp_products(256, args.repeats)
    import torch
    torch.set_num_threads(threads)
    m = describe(threads)
    rows = []
    for name, *shape in SHAPES + [("mlp step 256",)]:
        t = torch_conv(*shape, repeats=args.repeats) if shape else torch_mlp_step(256, args.repeats)
        total = sum(ours[name].values())
        rows.append({"shape": name, "products_ms": {k: v * 1e3 for k, v in ours[name].items()},
                     "products_total_ms": total * 1e3, "torch_ms": t * 1e3, "floor_ratio": total / t})
    print(f"Machine: {m['cpu']}, {m['cores']} cores; NumPy {m['numpy']} ({m['numpy_blas']}, {threads} threads); "
          f"torch {m['torch']} ({m['torch_threads']} threads). Command: `python -m benchmarks.floors`.")
    print("| case | products (ms) | sum of products ms | torch's whole conv2d fwd+bwd (MLP: training step) ms "
          "| products / torch |")
    print("|---|---|---|---|---|")
    for r in rows:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in r["products_ms"].items())
        print(f"| {r['shape']} | {parts} | {r['products_total_ms']:.2f} | {r['torch_ms']:.2f} | "
              f"{r['floor_ratio']:.2f} |")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
