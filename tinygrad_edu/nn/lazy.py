"""Lazy layers: ``nn.LazyLinear(10)`` reads its input size from the first batch, with torch's
semantics, which d2l 1.0 builds nearly every model on.

Before the first call a lazy layer already has its parameters, as *uninitialized* ones:

- ``parameters()``, ``named_parameters()`` and ``state_dict()`` list them, and an optimizer
  accepts them, so ``SGD(net.parameters(), ...)`` may come before the first batch;
- ``.data`` is an empty tensor, so ``net.weight.data.normal_(0, 0.01)`` does nothing (d2l's
  ``LinearRegression`` writes that line right after ``nn.LazyLinear(1)``); ``dtype``,
  ``requires_grad`` and ``grad`` answer; any other use raises torch's error.

The first call *materializes* them in place: the same objects get their arrays (so the optimizer
built before trains them, its state keyed by them), the layer draws its default initial values,
and the layer becomes its ordinary class (``type(m) == nn.Linear`` is then true, so d2l's
``net.apply(init_fn)`` after a dry run finds it). ``load_state_dict`` materializes them with the
loaded shapes instead.

Materializing changes an object's class (``UninitializedParameter`` -> ``Parameter``,
``LazyLinear`` -> ``Linear``), as torch does: it is the one way to keep every reference to the
object (optimizer, state dicts, user variables) valid.
"""
from __future__ import annotations

from typing import Any, Optional, cast

import numpy as np

from ..autograd import no_grad
from ..tensor import Size, Tensor, get_default_dtype
from .layers import Conv2d, Linear
from .module import Module, Parameter
from .normalization import BatchNorm1d, BatchNorm2d, _BatchNorm

_IN_USE = ("Attempted to use an uninitialized parameter in {}. This error happens when you are using a "
           "`LazyModule` or explicitly manipulating `torch.nn.parameter.UninitializedParameter` objects. When "
           "using LazyModules Call `forward` with a dummy batch to initialize the parameters before calling "
           "torch functions")
_SHAPE = ("Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
          "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
          "`forward` to initialize the parameters before accessing their attributes.")


class UninitializedTensorMixin:
    """A tensor without an array yet: every use but the few listed in the module docstring raises."""

    _uninitialized = True
    cls_to_become: type = Tensor
    _empty: np.ndarray
    _ctx: Any
    _version: list[int]

    def _start(self, requires_grad: bool, dtype: Any) -> None:
        self._empty = np.empty((0,), np.dtype(dtype) if dtype is not None else get_default_dtype())
        self.grad: Optional[Tensor] = None
        self._ctx = None
        self._retains_grad = False
        self._version = [0]
        self.requires_grad = requires_grad

    @property  # type: ignore[override]
    def array(self) -> np.ndarray:
        raise ValueError(_IN_USE.format("an operation"))

    @array.setter
    def array(self, value: np.ndarray) -> None:
        raise ValueError(_IN_USE.format("an assignment"))

    @property
    def shape(self) -> Any:
        raise RuntimeError(_SHAPE)

    @property
    def dtype(self) -> np.dtype:
        return self._empty.dtype

    @property  # type: ignore[override]
    def data(self) -> Tensor:
        """An empty tensor (torch's): filling it in place changes nothing."""
        return Tensor._from_op(self._empty)

    @data.setter
    def data(self, value: Any) -> None:
        raise ValueError(_IN_USE.format("the .data setter"))

    def size(self, dim: Optional[int] = None) -> Any:
        return Size(self._empty.shape) if dim is None else self._empty.shape[dim]

    def detach(self) -> Any:
        return self  # state_dict lists the uninitialized object itself, as torch's

    def _retype(self, dtype: Any) -> None:
        """Module.to(dtype) before the first call: the array will have this dtype."""
        self._empty = self._empty.astype(dtype)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give the tensor an (uninitialized) array of ``shape``; it becomes ``cls_to_become``."""
        array = np.empty(tuple(int(s) for s in shape), np.dtype(dtype) if dtype is not None else self._empty.dtype)
        del self._empty
        self.__class__ = self.cls_to_become
        self.array = array

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter of a lazy layer before its first call; it becomes a Parameter."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        self._start(requires_grad, dtype)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer (running statistics) of a lazy layer before its first call; it becomes a Tensor."""

    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None) -> None:
        self._start(requires_grad, dtype)


def is_uninitialized(t: Any) -> bool:
    return getattr(t, "_uninitialized", False)


def _pending(t: Any) -> UninitializedTensorMixin:
    """``t`` as the uninitialized tensor it is until materialized (for the type checker)."""
    return cast(UninitializedTensorMixin, t)


