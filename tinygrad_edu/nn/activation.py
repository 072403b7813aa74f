"""More layers with torch's names and constructor arguments: activations, LogSoftmax, the binary
cross-entropy losses, Conv1d and ConvTranspose2d. Each forward calls nn.functional."""
from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..tensor import Tensor, get_default_dtype
from . import functional as F
from . import init
from .layers import _Loss, _default_init, _empty_parameters
from .module import Module, Parameter


def _activation(name: str, fn: Any, params: tuple[tuple[str, Any], ...], doc: str) -> type:
    """A Module class whose forward is ``fn(x, **its constructor arguments)``."""
    def __init__(self: Module, *args: Any, **kwargs: Any) -> None:
        Module.__init__(self)
        names = [p for p, _ in params]
        if len(args) > len(names):
            raise TypeError(f"{name}() takes at most {len(names)} arguments ({len(args)} given)")
        values = dict(params)
        values.update(zip(names, args))
        for key, value in kwargs.items():
            if key not in values:
                raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
            values[key] = value
        for key, value in values.items():
            setattr(self, key, value)

    def forward(self: Module, input: Tensor) -> Tensor:
        return fn(input, **{p: getattr(self, p) for p, _ in params})

    def extra_repr(self: Module) -> str:
        return ", ".join(f"{p}={getattr(self, p)}" for p, _ in params)

    return type(name, (Module,), {"__init__": __init__, "forward": forward, "extra_repr": extra_repr,
                                  "__doc__": doc, "__module__": __name__})


LeakyReLU = _activation("LeakyReLU", F.leaky_relu, (("negative_slope", 0.01), ("inplace", False)), "F.leaky_relu")
ELU = _activation("ELU", F.elu, (("alpha", 1.0), ("inplace", False)), "F.elu")
CELU = _activation("CELU", F.celu, (("alpha", 1.0), ("inplace", False)), "F.celu")
SELU = _activation("SELU", F.selu, (("inplace", False),), "F.selu")
GELU = _activation("GELU", F.gelu, (("approximate", "none"),), "F.gelu")
SiLU = _activation("SiLU", F.silu, (("inplace", False),), "F.silu")
Softplus = _activation("Softplus", F.softplus, (("beta", 1.0), ("threshold", 20.0)), "F.softplus")
Hardtanh = _activation("Hardtanh", F.hardtanh, (("min_val", -1.0), ("max_val", 1.0), ("inplace", False)),
                       "F.hardtanh")
ReLU6 = _activation("ReLU6", F.relu6, (("inplace", False),), "F.relu6")
LogSigmoid = _activation("LogSigmoid", F.logsigmoid, (), "F.logsigmoid")


class LogSoftmax(Module):
    """log(softmax(x)) along ``dim`` (one fused, stable op)."""

    def __init__(self, dim: Optional[int] = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class BCELoss(_Loss):
    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                 reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                 reduce: Optional[bool] = None, reduction: str = "mean", pos_weight: Optional[Tensor] = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class L1Loss(_Loss):
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(None, None, reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class Conv1d(Module):
    """1-D convolution layer (torch's default initialisation, fan_in = in_channels/groups * k)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True) -> None:
        super().__init__()
        if groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(f"Conv1d: in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must be divisible by groups ({groups})")
        k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, (k,)
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.weight, self.bias = _empty_parameters((out_channels, in_channels // groups, k), bias)
        _default_init(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ConvTranspose2d(Module):
    """Transposed 2-D convolution layer: weight (in_channels, out_channels/groups, kH, kW); torch's
    default initialisation (its fan_in is computed from that weight's dim 1: out_channels/groups * kH * kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1) -> None:
        super().__init__()
        if groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(f"ConvTranspose2d: in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must be divisible by groups ({groups})")
        kh, kw = F._pair(kernel_size, "kernel_size", "ConvTranspose2d")
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, (kh, kw)
        self.stride, self.padding, self.output_padding = stride, padding, output_padding
        self.groups, self.dilation = groups, dilation
        self.weight, _ = _empty_parameters((in_channels, out_channels // groups, kh, kw), False)
        _default_init(self.weight, None)
        self.bias = None
        if bias:  # torch: U(+-1/sqrt(fan_in)) with fan_in from the weight's dim 1
            fan_in = init._fans(self.weight)[0]
            self.bias = init.uniform_(Parameter(np.empty(out_channels, dtype=get_default_dtype())),
                                      -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def forward(self, x: Tensor) -> Tensor:
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                  self.groups, self.dilation)


class Upsample(Module):
    """``F.interpolate`` as a layer."""

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: Optional[bool] = None, recompute_scale_factor: Optional[bool] = None) -> None:
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)
