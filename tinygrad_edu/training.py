"""d2l's training helpers (train_epoch_ch3, evaluate_accuracy), written once over a library.

``lib`` is tinygrad_edu (default) or torch: every call below exists with the same meaning in
both, which is how reference/ runs the very same loop on PyTorch.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Optional

import numpy as np

import tinygrad_edu


def _tensor(lib: ModuleType, array: np.ndarray, device: Optional[str]) -> Any:
    """The batch as a tensor without copying it where the library allows (as_tensor)."""
    return lib.as_tensor(array, device=device) if device else lib.as_tensor(array)


def accuracy(y_hat: Any, y: Any) -> float:
    """Number of correct predictions (d2l's accuracy)."""
    predicted = y_hat.argmax(1) if y_hat.ndim > 1 and y_hat.shape[1] > 1 else y_hat
    return float((predicted.type(y.dtype) == y).sum())


def evaluate_accuracy(net: Any, batches: Iterable[tuple[np.ndarray, np.ndarray]], lib: ModuleType = tinygrad_edu,
                      device: Optional[str] = None) -> float:
    """Accuracy of ``net`` over the batches, in eval mode and without building a graph."""
    net.eval()
    correct, total = 0.0, 0
    with lib.no_grad():
        for X, y in batches:
            correct += accuracy(net(_tensor(lib, X, device)), _tensor(lib, y, device))
            total += len(y)
    return correct / max(total, 1)


def train_step(net: Any, X: np.ndarray, y: np.ndarray, loss_fn: Any, optimizer: Any,
               lib: ModuleType = tinygrad_edu, device: Optional[str] = None) -> tuple[float, float]:
    """One minibatch: forward, mean loss, zero_grad, backward, step. Returns (loss, correct)."""
    Xt, yt = _tensor(lib, X, device), _tensor(lib, y, device)
    y_hat = net(Xt)
    loss = loss_fn(y_hat, yt)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.detach()), accuracy(y_hat.detach(), yt)


def train_epoch(net: Any, batches: Iterable[tuple[np.ndarray, np.ndarray]], loss_fn: Any, optimizer: Any,
                lib: ModuleType = tinygrad_edu, device: Optional[str] = None) -> tuple[float, float]:
    """One pass over the batches (d2l's train_epoch_ch3); returns (mean loss, training accuracy)."""
    net.train()
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in batches:
        loss, right = train_step(net, X, y, loss_fn, optimizer, lib, device)
        loss_sum += loss * len(y)
        correct += right
        total += len(y)
    return loss_sum / max(total, 1), correct / max(total, 1)
