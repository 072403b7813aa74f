"""Module and Parameter: the container system of torch.nn, in small."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Iterable, Iterator, Optional, cast

import numpy as np

from ..tensor import Tensor, get_default_dtype


class Parameter(Tensor):
    """A Tensor that a Module registers as a learnable parameter (requires_grad=True)."""

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        arr = data.array if isinstance(data, Tensor) else np.asarray(data)
        if arr.dtype.kind != "f":
            arr = arr.astype(get_default_dtype())
        super().__init__(arr, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of layers and models: attributes that are Parameters or Modules are registered,
    so parameters(), state_dict() and train()/eval() reach them, with torch's key names."""

    # set in __init__ through object.__setattr__ (our own __setattr__ routes attributes into them)
    _parameters: "OrderedDict[str, Optional[Parameter]]"
    _buffers: "OrderedDict[str, Optional[Tensor]]"
    _non_persistent: set[str]
    _modules: "OrderedDict[str, Optional[Module]]"
    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() before assigning attributes")
        if name in self._buffers and (value is None or isinstance(value, Tensor)) \
                and not isinstance(value, Parameter):
            self._buffers[name] = value  # assigning to a buffer keeps it a buffer, as in torch
            object.__setattr__(self, name, value)
            return
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        object.__delattr__(self, name)

    # -- registration, as torch names it
    def register_buffer(self, name: str, tensor: Optional[Tensor], persistent: bool = True) -> None:
        """A tensor that belongs to the module's state (saved in state_dict unless not
        persistent) but is not a parameter: running statistics, masks, constants."""
        if not isinstance(name, str) or "." in name or name == "":
            raise KeyError(f"register_buffer: buffer name must be a non-empty string without '.', got {name!r}")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: cannot assign {type(tensor).__name__} object to buffer "
                            f"{name!r} (a Tensor or None is required)")
        if name in self._parameters or name in self._modules:
            raise KeyError(f"register_buffer: attribute {name!r} already exists")
        self._buffers[name] = tensor
        (self._non_persistent.discard if persistent else self._non_persistent.add)(name)
        object.__setattr__(self, name, tensor)

    def register_parameter(self, name: str, param: Optional[Parameter]) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: cannot assign {type(param).__name__} object to parameter "
                            f"{name!r} (a Parameter or None is required)")
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name: str, module: Optional["Module"]) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {type(module).__name__} is not a Module subclass")
        if not isinstance(name, str) or "." in name or name == "":
            raise KeyError(f"add_module: module name must be a non-empty string without '.', got {name!r}")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> "Module":
        mod: Module = self
        for part in target.split(".") if target else []:
            child = mod._modules.get(part)
            if child is None:
                raise AttributeError(f"get_submodule: {type(mod).__name__} has no submodule {part!r}")
            mod = child
        return mod

    def apply(self, fn: Callable[["Module"], Any]) -> "Module":
        """Call ``fn`` on every submodule (children first) and then on self, as torch does:
        d2l's ``net.apply(init_weights)``."""
        for child in self._modules.values():
            if child is not None:
                child.apply(fn)
        fn(self)
        return self

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

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
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:  # depth first, children in registration order, each module once
            name, mod = stack.pop()
            if id(mod) in seen:
                continue
            seen.add(id(mod))
            yield name, mod
            for child_name, child in reversed(list(mod._modules.items())):
                if child is not None:
                    stack.append((f"{name}.{child_name}" if name else child_name, child))

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        for mod_name, mod in self.named_modules(prefix):
            for name, b in mod._buffers.items():
                if b is not None:
                    yield (f"{mod_name}.{name}" if mod_name else name), b

    def buffers(self) -> Iterator[Tensor]:
        return (b for _, b in self.named_buffers())

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        return ((k, m) for k, m in self._modules.items() if m is not None)

    def modules(self) -> Iterator["Module"]:
        return (m for _, m in self.named_modules())

    def children(self) -> Iterator["Module"]:
        return (m for _, m in self.named_children())  # a child registered as None is not one

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
    def to(self, *args: Any, **kwargs: Any) -> "Module":
        """``to(dtype)`` casts every floating parameter and buffer in place (the Parameter objects
        stay the same); ``to(device)`` accepts only the CPU, as for tensors."""
        from ..device import check_device, device
        dtype = kwargs.pop("dtype", None)
        check_device("Module.to", kwargs.pop("device", None))
        for a in args:
            if isinstance(a, (str, device)) or (isinstance(a, int) and not isinstance(a, bool)):
                check_device("Module.to", a)
            elif isinstance(a, Tensor):
                dtype = a.dtype
            else:
                dtype = a
        if dtype is None:
            return self
        for t in list(self.parameters()) + list(self.buffers()):
            if t.dtype.kind != "f":
                continue
            if getattr(t, "_uninitialized", False):  # a lazy layer's, before its first call (lazy.py)
                cast(Any, t)._retype(dtype)
                continue
            t.array = t.array.astype(dtype)
            t._version[0] += 1
            if t.grad is not None:
                t.grad = Tensor._from_op(t.grad.array.astype(dtype))
        return self

    def cpu(self) -> "Module":
        return self

    def cuda(self, device: Any = None) -> "Module":
        from ..device import check_device
        check_device("Module.cuda", "cuda" if device is None else device)
        return self  # pragma: no cover

    def double(self) -> "Module":
        return self.to(np.float64)

    def float(self) -> "Module":
        return self.to(np.float32)

    # -- state
    def _state_entries(self) -> "OrderedDict[str, Tensor]":
        """Parameters and persistent buffers in torch's order: each module's own parameters, then
        its own buffers, then its children's, under dotted names ('0.weight', 'bn.running_mean')."""
        out: "OrderedDict[str, Tensor]" = OrderedDict()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:  # every path, not each module once: a shared layer is saved under each name
            mod_name, mod = stack.pop()
            stack.extend((f"{mod_name}.{k}" if mod_name else k, m)
                         for k, m in reversed(list(mod._modules.items())) if m is not None)
            prefix = f"{mod_name}." if mod_name else ""
            for name, p in mod._parameters.items():
                if p is not None:
                    out[prefix + name] = p
            for name, b in mod._buffers.items():
                if b is not None and name not in mod._non_persistent:
                    out[prefix + name] = b
        return out

    def state_dict(self) -> "OrderedDict[str, Tensor]":
        """Parameters and buffers by torch's dotted names (e.g. '0.weight'), as detached tensors
        sharing memory."""
        return OrderedDict((name, t.detach()) for name, t in self._state_entries().items())

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> tuple[list[str], list[str]]:
        """Copy values into the parameters and buffers; returns (missing_keys, unexpected_keys). With
        strict, missing or unexpected keys raise; a shape mismatch always raises; nothing changes on error."""
        own = self._state_entries()
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        arrays = {}
        for k, v in state.items():
            if k in own:
                arr = v.detach().numpy() if isinstance(v, Tensor) else np.asarray(v)
                if getattr(own[k], "_uninitialized", False):  # a lazy layer's: it takes the loaded shape
                    arrays[k] = arr
                    continue
                if arr.shape != own[k].shape:
                    raise RuntimeError(f"load_state_dict: size mismatch for {k}: copying a param with "
                                       f"shape {arr.shape}, the parameter in the model has shape {own[k].shape}")
                arrays[k] = arr
        if strict and (missing or unexpected):
            raise RuntimeError(f"load_state_dict: error(s) in loading state_dict for {type(self).__name__}: "
                               f"missing keys {missing}, unexpected keys {unexpected}")
        for k, arr in arrays.items():
            if getattr(own[k], "_uninitialized", False):
                cast(Any, own[k]).materialize(arr.shape)
            own[k].data.copy_(arr)
        return _IncompatibleKeys(missing, unexpected)

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


