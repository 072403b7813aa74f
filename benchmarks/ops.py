"""Per-op benchmarks: forward and forward+backward over a sweep of sizes, on both backends.

Each op is an expression evaluated with tinygrad_edu (T, F) or torch (T, F) on the same NumPy
arrays, like the parity catalogue; fwd+bwd backpropagates a fixed random upstream gradient.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

import tinygrad_edu as tg

from .timing import Timing, measure


@dataclass(frozen=True)
class OpBench:
    name: str
    expr: str
    inputs: Callable[[int, np.random.Generator], dict[str, np.ndarray]]
    sizes: tuple[int, ...]
    quick_sizes: tuple[int, ...]
    size_label: str
    grad: tuple[str, ...] = ("x",)


def _vec(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.standard_normal(n).astype(np.float32)}


def _positive(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.uniform(0.1, 10, n).astype(np.float32)}


def _square(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.standard_normal((n, n)).astype(np.float32), "w": rng.standard_normal((n, n)).astype(np.float32)}


def _logits(rows: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.standard_normal((rows, 10)).astype(np.float32), "y": rng.integers(0, 10, rows)}


def _conv1(batch: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.random((batch, 1, 28, 28)).astype(np.float32),
            "w": (rng.standard_normal((6, 1, 5, 5)) * 0.2).astype(np.float32), "b": np.zeros(6, np.float32)}


def _conv2(batch: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.random((batch, 6, 14, 14)).astype(np.float32),
            "w": (rng.standard_normal((16, 6, 5, 5)) * 0.1).astype(np.float32), "b": np.zeros(16, np.float32)}


def _maps(batch: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.standard_normal((batch, 6, 28, 28)).astype(np.float32)}


def _resnet_conv(side: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """ResNet-18's 3x3 convolutions on 28x28 inputs, batch 64: 64 channels at 28x28, 128 at 14x14,
    256 at 7x7 (the side picks the stage)."""
    c = {28: 64, 14: 128, 7: 256}[side]
    return {"x": rng.standard_normal((64, c, side, side)).astype(np.float32),
            "w": (rng.standard_normal((c, c, 3, 3)) * 0.05).astype(np.float32), "b": np.zeros(c, np.float32)}


def _bn_maps(batch: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"x": rng.standard_normal((batch, 64, 28, 28)).astype(np.float32),
            "w": rng.standard_normal(64).astype(np.float32), "b": rng.standard_normal(64).astype(np.float32)}


ELEMENTWISE_SIZES = (1_000, 10_000, 100_000, 1_000_000)
BATCHES = (16, 64, 256)

OPS: list[OpBench] = [
    OpBench("matmul", "x @ w", _square, (64, 128, 256, 512, 1024), (64, 256), "n (n x n @ n x n)", ("x", "w")),
    OpBench("exp", "x.exp()", _vec, ELEMENTWISE_SIZES, (10_000, 1_000_000), "elements"),
    OpBench("log", "x.log()", _positive, ELEMENTWISE_SIZES, (10_000, 1_000_000), "elements"),
    OpBench("relu", "x.relu()", _vec, ELEMENTWISE_SIZES, (10_000, 1_000_000), "elements"),
    OpBench("sigmoid", "x.sigmoid()", _vec, ELEMENTWISE_SIZES, (10_000, 1_000_000), "elements"),
    OpBench("softmax", "F.softmax(x, 1)", _logits, (256, 4_096, 65_536), (256, 65_536), "rows of 10"),
    OpBench("log_softmax", "F.log_softmax(x, 1)", _logits, (256, 4_096, 65_536), (256, 65_536), "rows of 10"),
    OpBench("cross_entropy", "F.cross_entropy(x, y)", _logits, (256, 4_096, 65_536), (256, 65_536), "rows of 10"),
    OpBench("conv2d_lenet1", "F.conv2d(x, w, b, padding=2)", _conv1, BATCHES, (256,), "batch (1->6, 28x28, k5, p2)", ("w", "b")),
    OpBench("conv2d_lenet2", "F.conv2d(x, w, b)", _conv2, BATCHES, (256,), "batch (6->16, 14x14, k5)", ("x", "w", "b")),
    OpBench("conv2d_resnet", "F.conv2d(x, w, b, padding=1)", _resnet_conv, (28, 14, 7), (14,),
            "side (batch 64; 64ch@28, 128ch@14, 256ch@7; k3, p1)", ("x", "w", "b")),
    OpBench("batch_norm", "F.batch_norm(x, None, None, w, b, True)", _bn_maps, (16, 64, 256), (64,),
            "batch (64 channels, 28x28)", ("x", "w", "b")),
    OpBench("max_pool2d", "F.max_pool2d(x, 2)", _maps, BATCHES, (256,), "batch (6x28x28, 2x2)"),
    OpBench("avg_pool2d", "F.avg_pool2d(x, 2)", _maps, BATCHES, (256,), "batch (6x28x28, 2x2)"),
]


def _env(lib: str) -> dict[str, Any]:
    if lib == "tinygrad_edu":
        return {"T": tg, "F": tg.nn.functional}
    import torch
    return {"T": torch, "F": torch.nn.functional}


def make_calls(op: OpBench, size: int, lib: str, device: str = "cpu") -> tuple[Callable, Callable, Optional[Callable]]:
    """(forward, forward+backward, sync) closures for one op, size and backend."""
    arrays = op.inputs(size, np.random.default_rng(0))
    if lib == "tinygrad_edu":
        leaves = {k: tg.tensor(v, requires_grad=k in op.grad) for k, v in arrays.items()}
        sync = None
    else:
        import torch
        leaves = {k: torch.tensor(v, device=device, requires_grad=k in op.grad) for k, v in arrays.items()}
        sync = torch.cuda.synchronize if device == "cuda" else None
    env = {**_env(lib), **leaves}
    out = eval(op.expr, env)
    g = np.random.default_rng(1).standard_normal(tuple(out.shape)).astype(np.float32)
    upstream = tg.tensor(g) if lib == "tinygrad_edu" else leaves["x"].new_tensor(g)
    grads = [leaves[k] for k in op.grad]

    def forward() -> None:
        eval(op.expr, env)

    def forward_backward() -> None:
        for t in grads:
            t.grad = None
        eval(op.expr, env).backward(upstream)

    return forward, forward_backward, sync


def sgd_calls(size: int, lib: str, device: str = "cpu") -> tuple[Callable, Callable, Optional[Callable]]:
    """One SGD step with momentum 0.9 on a parameter of ``size`` elements (the gradient is fixed)."""
    rng = np.random.default_rng(0)
    p, g = rng.standard_normal(size).astype(np.float32), rng.standard_normal(size).astype(np.float32)
    if lib == "tinygrad_edu":
        param = tg.tensor(p, requires_grad=True)
        param.grad = tg.tensor(g)
        opt = tg.optim.SGD([param], lr=1e-3, momentum=0.9)
        sync = None
    else:
        import torch
        param = torch.tensor(p, device=device, requires_grad=True)
        param.grad = torch.tensor(g, device=device)
        opt = torch.optim.SGD([param], lr=1e-3, momentum=0.9)
        sync = torch.cuda.synchronize if device == "cuda" else None
    return opt.step, opt.step, sync


def overhead_calls(lib: str, n_ops: int = 1000) -> Callable[[], None]:
    """A chain of n_ops tiny elementwise ops on a (4,) tensor, forward and backward."""
    if lib == "tinygrad_edu":
        x = tg.tensor(np.ones(4, np.float32), requires_grad=True)
    else:
        import torch
        x = torch.ones(4, requires_grad=True)

    def chain() -> None:
        x.grad = None
        y = x
        for i in range(n_ops // 2):
            y = y * 1.0001
            y = y + 0.0001
        y.sum().backward()

    return chain


def bench_op(name: str, size: int, lib: str, device: str, repeats: int) -> dict[str, Any]:
    if name == "sgd_step":
        fwd, fb, sync = sgd_calls(size, lib, device)
    else:
        op = next(o for o in OPS if o.name == name)
        fwd, fb, sync = make_calls(op, size, lib, device)
    t_f: Timing = measure(fwd, repeats=repeats, sync=sync)
    t_fb: Timing = measure(fb, repeats=repeats, sync=sync)
    return {"op": name, "size": size, "backend": lib, "device": device,
            "forward": t_f.as_dict(), "forward_backward": t_fb.as_dict()}


SGD_SIZES, SGD_QUICK = (10_000, 100_000, 1_000_000), (100_000,)
