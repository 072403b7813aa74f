"""Every function tinygrad_edu shares with torch.nn.functional takes torch's parameters, by the same
names and in the same order, so a call written for torch (positionally or by keyword) means the
same thing here. (A mismatch once made F.cross_entropy(x, y, w) read w as ignore_index.)"""
from __future__ import annotations

import inspect
import re
from typing import Any, Optional

import pytest
import torch
import torch.nn.functional as TF

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F


def torch_parameters(fn: Any, name: str) -> Optional[list[str]]:
    """torch's parameter names: from inspect where torch is Python, else from the signature line
    that opens its docstring (the C++ builtins, e.g. 'conv2d(input, weight, bias=None, ...)')."""
    try:
        params = list(inspect.signature(fn).parameters.values())
        if not (len(params) == 2 and params[0].kind is inspect.Parameter.VAR_POSITIONAL):
            return [p.name for p in params]
    except (TypeError, ValueError):
        pass
    match = re.search(rf"^\s*{name}\(([^)]*)\)", fn.__doc__ or "", re.M)
    if match is None:
        return None
    parts = [p.split("=")[0].split(":")[0].strip() for p in match.group(1).split(",")]
    return [p for p in parts if p and p not in ("*", "/")]


def shared_functional() -> list[str]:
    return sorted(name for name, fn in vars(F).items()
                  if not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == F.__name__
                  and hasattr(TF, name))


def test_the_functional_namespace_is_checked() -> None:
    assert {"cross_entropy", "nll_loss", "mse_loss", "conv2d", "softmax"} <= set(shared_functional())


@pytest.mark.parametrize("name", shared_functional())
def test_functional_signature_matches_torch(name: str) -> None:
    theirs = torch_parameters(getattr(TF, name), name)
    if theirs is None:
        pytest.skip(f"torch.nn.functional.{name} exposes no signature to compare")
    ours = list(inspect.signature(getattr(F, name)).parameters)
    assert ours == theirs, f"F.{name}: ours {ours}, torch {theirs}"


LOSS_MODULES = ["CrossEntropyLoss", "NLLLoss", "MSELoss"]


@pytest.mark.parametrize("name", LOSS_MODULES)
def test_loss_module_signature_matches_torch(name: str) -> None:
    ours = list(inspect.signature(getattr(tg.nn, name).__init__).parameters)[1:]
    theirs = list(inspect.signature(getattr(torch.nn, name).__init__).parameters)[1:]
    assert ours == theirs, f"nn.{name}: ours {ours}, torch {theirs}"
