"""d2l 3.2: linear regression from scratch, on tinygrad_edu and on PyTorch side by side.

The training code below is written once and run with either library as ``lib``: tinygrad_edu
follows torch's API, so d2l's code ports by changing the import. Both runs start from the same
initial weights and see the same minibatches, so their loss curves should agree to float32
rounding.

    python examples/01_linear_regression.py                 # tinygrad_edu
    python examples/01_linear_regression.py --compare       # both backends, compared
    python examples/01_linear_regression.py --backend torch --device cuda
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import tinygrad_edu  # noqa: F401  first, before NumPy: it lets both cores work (tinygrad_edu/parallel.py)
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


TRUE_W = np.array([2.0, -3.4])
TRUE_B = 4.2


def synthetic_data(w: np.ndarray, b: float, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """d2l's synthetic_data: y = Xw + b + noise, noise ~ N(0, 0.01^2)."""
    X = rng.normal(0, 1, (n, len(w)))
    y = X @ w + b + rng.normal(0, 0.01, n)
    return X.astype(np.float32), y.reshape(-1, 1).astype(np.float32)


def linreg(X: Any, w: Any, b: Any) -> Any:
    """The linear regression model."""
    return X @ w + b


def squared_loss(y_hat: Any, y: Any) -> Any:
    """Squared loss, halved as in d2l."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[Any], lr: float, batch_size: int, lib: ModuleType) -> None:
    """Minibatch stochastic gradient descent, exactly as d2l writes it."""
    with lib.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train(lib: ModuleType, X: np.ndarray, y: np.ndarray, w0: np.ndarray, batches: list[np.ndarray],
          epochs: int, lr: float, device: str = "cpu") -> dict[str, Any]:
    """Train with library ``lib`` (tinygrad_edu or torch) from initial weights ``w0``, b = 0."""
    kw = {"device": device} if lib.__name__ == "torch" else {}
    w = lib.tensor(w0.copy(), requires_grad=True, **kw)
    b = lib.zeros(1, requires_grad=True, **kw)
    features, labels = lib.tensor(X, **kw), lib.tensor(y, **kw)
    losses = []
    start = time.perf_counter()
    for epoch in range(epochs):
        for idx in batches[epoch]:
            l = squared_loss(linreg(features[idx], w, b), labels[idx])
            l.sum().backward()
            sgd([w, b], lr, len(idx), lib)
        with lib.no_grad():
            losses.append(float(squared_loss(linreg(features, w, b), labels).mean()))
    seconds = time.perf_counter() - start
    return {"losses": losses, "w": w.detach().cpu().numpy().ravel(), "b": float(b.detach().cpu().numpy()[0]),
            "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["numpy", "torch"], default="numpy")
    parser.add_argument("--compare", action="store_true", help="both backends from identical weights and batches")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="torch's device")
    parser.add_argument("--steps", type=int, default=0, help="at most this many batches per epoch")
    parser.add_argument("--plot", default="out/linear_regression.png", help="PNG of the loss curves")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=1000)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    X, y = synthetic_data(TRUE_W, TRUE_B, args.examples, rng)
    w0 = rng.normal(0, 0.01, (2, 1)).astype(np.float32)
    batches = []  # the same shuffled minibatches for both backends
    for _ in range(args.epochs):
        order = rng.permutation(args.examples)
        epoch = [order[i:i + args.batch_size] for i in range(0, args.examples, args.batch_size)]
        batches.append(epoch[:args.steps] if args.steps else epoch)

    libs: dict[str, ModuleType] = {}
    if args.backend == "numpy" or args.compare:
        libs["tinygrad_edu"] = tinygrad_edu
    if args.backend == "torch" or args.compare:
        try:
            import torch
        except ImportError:
            print("torch is not installed: running tinygrad_edu only (pip install -e '.[reference]')")
        else:
            torch.set_num_threads(max(1, torch.get_num_threads()))
            libs["torch"] = torch

    print(f"d2l linear regression: {args.examples} synthetic examples, true w = {TRUE_W.tolist()}, "
          f"b = {TRUE_B}; batch {args.batch_size}, lr {args.lr}, {args.epochs} epochs, seed {args.seed}")
    results = {name: train(lib, X, y, w0, batches, args.epochs, args.lr, args.device) for name, lib in libs.items()}

    names = list(results)
    header = "epoch " + "".join(f"{n + ' loss':>20}" for n in names)
    if len(names) == 2:
        header += f"{'|difference|':>16}"
    print(header)
    for e in range(args.epochs):
        row = f"{e + 1:5d} " + "".join(f"{results[n]['losses'][e]:20.8f}" for n in names)
        if len(names) == 2:
            row += f"{abs(results[names[0]]['losses'][e] - results[names[1]]['losses'][e]):16.2e}"
        print(row)
    for n in names:
        r = results[n]
        print(f"{n:>12}: error in w = {(TRUE_W - r['w']).tolist()}, error in b = {TRUE_B - r['b']:.6f}, "
              f"{r['seconds']:.3f} s")
    if len(names) == 2:
        dw = np.abs(results[names[0]]["w"] - results[names[1]]["w"]).max()
        print(f"largest difference between the backends' final weights: {dw:.2e}")
    save_plot(results, args.plot)
    print(f"loss curves: {args.plot}")
    return 0


def save_plot(results: dict[str, dict[str, Any]], path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, r in results.items():
        ax.semilogy(range(1, len(r["losses"]) + 1), r["losses"], "-o" if name == "tinygrad_edu" else "--s", label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared loss / 2")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
