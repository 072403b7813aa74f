"""More elementwise functions of one input: trigonometric and hyperbolic functions, log1p and
expm1 (accurate near 0), the error function (for GELU), and the piecewise-constant functions
(floor, ceil, trunc, round, sign) whose derivative is 0 wherever it exists.

Each class states y = f(x) and dy/dx; backward multiplies the incoming gradient by dy/dx
elementwise (the chain rule for a function applied to each element on its own).
"""
from __future__ import annotations

import math
from typing import Callable


import numpy as np

from ..autograd import Function, Grads


class Tan(Function):
    """y = tan x.   dy/dx = 1 / cos^2 x = 1 + y^2."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad * (1 + y * y)


class Atan(Function):
    """y = arctan x.   dy/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / (1 + x * x)


class Asin(Function):
    """y = arcsin x (|x| <= 1).   dy/dx = 1 / sqrt(1 - x^2), infinite at x = +-1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / np.sqrt(1 - x * x)


class Acos(Function):
    """y = arccos x (|x| <= 1).   dy/dx = -1 / sqrt(1 - x^2) (arccos = pi/2 - arcsin)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return -grad / np.sqrt(1 - x * x)


class Sinh(Function):
    """y = sinh x = (e^x - e^-x) / 2.   dy/dx = cosh x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad * np.cosh(x)


class Cosh(Function):
    """y = cosh x = (e^x + e^-x) / 2.   dy/dx = sinh x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad * np.sinh(x)


class Asinh(Function):
    """y = arsinh x = ln(x + sqrt(x^2 + 1)).   dy/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / np.sqrt(x * x + 1)


class Acosh(Function):
    """y = arcosh x (x >= 1).   dy/dx = 1 / sqrt(x^2 - 1), infinite at x = 1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / np.sqrt(x * x - 1)


class Atanh(Function):
    """y = artanh x (|x| < 1).   dy/dx = 1 / (1 - x^2), infinite at x = +-1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arctanh(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / (1 - x * x)


class Log1p(Function):
    """y = ln(1 + x), computed without forming 1 + x (exact for tiny x).   dy/dx = 1 / (1 + x)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / (1 + x)


class Expm1(Function):
    """y = e^x - 1, exact for tiny x.   dy/dx = e^x = y + 1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad * (y + 1)


_erf = np.vectorize(math.erf, otypes=[np.float64])  # NumPy has no erf; math.erf is exact to 1 ulp


class Erf(Function):
    """y = erf x = 2/sqrt(pi) * integral_0^x e^(-t^2) dt.   dy/dx = 2/sqrt(pi) * e^(-x^2).

    (Element by element through math.erf: correct but slow, about 0.1 us per element.)"""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _erf(x).astype(x.dtype, copy=False) if x.size else x.copy()

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad * (2 / math.sqrt(math.pi)) * np.exp(-x * x)


class Stepwise(Function):
    """y = floor x, ceil x, trunc x, round x (halves to even) or sign x: constant between jumps.

    dy/dx = 0 wherever the derivative exists (at a jump it does not; torch, like us, uses 0), so
    no gradient flows through these: a network cannot learn through rounding."""

    FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "floor": np.floor, "ceil": np.ceil, "trunc": np.trunc, "round": np.round, "sign": np.sign}

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, fn: str) -> np.ndarray:
        return Stepwise.FUNCTIONS[fn](x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return np.zeros_like(grad)


def _sum_to(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    from .elementwise import unbroadcast
    return unbroadcast(grad, shape)


class Remainder(Function):
    """y = a mod b = a - floor(a / b) * b, with the sign of b (Python's %, torch.remainder).

    dy/da = 1 and dy/db = -floor(a / b): between the jumps of floor, y is a minus a constant
    multiple of b. (The value is computed the way torch and Python compute it, from fmod.)"""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.remainder(a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b = ctx.saved
        ga = _sum_to(grad, a.shape) if ctx.needs_input_grad[0] else None
        gb = _sum_to(-grad * np.floor_divide(a, b), b.shape) if ctx.needs_input_grad[1] else None
        return ga, gb


class Fmod(Function):
    """y = fmod(a, b) = a - trunc(a / b) * b, with the sign of a (C's fmod, torch.fmod).

    dy/da = 1 and dy/db = -trunc(a / b): between the jumps of trunc, y is a minus a constant
    multiple of b. The value is NumPy's fmod, exact as C's."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):  # fmod(a, 0) is nan, as torch's
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b = ctx.saved
        ga = _sum_to(grad, a.shape) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                gb = _sum_to(-grad * np.trunc(a / b), b.shape)
        return ga, gb


class LogCumSumExp(Function):
    """y_i = log(sum_{j <= i} exp(x_j)) along ``dim``, as a running logaddexp (nothing overflows).

    dy_i/dx_j = exp(x_j - y_i) for j <= i, so dL/dx_j = sum_{i >= j} g_i exp(x_j - y_i). Computed
    in log space as torch does: the positive and the negative parts of g separately,
    exp(x_j + reverse-logcumsumexp(log|g_i| - y_i)), so no exp overflows either."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int = 0) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            y = np.logaddexp.accumulate(x, axis=dim)
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, y = ctx.saved
        d = ctx.dim

        def reverse_logcumsumexp(a: np.ndarray) -> np.ndarray:
            return np.flip(np.logaddexp.accumulate(np.flip(a, d), axis=d), d)

        with np.errstate(invalid="ignore", divide="ignore", over="ignore", under="ignore"):
            parts = []
            for g in (np.where(grad > 0, grad, 0), np.where(grad < 0, -grad, 0)):
                log_g = np.where(g > 0, np.log(np.where(g > 0, g, 1)), -np.inf) - y
                log_g = np.where(np.isnan(log_g), -np.inf, log_g)  # g = 0 where y = -inf
                parts.append(np.exp(x + reverse_logcumsumexp(log_g.astype(x.dtype))))
        return ((parts[0] - parts[1]).astype(x.dtype),)


class FloorDivide(Function):
    """y = floor(a / b), computed as Python's // (from fmod, so a / b rounding up to a whole
    number does not move y). Piecewise constant: dy/da = dy/db = 0."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.shapes = (a.shape, b.shape)
        return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        sa, sb = ctx.shapes
        return (np.zeros(sa, dtype=grad.dtype) if ctx.needs_input_grad[0] else None,
                np.zeros(sb, dtype=grad.dtype) if ctx.needs_input_grad[1] else None)
