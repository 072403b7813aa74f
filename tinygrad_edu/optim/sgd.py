"""Stochastic gradient descent with torch.optim.SGD's exact update rule.

For each parameter p with gradient g (g -> -g when maximize):
    g <- g + weight_decay * p                      (L2 penalty)
    b <- g                         on the first step, else
    b <- momentum * b + (1 - dampening) * g        (momentum buffer)
    g <- g + momentum * b  if nesterov  else  b
    p <- p - lr * g
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..autograd import no_grad
from ..tensor import Tensor

_DEFAULTS = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")


class SGD:
    """torch.optim.SGD: ``params`` is an iterable of Tensors or of parameter-group dicts."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, maximize: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        groups = list(params)
        if not groups:
            raise ValueError("SGD: optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.param_groups: list[dict[str, Any]] = []
        for g in groups:
            group = {**defaults, **g, "params": list(g["params"])}
            self._check(group)
            self.param_groups.append(group)
        seen: set[int] = set()
        for group in self.param_groups:
            for p in group["params"]:
                if not isinstance(p, Tensor):
                    raise TypeError(f"SGD: params must be Tensors, got {type(p).__name__}")
                if id(p) in seen:
                    raise ValueError("SGD: some parameters appear in more than one parameter group")
                seen.add(id(p))
        self.state: dict[int, dict[str, np.ndarray]] = {}  # keyed by id(param)

    @staticmethod
    def _check(group: dict[str, Any]) -> None:
        for name in ("lr", "momentum", "weight_decay"):
            if group[name] < 0.0:
                raise ValueError(f"SGD: invalid {name.replace('_', ' ')}: {group[name]} (must be >= 0)")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: Nesterov momentum requires a momentum and zero dampening "
                             f"(momentum={group['momentum']}, dampening={group['dampening']})")

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.zero_()

    @no_grad()
    def step(self) -> None:
        """One update of every parameter that has a gradient (see the module docstring)."""
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = -p.grad.array if group["maximize"] else p.grad.array
                if group["weight_decay"] != 0:
                    g = g + group["weight_decay"] * p.array
                if momentum != 0:
                    state = self.state.setdefault(id(p), {})
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

    def state_dict(self) -> dict[str, Any]:
        """{'state': {index: {'momentum_buffer': array}}, 'param_groups': [...]} with parameters
        numbered in order, as torch's."""
        index = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = len(index)
                ids.append(index[id(p)])
            groups.append({**{k: group[k] for k in _DEFAULTS}, "params": ids})
        state = {index[pid]: {k: v.copy() for k, v in s.items()} for pid, s in self.state.items() if pid in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and momentum buffers; the groups must match in size."""
        groups = state_dict.get("param_groups")
        if not isinstance(groups, list) or len(groups) != len(self.param_groups):
            raise ValueError(f"SGD.load_state_dict: loaded state dict has {len(groups or [])} parameter "
                             f"groups, the optimizer has {len(self.param_groups)}")
        params = [p for group in self.param_groups for p in group["params"]]
        for mine, theirs in zip(self.param_groups, groups):
            if len(theirs["params"]) != len(mine["params"]):
                raise ValueError("SGD.load_state_dict: a loaded parameter group doesn't match the size "
                                 "of the optimizer's group")
        new_state = {}
        for i, s in state_dict.get("state", {}).items():
            i = int(i)
            if not 0 <= i < len(params):
                raise ValueError(f"SGD.load_state_dict: state for parameter {i}, but there are {len(params)}")
            buf = np.asarray(s["momentum_buffer"])
            if buf.shape != params[i].shape:
                raise ValueError(f"SGD.load_state_dict: momentum buffer of shape {buf.shape} for "
                                 f"parameter {i} of shape {params[i].shape}")
            new_state[id(params[i])] = {"momentum_buffer": buf.astype(params[i].dtype, copy=True)}
        for mine, theirs in zip(self.param_groups, groups):
            candidate = {**mine, **{k: theirs[k] for k in _DEFAULTS if k in theirs}}
            self._check(candidate)
        for mine, theirs in zip(self.param_groups, groups):
            mine.update({k: theirs[k] for k in _DEFAULTS if k in theirs})
        self.state = new_state
