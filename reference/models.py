"""The PyTorch twins of tinygrad_edu.models: the same builders called with torch.nn."""
from __future__ import annotations

import torch

from tinygrad_edu.models import MODELS, MODERN, build


def build_torch(name: str, device: str = "cpu", init: bool = True, **kwargs) -> torch.nn.Module:
    """The torch model ``name`` (see tinygrad_edu.models), on ``device``."""
    return build(name, torch.nn, init=init, **kwargs).to(device)


__all__ = ["MODELS", "MODERN", "build_torch"]