class LazyModuleMixin:
    """The first call infers the shapes (``initialize_parameters``), then the module becomes
    ``cls_to_become`` and runs as that class from then on."""

    cls_to_become: Optional[type] = None
    _parameters: Any
    _buffers: Any

    def has_uninitialized_params(self) -> bool:
        own = list(self._parameters.values()) + list(self._buffers.values())
        return any(is_uninitialized(t) for t in own)

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():  # pragma: no cover
            raise RuntimeError(f"module {type(self).__name__} has not been fully initialized")
        self.__class__ = self.cls_to_become  # type: ignore[assignment]
        return self(*args, **kwargs)


def _check_input(layer: str, x: Any) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{layer}: expected a Tensor input to infer its size from, got {type(x).__name__}")


class LazyLinear(LazyModuleMixin, Linear):
    """A Linear whose ``in_features`` comes from the last dim of its first input."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        Module.__init__(self)
        self.in_features, self.out_features = 0, out_features
        self.weight = UninitializedParameter(dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)
        else:
            self.register_parameter("bias", None)

    def initialize_parameters(self, input: Any) -> None:
        _check_input("LazyLinear", input)
        if self.has_uninitialized_params():
            if input.ndim == 0:
                raise RuntimeError(f"LazyLinear: expected an input with at least 1 dim, got shape {input.shape}")
            with no_grad():
                self.in_features = input.shape[-1]
                _pending(self.weight).materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    _pending(self.bias).materialize((self.out_features,))
                self.reset_parameters()
        else:  # loaded by load_state_dict
            self.in_features = self.weight.shape[1]


class LazyConv2d(LazyModuleMixin, Conv2d):
    """A Conv2d whose ``in_channels`` comes from its first input ((C, H, W) or (N, C, H, W))."""

    cls_to_become = Conv2d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        from . import functional as F
        Module.__init__(self)
        kh, kw = F._pair(kernel_size, "kernel_size", "LazyConv2d")
        self.in_channels, self.out_channels, self.kernel_size = 0, out_channels, (kh, kw)
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.weight = UninitializedParameter(dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)
        else:
            self.register_parameter("bias", None)

    def initialize_parameters(self, input: Any) -> None:
        _check_input("LazyConv2d", input)
        if not self.has_uninitialized_params():
            self.in_channels = self.weight.shape[1] * self.groups
            return
        if input.ndim not in (3, 4):
            raise RuntimeError(f"LazyConv2d: expected 3D (unbatched) or 4D (batched) input, got shape {input.shape}")
        in_channels = input.shape[-3]
        if in_channels % self.groups:
            raise ValueError(f"LazyConv2d: in_channels ({in_channels}) must be divisible by groups ({self.groups})")
        with no_grad():
            self.in_channels = in_channels
            _pending(self.weight).materialize((self.out_channels, in_channels // self.groups, *self.kernel_size))
            if self.bias is not None:
                _pending(self.bias).materialize((self.out_channels,))
            self.reset_parameters()


class _LazyBatchNorm(LazyModuleMixin, _BatchNorm):
    def __init__(self, eps: float = 1e-05, momentum: Optional[float] = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None) -> None:
        Module.__init__(self)
        self.num_features, self.eps, self.momentum = 0, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        for name in ("weight", "bias"):
            if affine:
                setattr(self, name, UninitializedParameter(dtype=dtype))
            else:
                self.register_parameter(name, None)
        for name in ("running_mean", "running_var"):
            self.register_buffer(name, UninitializedBuffer(dtype=dtype) if track_running_stats else None)
        self.register_buffer("num_batches_tracked",
                             Tensor(np.zeros((), np.int64)) if track_running_stats else None)

    def initialize_parameters(self, input: Any) -> None:
        _check_input(type(self).__name__, input)
        if not self.has_uninitialized_params():
            return
        if input.ndim < 2:
            raise ValueError(f"{type(self).__name__}: expected at least 2D input, got shape {input.shape}")
        with no_grad():
            self.num_features = input.shape[1]
            for t in (self.weight, self.bias, self.running_mean, self.running_var):
                if t is not None:
                    _pending(t).materialize((self.num_features,))
            self.reset_parameters()


class LazyBatchNorm1d(_LazyBatchNorm):
    """A BatchNorm1d whose ``num_features`` comes from dim 1 of its first input."""
    cls_to_become = BatchNorm1d
    _dims = (2, 3)


class LazyBatchNorm2d(_LazyBatchNorm):
    """A BatchNorm2d whose ``num_features`` comes from dim 1 of its first input."""
    cls_to_become = BatchNorm2d
    _dims = (4,)
