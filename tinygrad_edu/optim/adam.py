"""Adam and AdamW with torch.optim's exact update rule (the single-tensor form).

For each parameter p with gradient g (g -> -g when maximize), at step t = 1, 2, ...:
    Adam:   g <- g + weight_decay * p              (L2 penalty added to the gradient)
    AdamW:  p <- p * (1 - lr * weight_decay)       (decoupled decay, applied to the weights)
    m <- m + (1 - beta1) * (g - m)                 (first moment; torch's lerp)
    v <- beta2 * v + (1 - beta2) * g * g           (second moment)
    v_max <- max(v_max, v)  and use v_max for v    (amsgrad only)
    p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
The two divisions undo the bias of m and v toward their zero initial values.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Optional

import numpy as np

from ..autograd import no_grad
from .optimizer import Optimizer


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """start + weight * (end - start), evaluated as torch's CPU kernel does (two forms for
    accuracy near either end)."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


class Adam(Optimizer):
    """torch.optim.Adam (``decoupled_weight_decay=True`` is AdamW)."""

    _decoupled_default = False

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, *,
                 foreach: Optional[bool] = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: Optional[bool] = None,
                 decoupled_weight_decay: Optional[bool] = None) -> None:
        decoupled = self._decoupled_default if decoupled_weight_decay is None else decoupled_weight_decay
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable, fused=fused,
                                      decoupled_weight_decay=decoupled))

    def _check(self, group: dict[str, Any]) -> None:
        name = type(self).__name__
        if not 0.0 <= group["lr"]:
            raise ValueError(f"{name}: invalid learning rate: {group['lr']}")
        if not 0.0 <= group["eps"]:
            raise ValueError(f"{name}: invalid epsilon value: {group['eps']}")
        for i, beta in enumerate(group["betas"]):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name}: invalid beta parameter at index {i}: {beta}")
        if not 0.0 <= group["weight_decay"]:
            raise ValueError(f"{name}: invalid weight_decay value: {group['weight_decay']}")

    @no_grad()
    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = -p.grad.array if group["maximize"] else p.grad.array
                state = self.state[p]
                if not state:
                    state["step"] = 0.0
                    state["exp_avg"] = np.zeros_like(p.array)
                    state["exp_avg_sq"] = np.zeros_like(p.array)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = np.zeros_like(p.array)
                if not p.array.flags.writeable:
                    raise RuntimeError(f"{type(self).__name__}.step: parameter of shape {p.shape} is a read-only view")
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        p.array *= 1 - lr * wd
                    else:
                        g = g + wd * p.array
                state["step"] += 1
                t = state["step"]
                state["exp_avg"] = _lerp(state["exp_avg"], g, 1 - beta1)
                state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
                v = state["exp_avg_sq"]
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)
                    v = state["max_exp_avg_sq"]
                step_size = lr / (1 - beta1 ** t)
                denom = np.sqrt(v) / math.sqrt(1 - beta2 ** t) + eps
                p.array -= (step_size * (state["exp_avg"] / denom)).astype(p.dtype, copy=False)
                p._version[0] += 1
        return loss


class AdamW(Adam):
    """torch.optim.AdamW: Adam with decoupled weight decay (default 0.01)."""

    _decoupled_default = True

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: Optional[bool] = None, capturable: bool = False,
                 differentiable: bool = False, fused: Optional[bool] = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
