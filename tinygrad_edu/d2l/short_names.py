"""The short, framework-neutral names d2l's code calls (``d2l.reshape``, ``d2l.argmax``, ...).

Part of the d2l companion (``tinygrad_edu/d2l/__init__.py`` says how it is built and tested).
"""
from __future__ import annotations

from typing import Any

import numpy as np

import tinygrad_edu as torch  # backend
from tinygrad_edu import nn  # backend


# ----------------------------------------------------------------------------- short aliases
# d2l's code calls these framework-neutral names (d2l.reshape, d2l.argmax, ...).
ones, zeros, tensor, arange, meshgrid = torch.ones, torch.zeros, torch.tensor, torch.arange, torch.meshgrid
linspace, exp, log, normal, rand, randn = torch.linspace, torch.exp, torch.log, torch.normal, torch.rand, torch.randn
matmul, concat, stack, abs, eye, tanh, sigmoid = torch.matmul, torch.cat, torch.stack, torch.abs, torch.eye, \
    torch.tanh, torch.sigmoid
sin, cos, sinh, cosh = torch.sin, torch.cos, torch.sinh, torch.cosh
ones_like, zeros_like, batch_matmul = torch.ones_like, torch.zeros_like, torch.bmm
nn_Module = nn.Module
int32, int64, float32 = torch.int32, torch.int64, torch.float32


def numpy(x: Any, *args: Any, **kwargs: Any) -> np.ndarray: return x.detach().numpy(*args, **kwargs)
def size(x: Any, *args: Any, **kwargs: Any) -> int: return x.numel(*args, **kwargs)
def reshape(x: Any, *args: Any, **kwargs: Any) -> Any: return x.reshape(*args, **kwargs)
def to(x: Any, *args: Any, **kwargs: Any) -> Any: return x.to(*args, **kwargs)
def reduce_sum(x: Any, *args: Any, **kwargs: Any) -> Any: return x.sum(*args, **kwargs)
def reduce_mean(x: Any, *args: Any, **kwargs: Any) -> Any: return x.mean(*args, **kwargs)
def argmax(x: Any, *args: Any, **kwargs: Any) -> Any: return x.argmax(*args, **kwargs)
def astype(x: Any, *args: Any, **kwargs: Any) -> Any: return x.type(*args, **kwargs)
def transpose(x: Any, *args: Any, **kwargs: Any) -> Any: return x.t(*args, **kwargs)
def expand_dims(x: Any, *args: Any, **kwargs: Any) -> Any: return x.unsqueeze(*args, **kwargs)
def swapaxes(x: Any, *args: Any, **kwargs: Any) -> Any: return x.swapaxes(*args, **kwargs)
def repeat(x: Any, *args: Any, **kwargs: Any) -> Any: return x.repeat(*args, **kwargs)
