"""A readable log of a backward pass: every node once, in the order backward processes it.

    y.backward(trace=True)                    # prints the trace
    with tinygrad_edu.viz.trace_backward() as log: y.backward()
    print(log)                                # or read log.records

For each node: the op, the shapes of its inputs and output, the gradient it receives (shape and
norm), the gradients it sends to each input, and where a gradient was summed over broadcast dims
because the input was smaller than the output.
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import numpy as np

_active = threading.local()


@dataclass
class Record:
    step: int
    op: str
    output_shape: tuple[int, ...]
    input_shapes: list[tuple[int, ...]]
    received: tuple[tuple[int, ...], float]
    sent: list[Optional[tuple[tuple[int, ...], float]]]
    reductions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        r_shape, r_norm = self.received
        lines = [f"[{self.step}] {self.op}: inputs {', '.join(str(s) for s in self.input_shapes)} -> "
                 f"output {self.output_shape}",
                 f"      receives dL/d(output) {r_shape}, |g| = {r_norm:.4g}"]
        for i, s in enumerate(self.sent):
            if s is None:
                lines.append(f"      input {i}: no gradient needed")
            else:
                lines.append(f"      sends dL/d(input {i}) {s[0]}, |g| = {s[1]:.4g}")
        lines += [f"      {r}" for r in self.reductions]
        return "\n".join(lines)


class BackwardTrace:
    """Collects one :class:`Record` per node; ``str()`` gives the whole log."""

    def __init__(self, echo: bool = False) -> None:
        self.records: list[Record] = []
        self.echo = echo

    def __call__(self, node: Any, grad: np.ndarray, parent_grads: tuple[Any, ...]) -> None:
        ctx = node._ctx
        parents = ctx.parents
        sent: list[Optional[tuple[tuple[int, ...], float]]] = []
        reductions = []
        for i, (p, g, needed) in enumerate(zip(parents, parent_grads, ctx.needs_input_grad)):
            if not needed or g is None:
                sent.append(None)
                continue
            sent.append((g.shape, float(np.linalg.norm(g))))
            if p.shape != node.shape and ctx.name() in _BROADCASTING_OPS:
                reductions.append(f"input {i}: gradient summed over broadcast dims, {node.shape} -> {p.shape}")
        rec = Record(len(self.records) + 1, ctx.name(), node.shape, [p.shape for p in parents],
                     (grad.shape, float(np.linalg.norm(grad))), sent, reductions)
        self.records.append(rec)
        if self.echo:
            print(rec)

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.records)


_BROADCASTING_OPS = {"Add", "Sub", "Mul", "Div", "Pow", "Maximum", "Minimum", "Where"}


def current() -> Optional[BackwardTrace]:
    return getattr(_active, "trace", None)


@contextlib.contextmanager
def trace_backward(echo: bool = False) -> Iterator[BackwardTrace]:
    """Record every backward pass run inside the block."""
    previous = current()
    log = BackwardTrace(echo)
    _active.trace = log
    try:
        yield log
    finally:
        _active.trace = previous
