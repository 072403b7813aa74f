"""Stochastic gradient descent with torch.optim.SGD's exact update rule.

For each parameter p with gradient g (g -> -g when maximize):
    g <- g + weight_decay * p                      (L2 penalty)
    b <- g                         on the first step, else
    b <- momentum * b + (1 - dampening) * g        (momentum buffer)
    g <- g + momentum * b  if nesterov  else  b
    p <- p - lr * g
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

import numpy as np

from ..autograd import no_grad
from .optimizer import Optimizer

class SGD(Optimizer):
    """torch.optim.SGD: ``params`` is an iterable of Tensors or of parameter-group dicts."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize))

    def _check(self, group: dict[str, Any]) -> None:
        for name in ("lr", "momentum", "weight_decay"):
            if group[name] < 0.0:
                raise ValueError(f"SGD: invalid {name.replace('_', ' ')}: {group[name]} (must be >= 0)")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: Nesterov momentum requires a momentum and zero dampening "
                             f"(momentum={group['momentum']}, dampening={group['dampening']})")

    @no_grad()
    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """One update of every parameter that has a gradient (see the module docstring)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = -p.grad.array if group["maximize"] else p.grad.array
                if group["weight_decay"] != 0:
                    g = g + group["weight_decay"] * p.array
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = np.array(g, copy=True)
                    else:
                        buf = buf * momentum + (1 - dampening) * g
                    state["momentum_buffer"] = buf
                    g = g + momentum * buf if group["nesterov"] else buf
                if not p.array.flags.writeable:
                    raise RuntimeError(f"SGD.step: parameter of shape {p.shape} is a read-only view")
                p.array -= lr * g  # in place on the parameter's own array (outside the graph)
                p._version[0] += 1
        return loss
