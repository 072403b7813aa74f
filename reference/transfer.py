"""Exact transfer of values and of whole models between tinygrad_edu and torch (bit-for-bit copies)."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

import tinygrad_edu as tg


def to_torch(t: tg.Tensor, device: "str | torch.device" = "cpu", requires_grad: bool | None = None) -> torch.Tensor:
    """A torch tensor with the same values and dtype as ``t`` (copied), on ``device``."""
    rg = t.requires_grad if requires_grad is None else requires_grad
    return torch.tensor(np.array(t.detach().numpy(), copy=True), device=device, requires_grad=rg)


def from_torch(t: torch.Tensor, requires_grad: bool | None = None) -> tg.Tensor:
    """A tinygrad_edu tensor with the same values and dtype as ``t`` (copied to the CPU)."""
    rg = t.requires_grad if requires_grad is None else requires_grad
    return tg.tensor(t.detach().cpu().numpy().copy(), requires_grad=rg)


def copy_weights_to_torch(model: tg.nn.Module, torch_model: torch.nn.Module) -> torch.nn.Module:
    """Load ``model``'s parameters into the torch twin (same keys and shapes), exactly."""
    device = next(torch_model.parameters()).device
    torch_model.load_state_dict({k: to_torch(v, device, requires_grad=False)
                                 for k, v in model.state_dict().items()}, strict=True)
    return torch_model


def copy_weights_from_torch(torch_model: torch.nn.Module, model: tg.nn.Module) -> tg.nn.Module:
    """Load the torch twin's parameters into ``model``, exactly."""
    model.load_state_dict({k: v.detach().cpu().numpy() for k, v in torch_model.state_dict().items()})
    return model


def model_to_torch(model: tg.nn.Module, name: str, device: str = "cpu", **kwargs: Any) -> torch.nn.Module:
    """A torch twin of the tinygrad_edu model ``name`` holding the same weights (``kwargs``: the
    builder's, e.g. ``size``)."""
    from .models import build_torch
    dtype = next(iter(model.state_dict().values())).dtype
    twin = build_torch(name, device, init=False, **kwargs).to(torch.float64 if dtype == np.float64 else torch.float32)
    return copy_weights_to_torch(model, twin)


def model_from_torch(torch_model: torch.nn.Module, name: str, **kwargs: Any) -> tg.nn.Module:
    """A tinygrad_edu model ``name`` holding the torch model's weights."""
    from tinygrad_edu.models import build
    return copy_weights_from_torch(torch_model, build(name, tg.nn, init=False, **kwargs))


def load_checkpoint_into_torch(path: str, torch_model: torch.nn.Module, key: str | None = None) -> torch.nn.Module:
    """Load a tinygrad_edu checkpoint (``tinygrad_edu.save(model.state_dict(), path)``, or a dict
    holding one under ``key``) into the torch twin, exactly."""
    state = tg.load(path)
    if key is not None:
        state = state[key]
    device = next(torch_model.parameters()).device
    torch_model.load_state_dict({k: torch.tensor(np.asarray(v), device=device) for k, v in state.items()})
    return torch_model


def save_torch_state_dict(torch_model_or_state: Any, path: str) -> None:
    """Write a torch model's (or state dict's) parameters in tinygrad_edu's checkpoint format."""
    state = torch_model_or_state.state_dict() if hasattr(torch_model_or_state, "state_dict") else torch_model_or_state
    tg.save({k: v.detach().cpu().numpy() for k, v in state.items()}, path)
