"""d2l 4.4: softmax regression from scratch, with d2l's hand-written softmax, cross-entropy and sgd.

The chapter's softmax, exp(X) / sum(exp(X)), is the *naive* one, kept here for teaching: it
overflows once a logit passes ~88 in float32 (e^89 > 3.4e38), and the chapter's cross-entropy
-log(y_hat[range(n), y]) then gives nan or inf. The script shows that next to the library's
stable versions (tinygrad_edu.nn.functional.softmax / cross_entropy), then trains with the
hand-written functions, on tinygrad_edu or torch (the same code, `lib` is the only difference).

    python examples/02_softmax_regression_scratch.py [--backend numpy|torch] [--compare] [--epochs 10] ...
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

from tinygrad_edu import experiment  # noqa: E402
from tinygrad_edu.data import DataLoader, load_fashion_mnist  # noqa: E402

NUM_INPUTS, NUM_OUTPUTS = 784, 10


# --- the chapter's functions, unchanged except for `lib` ----------------------------------------
def softmax(X: Any) -> Any:
    """NAIVE softmax, as d2l writes it for teaching: overflows for logits above ~88 (float32)."""
    X_exp = X.exp()
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def net(X: Any, W: Any, b: Any) -> Any:
    return softmax(X.reshape((-1, W.shape[0])) @ W + b)


def cross_entropy(y_hat: Any, y: Any) -> Any:
    """NAIVE cross-entropy: -log of the probability picked for the true class."""
    return -(y_hat[list(range(len(y_hat))), y]).log()


def sgd(params: list[Any], lr: float, batch_size: int, lib: ModuleType) -> None:
    with lib.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def overflow_demo() -> None:
    """What d2l's exercise asks: logits of 100 break the naive softmax, not the library's."""
    F = tinygrad_edu.nn.functional
    logits = tinygrad_edu.tensor([[100.0, 0.0, -100.0], [1.0, 2.0, 3.0]])
    y = tinygrad_edu.tensor([0, 2])
    print("logits:", logits.tolist())
    print("  naive softmax       :", softmax(logits).tolist())
    print("  library softmax     :", F.softmax(logits, 1).tolist())
    print("  naive cross-entropy :", cross_entropy(softmax(logits), y).tolist())
    print("  library cross_entropy (reduction='none'):", F.cross_entropy(logits, y, reduction="none").tolist())


def train(lib: ModuleType, W0: np.ndarray, data: Any, batches: list[list[np.ndarray]], lr: float,
          steps: int, progress: bool) -> experiment.History:
    W = lib.tensor(W0.copy(), requires_grad=True)
    b = lib.zeros(NUM_OUTPUTS, requires_grad=True)
    X, y = data.arrays("train")
    Xt, yt = data.arrays("test")
    history = experiment.History("numpy" if lib is tinygrad_edu else "torch")
    for epoch, epoch_batches in enumerate(batches, 1):
        bar = experiment.ProgressBar(len(epoch_batches), f"epoch {epoch} {history.backend:>5}") if progress else None
        loss_sum = correct = 0.0
        t0 = time.perf_counter()
        for idx in epoch_batches:
            Xb, yb = lib.tensor(X[idx]), lib.tensor(y[idx])
            y_hat = net(Xb, W, b)
            loss = cross_entropy(y_hat, yb)
            loss.sum().backward()
            sgd([W, b], lr, len(idx), lib)
            loss_sum += float(loss.sum().detach())
            correct += float((y_hat.argmax(1) == yb).sum())
            if bar:
                bar.update()
        history.seconds.append(time.perf_counter() - t0)
        n = sum(len(i) for i in epoch_batches)
        history.train_loss.append(loss_sum / n)
        history.train_acc.append(correct / n)
        with lib.no_grad():
            history.test_acc.append(float((net(lib.tensor(Xt), W, b).argmax(1) == lib.tensor(yt)).float().mean()))
    return history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="numpy", choices=["numpy", "torch"])
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--device", default="cpu", choices=["cpu"], help="this from-scratch example runs on CPU")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=None)
    parser.add_argument("--steps", type=int, default=0)
    parser.add_argument("--plot", default="out/softmax_regression_scratch.png")
    parser.add_argument("--no-progress", action="store_true")
    a = parser.parse_args(argv)

    overflow_demo()
    data = load_fashion_mnist(a.data)
    print(f"data: {data.describe()}")
    rng = np.random.default_rng(a.seed)
    W0 = rng.normal(0, 0.01, (NUM_INPUTS, NUM_OUTPUTS)).astype(np.float32)
    loader = DataLoader(*data.arrays("train"), batch_size=a.batch_size, shuffle=True, seed=a.seed, as_tensors=False)
    batches = [loader.batch_indices()[:a.steps or None] for _ in range(a.epochs)]
    backends = ["numpy", "torch"] if a.compare else [a.backend]
    histories = {b: train(experiment.backend_module(b), W0, data, batches, a.lr, a.steps, not a.no_progress)
                 for b in backends}
    print(experiment.epoch_table(histories))
    if a.compare:
        print(experiment.comparison_summary(histories))
    Path(a.plot).parent.mkdir(parents=True, exist_ok=True)
    experiment.save_curves(histories, a.plot, "softmax regression from scratch")
    print(f"curves: {a.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
