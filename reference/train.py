"""The d2l training loop on PyTorch: tinygrad_edu.training's functions run with lib=torch."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import torch

from tinygrad_edu import training


def train_step(net: torch.nn.Module, X: np.ndarray, y: np.ndarray, loss_fn: Any, optimizer: Any,
               device: str = "cpu") -> tuple[float, float]:
    return training.train_step(net, X, y, loss_fn, optimizer, lib=torch, device=device)


def train_epoch(net: torch.nn.Module, batches: Iterable[tuple[np.ndarray, np.ndarray]], loss_fn: Any,
                optimizer: Any, device: str = "cpu") -> tuple[float, float]:
    return training.train_epoch(net, batches, loss_fn, optimizer, lib=torch, device=device)


def evaluate_accuracy(net: torch.nn.Module, batches: Iterable[tuple[np.ndarray, np.ndarray]],
                      device: str = "cpu") -> float:
    return training.evaluate_accuracy(net, batches, lib=torch, device=device)
