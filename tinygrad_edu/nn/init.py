"""Weight initialisation, in place and outside the graph, with torch's formulas.

fan_in / fan_out of a weight of shape (out, in, *kernel) are in * prod(kernel) and
out * prod(kernel).
"""
from __future__ import annotations

import math
from typing import TypeVar

from ..autograd import no_grad
from ..tensor import Tensor

T = TypeVar("T", bound=Tensor)  # each initialiser returns the tensor it was given (a Parameter stays one)


def _fans(t: Tensor) -> tuple[int, int]:
    if t.ndim < 2:
        raise ValueError(f"init: fan in and fan out can not be computed for a tensor with fewer than "
                         f"2 dimensions (shape {t.shape})")
    receptive = math.prod(t.shape[2:])
    return t.shape[1] * receptive, t.shape[0] * receptive


def normal_(t: T, mean: float = 0.0, std: float = 1.0) -> T:
    with no_grad():
        t.normal_(mean, std)
    return t


def uniform_(t: T, a: float = 0.0, b: float = 1.0) -> T:
    with no_grad():
        t.uniform_(a, b)
    return t


def zeros_(t: T) -> T:
    with no_grad():
        t.zero_()
    return t


def constant_(t: T, val: float) -> T:
    with no_grad():
        t.fill_(val)
    return t


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """torch's recommended gains: 1 for linear/sigmoid, 5/3 for tanh, sqrt(2) for relu,
    sqrt(2 / (1 + a^2)) for leaky_relu with slope a."""
    if nonlinearity in ("linear", "conv2d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope ** 2))
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def xavier_uniform_(t: T, gain: float = 1.0) -> T:
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio)."""
    fan_in, fan_out = _fans(t)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound)


def kaiming_uniform_(t: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu") -> Tensor:
    """U(-b, b) with b = gain * sqrt(3 / fan) (He et al.); torch's default for Linear/Conv2d
    weights is a = sqrt(5), which gives b = 1 / sqrt(fan_in)."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming_uniform_: mode {mode!r} not supported, use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _fans(t)
    fan = fan_in if mode == "fan_in" else fan_out
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan) if fan else 0.0
    return uniform_(t, -bound, bound)


def kaiming_normal_(t: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu") -> Tensor:
    """N(0, s^2) with s = gain / sqrt(fan) (He et al.); torchvision's ResNet and VGG use
    mode='fan_out', nonlinearity='relu', which gives s = sqrt(2 / fan_out)."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming_normal_: mode {mode!r} not supported, use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _fans(t)
    fan = fan_in if mode == "fan_in" else fan_out
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan) if fan else 0.0
    return normal_(t, 0.0, std)  # type: ignore[return-value]


def ones_(t: T) -> T:
    """Fill with 1."""
    return constant_(t, 1.0)
