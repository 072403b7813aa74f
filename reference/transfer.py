"""Exact value transfer between tinygrad_edu Tensors and torch tensors (bit-for-bit copies)."""
from __future__ import annotations

import numpy as np
import torch

import tinygrad_edu as tg


def to_torch(t: tg.Tensor, device: str = "cpu", requires_grad: bool | None = None) -> torch.Tensor:
    """A torch tensor with the same values and dtype as ``t`` (copied), on ``device``."""
    rg = t.requires_grad if requires_grad is None else requires_grad
    return torch.tensor(np.array(t.detach().numpy(), copy=True), device=device, requires_grad=rg)


def from_torch(t: torch.Tensor, requires_grad: bool | None = None) -> tg.Tensor:
    """A tinygrad_edu tensor with the same values and dtype as ``t`` (copied to the CPU)."""
    rg = t.requires_grad if requires_grad is None else requires_grad
    return tg.tensor(t.detach().cpu().numpy().copy(), requires_grad=rg)
