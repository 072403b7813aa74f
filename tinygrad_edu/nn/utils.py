"""``torch.nn.utils``: gradient clipping (what d2l's grad_clipping does by hand in ch. 8)."""
from __future__ import annotations

from typing import Any, Iterable, Union

import numpy as np

from ..tensor import Tensor, get_default_dtype


def _grads(parameters: Union[Tensor, Iterable[Tensor]]) -> list[Tensor]:
    """The gradients of the parameters that have one."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Union[Tensor, Iterable[Tensor]], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """Scale all gradients by min(1, max_norm / (total_norm + 1e-6)), where total_norm is the
    norm of all gradients together (the norm of their norms). Returns total_norm. The direction
    of the joint gradient is kept; only its length is capped."""
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor(np.zeros((), get_default_dtype()))
    if norm_type == np.inf:
        norms = [np.abs(g.array).max() for g in grads]
        total = float(max(norms))
    else:
        norms = [np.linalg.norm(g.array.ravel().astype(np.float64), norm_type) for g in grads]
        total = float(np.linalg.norm(np.asarray(norms), norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} for gradients from "
                           f"`parameters` is non-finite ({total}), so it cannot be clipped")
    coef = min(max_norm / (total + 1e-6), 1.0)
    if coef < 1.0:
        for g in grads:
            g.array *= np.asarray(coef, dtype=g.dtype)
            g._version[0] += 1
    return Tensor(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Union[Tensor, Iterable[Tensor]], clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    for g in _grads(parameters):
        np.clip(g.array, -clip_value, clip_value, out=g.array)
        g._version[0] += 1
