"""``Optimizer``: the base class of every optimiser, and of the ones users write.

It keeps ``param_groups`` (a list of dicts: 'params' plus hyper-parameters, the defaults filled
in) and ``state`` (per-parameter dicts, keyed by the parameter tensor, as in torch). Subclasses
write ``step()``; ``zero_grad``, ``add_param_group`` and ``state_dict``/``load_state_dict`` are
shared. Saved state arrays are copied, and loading checks everything before changing anything.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable, Optional

import numpy as np

from ..autograd import enable_grad
from ..tensor import Tensor


class Optimizer:
    """``Optimizer(params, defaults)``: params is an iterable of Tensors or of group dicts."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: params argument given to the optimizer should be an "
                            f"iterable of Tensors or dicts, but got a Tensor")
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _check(self, group: dict[str, Any]) -> None:
        """Subclasses validate a group's hyper-parameters here (raise ValueError)."""

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group (e.g. a new layer to fine-tune) with its own hyper-parameters."""
        if not isinstance(param_group, dict):
            raise TypeError(f"{type(self).__name__}: param_group must be a dict, got {type(param_group).__name__}")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__}: optimizer can only optimize Tensors, got "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: can't optimize a non-leaf Tensor (shape {p.shape})")
        group = {**self.defaults, **param_group, "params": params}
        self._check(group)
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & {id(p) for p in params} or len({id(p) for p in params}) != len(params):
            raise ValueError(f"{type(self).__name__}: some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.zero_()

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:  # pragma: no cover
        raise NotImplementedError(f"{type(self).__name__} must define step()")

    @staticmethod
    def _evaluate(closure: Optional[Callable[[], Any]]) -> Any:
        """Run ``step``'s optional closure (which recomputes the loss) with gradients enabled."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    # -- saving and restoring
    def _hyper(self, group: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in group.items() if k != "params"}

    def state_dict(self) -> dict[str, Any]:
        """{'state': {index: {name: array or number}}, 'param_groups': [...]} with parameters
        numbered in order across groups, as torch's."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = len(index)
                ids.append(index[id(p)])
            groups.append({**self._hyper(group), "params": ids})
        state = {}
        for p, s in self.state.items():
            if id(p) in index:
                state[index[id(p)]] = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and per-parameter state; the groups must match in size."""
        name = type(self).__name__
        groups = state_dict.get("param_groups")
        if not isinstance(groups, list) or len(groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: loaded state dict has {len(groups or [])} parameter "
                             f"groups, the optimizer has {len(self.param_groups)}")
        for mine, theirs in zip(self.param_groups, groups):
            if len(theirs["params"]) != len(mine["params"]):
                raise ValueError(f"{name}.load_state_dict: a loaded parameter group doesn't match the size "
                                 f"of the optimizer's group")
        params = [p for group in self.param_groups for p in group["params"]]
        new_state: defaultdict = defaultdict(dict)
        for i, s in state_dict.get("state", {}).items():
            i = int(i)
            if not 0 <= i < len(params):
                raise ValueError(f"{name}.load_state_dict: state for parameter {i}, but there are {len(params)}")
            entry = {}
            for k, v in s.items():
                arr = np.asarray(v.detach().numpy() if isinstance(v, Tensor) else
                                 v.detach().cpu().numpy() if hasattr(v, "detach") else v)
                if arr.ndim and arr.shape != params[i].shape:
                    raise ValueError(f"{name}.load_state_dict: {k} of shape {arr.shape} for parameter {i} "
                                     f"of shape {params[i].shape}")
                entry[k] = arr.astype(params[i].dtype, copy=True) if arr.ndim else float(arr)
            new_state[params[i]] = entry
        for mine, theirs in zip(self.param_groups, groups):
            self._check({**mine, **{k: v for k, v in theirs.items() if k != "params"}})
        for mine, theirs in zip(self.param_groups, groups):
            mine.update({k: v for k, v in theirs.items() if k != "params"})
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(self._hyper(g).items())]
        return "\n".join(lines) + "\n)"


def update_in_place(p: Tensor, new_value: np.ndarray, op: str) -> None:
    """Write an optimiser's result into the parameter's own array (outside the graph)."""
    if not p.array.flags.writeable:
        raise RuntimeError(f"{op}: parameter of shape {p.shape} is a read-only view")
    p.array[...] = new_value
    p._version[0] += 1
