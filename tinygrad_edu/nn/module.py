"""Module and Parameter: the container system of torch.nn, in small."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterator

import numpy as np

from ..tensor import Tensor


class Parameter(Tensor):
    """A Tensor that a Module registers as a learnable parameter (requires_grad=True)."""

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        arr = data.array if isinstance(data, Tensor) else np.asarray(data)
        if arr.dtype.kind != "f":
            arr = arr.astype(np.float32)
        super().__init__(arr, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of layers and models: attributes that are Parameters or Modules are registered,
    so parameters(), state_dict() and train()/eval() reach them, with torch's key names."""

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() before assigning attributes")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args: Any) -> Any:  # pragma: no cover
        raise NotImplementedError(f"{type(self).__name__} has no forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # -- traversal
    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        seen: set[int] = set()
        for mod_name, mod in self.named_modules(prefix):
            for name, p in mod._parameters.items():
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{mod_name}.{name}" if mod_name else name), p

    def parameters(self) -> Iterator[Parameter]:
        return (p for _, p in self.named_parameters())

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, "Module"]]:
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator["Module"]:
        return (m for _, m in self.named_modules())

    def children(self) -> Iterator["Module"]:
        return iter(self._modules.values())

    # -- modes and gradients
    def train(self, mode: bool = True) -> "Module":
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    # -- dtype
    def to(self, dtype: Any) -> "Module":
        """Cast every parameter (in place, keeping the Parameter objects) to ``dtype``; a device
        argument other than 'cpu' raises, as for tensors."""
        if isinstance(dtype, str):
            Tensor([0.0]).to(dtype)  # validates the device name
            return self
        for p in self.parameters():
            p.array = p.array.astype(dtype)
            p._version[0] += 1
            if p.grad is not None:
                p.grad = Tensor._from_op(p.grad.array.astype(dtype))
        return self

    def double(self) -> "Module":
        return self.to(np.float64)

    def float(self) -> "Module":
        return self.to(np.float32)

    # -- state
    def state_dict(self) -> "OrderedDict[str, Tensor]":
        """Parameters by torch's dotted names (e.g. '0.weight'), as detached tensors sharing memory."""
        return OrderedDict((name, p.detach()) for name, p in self.named_parameters())

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> tuple[list[str], list[str]]:
        """Copy values into the parameters; returns (missing_keys, unexpected_keys). With strict,
        missing or unexpected keys raise; a shape mismatch always raises; nothing changes on error."""
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        arrays = {}
        for k, v in state.items():
            if k in own:
                arr = v.detach().numpy() if isinstance(v, Tensor) else np.asarray(v)
                if arr.shape != own[k].shape:
                    raise RuntimeError(f"load_state_dict: size mismatch for {k}: copying a param with "
                                       f"shape {arr.shape}, the parameter in the model has shape {own[k].shape}")
                arrays[k] = arr
        if strict and (missing or unexpected):
            raise RuntimeError(f"load_state_dict: error(s) in loading state_dict for {type(self).__name__}: "
                               f"missing keys {missing}, unexpected keys {unexpected}")
        for k, arr in arrays.items():
            own[k].data.copy_(arr)
        return missing, unexpected

    # -- printing
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        if self._modules:
            for name, m in self._modules.items():
                child = repr(m).replace("\n", "\n  ")
                lines.append(f"  ({name}): {child}")
            return "\n".join(lines) + "\n)"
        return lines[0] + ")"


class Sequential(Module):
    """Modules applied in order; indexable (net[0].weight) like torch.nn.Sequential."""

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            setattr(self, str(i), layer)

    def __getitem__(self, i: int) -> Module:
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def forward(self, x: Any) -> Any:
        for layer in self._modules.values():
            x = layer(x)
        return x
