"""Where a training step's time goes, op by op: every Function's forward and backward timed inside
real steps of a d2l model, and the backward calls whose incoming gradient lies in memory in
another order than the op's output (each elementwise use of such a gradient reads it across
strides; that is how the pooling ops' slow backward after a flatten was found).

    python -m benchmarks.opsplit lenet [--batch 256] [--steps 40]

Prints milliseconds per step, summed per op class. The timers wrap each op's forward and
backward, so "outside ops" is autograd's own bookkeeping, the optimizer and the data slicing.
"""
from __future__ import annotations

import argparse
import collections
import gc
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import autograd, training
from tinygrad_edu.data import load_fashion_mnist
from tinygrad_edu.models import build
from tinygrad_edu.ops.conv import memory_order

from .epoch import LR, SIZED


def _functions() -> list[type]:
    """Every Function subclass, however deep."""
    found: list[type] = []
    stack = list(autograd.Function.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found


def instrument(seconds: dict, mismatched: dict) -> Callable[[], None]:
    """Wrap every op's forward and backward with timers; returns the function that unwraps them."""
    originals = []

    def wrap(cls: type) -> None:
        forward, backward = cls.__dict__.get("forward"), cls.__dict__.get("backward")
        if not isinstance(forward, staticmethod) or not isinstance(backward, staticmethod):
            return
        f, b = forward.__func__, backward.__func__

        def timed_forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            out = f(ctx, *args, **kwargs)
            seconds[(cls.__name__, "forward")] += time.perf_counter() - start
            ctx._opsplit_order = memory_order(out) if isinstance(out, np.ndarray) and out.ndim > 1 else None
            return out

        def timed_backward(ctx: Any, grad: Any) -> Any:
            start = time.perf_counter()
            out = b(ctx, grad)
            spent = time.perf_counter() - start
            seconds[(cls.__name__, "backward")] += spent
            order = getattr(ctx, "_opsplit_order", None)
            if order is not None and isinstance(grad, np.ndarray) and memory_order(grad) != order:
                mismatched[(cls.__name__, grad.shape, memory_order(grad), order)] += spent
            return out

        originals.append((cls, forward, backward))
        cls.forward, cls.backward = staticmethod(timed_forward), staticmethod(timed_backward)

    for cls in _functions():
        wrap(cls)

    def undo() -> None:
        for cls, forward, backward in originals:
            cls.forward, cls.backward = forward, backward
    return undo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=sorted(LR))
    parser.add_argument("--batch", type=int, default=None, help="default: 64 for resnet18, else 256")
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    batch = args.batch or (64 if args.model == "resnet18" else 256)
    X, y = load_fashion_mnist().arrays("train")
    tg.manual_seed(0)
    model = build(args.model, tg.nn, **({"size": 28} if args.model in SIZED else {}))  # 28x28 inputs
    opt = tg.optim.SGD(model.parameters(), lr=LR[args.model])
    loss_fn = tg.nn.CrossEntropyLoss()
    xb, yb = X[:batch], y[:batch]
    seconds: dict = collections.defaultdict(float)
    mismatched: dict = collections.defaultdict(float)
    undo = instrument(seconds, mismatched)
    try:
        for _ in range(5):
            training.train_step(model, xb, yb, loss_fn, opt, tg, None)
        gc.collect()
        gc.freeze()
        seconds.clear()
        mismatched.clear()
        steps = []
        for _ in range(args.steps):
            start = time.perf_counter()
            training.train_step(model, xb, yb, loss_fn, opt, tg, None)
            steps.append(time.perf_counter() - start)
    finally:
        undo()
    per_step = 1e3 / args.steps
    in_ops = sum(seconds.values()) * per_step
    mean = statistics.fmean(steps) * 1e3
    print(f"{args.model}, batch {batch}, {args.steps} steps: step mean {mean:.2f} ms, "
          f"median {statistics.median(steps) * 1e3:.2f} ms")
    print("| op | pass | ms per step |")
    print("|---|---|---|")
    for (name, which), spent in sorted(seconds.items(), key=lambda kv: -kv[1]):
        if spent * per_step >= 0.005:
            print(f"| {name} | {which} | {spent * per_step:.2f} |")
    print(f"| (all ops) | | {in_ops:.2f} |")
    print(f"| (outside ops) | | {mean - in_ops:.2f} |")
    if mismatched:
        print("\nBackward calls whose gradient lies in memory in another order than the op's output:")
        for (name, shape, got, want), spent in mismatched.items():
            print(f"  {name} {shape}: gradient axes {got} outermost first, output {want}: "
                  f"{spent * per_step:.2f} ms per step in those calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
