"""``torch.nn.utils``: gradient clipping (what d2l's grad_clipping does by hand in ch. 8)."""
from __future__ import annotations

from typing import Any, Iterable, Union

import numpy as np

from ..tensor import Tensor, get_default_dtype


def _grads(parameters: Union[Tensor, Iterable[Tensor]]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Union[Tensor, Iterable[Tensor]], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """Scale all gradients by min(1, max_norm / (total_norm + 1e-6)), where total_norm is the
    norm of all gradients together (the norm of their norms). Returns total_norm. The direction
    of the joint gradient is kept; only its length is capped."""
    with_grad = _grads(parameters)
    norm_type = float(norm_type)
    if not with_grad:
        return Tensor(np.zeros((), get_default_dtype()))
    if norm_type == np.inf:
        norms = [np.abs(p.grad.array).max() for p in with_grad]
        total = float(max(norms))
    else:
        norms = [np.linalg.norm(p.grad.array.ravel().astype(np.float64), norm_type) for p in with_grad]
        total = float(np.linalg.norm(np.asarray(norms), norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} for gradients from "
                           f"`parameters` is non-finite ({total}), so it cannot be clipped")
    coef = min(max_norm / (total + 1e-6), 1.0)
    if coef < 1.0:
        for p in with_grad:
            p.grad.array *= np.asarray(coef, dtype=p.grad.dtype)
            p.grad._version[0] += 1
    return Tensor(np.asarray(total, dtype=with_grad[0].grad.dtype))


def clip_grad_value_(parameters: Union[Tensor, Iterable[Tensor]], clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    for p in _grads(parameters):
        np.clip(p.grad.array, -clip_value, clip_value, out=p.grad.array)
        p.grad._version[0] += 1