class _IncompatibleKeys(tuple):
    """(missing_keys, unexpected_keys), also readable by name, as torch returns them."""

    def __new__(cls, missing: list[str], unexpected: list[str]) -> "_IncompatibleKeys":
        return super().__new__(cls, (missing, unexpected))

    @property
    def missing_keys(self) -> list[str]:
        return self[0]

    @property
    def unexpected_keys(self) -> list[str]:
        return self[1]


class Sequential(Module):
    """Modules applied in order; indexable (net[0].weight) like torch.nn.Sequential."""

    def __init__(self, *layers: Any) -> None:
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], OrderedDict):
            for name, layer in layers[0].items():
                self.add_module(name, layer)
        else:
            for i, layer in enumerate(layers):
                self.add_module(str(i), layer)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return Sequential(OrderedDict(list(self._modules.items())[i]))
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(cast("list[Module]", list(self._modules.values())))  # as torch: a None entry too

    def append(self, module: Module) -> "Sequential":
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x: Any) -> Any:
        for layer in self:
            x = layer(x)
        return x


class ModuleList(Module):
    """A list of modules, registered under '0', '1', ... (torch.nn.ModuleList)."""

    def __init__(self, modules: Optional[Iterable[Module]] = None) -> None:
        super().__init__()
        for m in modules or []:
            self.append(m)

    def append(self, module: Module) -> "ModuleList":
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> "ModuleList":
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, i: Any) -> Any:
        items = list(self)
        return ModuleList(items[i]) if isinstance(i, slice) else items[i]

    def __setitem__(self, i: int, module: Module) -> None:
        self.add_module(list(self._modules)[i], module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(cast("list[Module]", list(self._modules.values())))  # as torch: a None entry too


class ModuleDict(Module):
    """A dict of modules registered under their keys (torch.nn.ModuleDict)."""

    def __init__(self, modules: Optional[Any] = None) -> None:
        super().__init__()
        for k, m in (dict(modules) if modules is not None else {}).items():
            self[k] = m

    def __getitem__(self, key: str) -> Module:
        return cast(Module, self._modules[key])

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self) -> Any:
        return self._modules.keys()

    def values(self) -> Any:
        return self._modules.values()

    def items(self) -> Any:
        return self._modules.items()


class ParameterList(Module):
    """A list of parameters, registered under '0', '1', ... (torch.nn.ParameterList)."""

    def __init__(self, values: Optional[Iterable[Any]] = None) -> None:
        super().__init__()
        for v in values or []:
            self.append(v)

    def append(self, value: Any) -> "ParameterList":
        p = value if isinstance(value, Parameter) else Parameter(value)
        self.register_parameter(str(len(self)), p)
        return self

    def __getitem__(self, i: int) -> Parameter:
        return cast(Parameter, list(self._parameters.values())[i])

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(cast("list[Parameter]", list(self._parameters.values())))


class DataParallel(Module):
    """torch.nn.DataParallel as it behaves without CUDA GPUs (always, here): it keeps ``module``
    and runs it as it is; its parameters appear under ``module.`` in the state dict, as torch's
    do. d2l's train_ch13 wraps every network in one."""

    def __init__(self, module: Module, device_ids: Optional[Iterable[Any]] = None, output_device: Any = None,
                 dim: int = 0) -> None:
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: expected an nn.Module to wrap, got {type(module).__name__}")
        self.module = module
        self.dim = dim

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
