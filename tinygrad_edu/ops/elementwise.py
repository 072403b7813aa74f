"""Elementwise ops: y_i = f(x_i) or y_i = f(a_i, b_i) with NumPy broadcasting.

For a binary op the forward broadcasts ``a`` and ``b`` to a common shape. In the backward pass
the gradient arrives with that broadcast shape and must be *summed* back to each input's own
shape: an input element that was repeated along a dimension contributed to every output
element along it (see :func:`unbroadcast`).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .. import parallel
from ..autograd import Function, Grads


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the backward of NumPy broadcasting.

    Broadcasting first prepends size-1 dims until both shapes have the same rank, then repeats
    every size-1 dim. Its adjoint sums over the prepended dims and over every dim where the
    input had size 1 (keeping that dim, with size 1).

    >>> g = np.ones((2, 3, 4))
    >>> unbroadcast(g, (3, 1)).tolist()      # summed over the prepended dim and over the last
    [[8.0], [8.0], [8.0]]
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


# ----------------------------------------------------------------------------- arithmetic

class Add(Function):
    """y = a + b.   dy/da = 1, dy/db = 1 (then summed back over broadcast dims)."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.shapes = (a.shape, b.shape)
        return a + b

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        sa, sb = ctx.shapes
        return (unbroadcast(grad, sa) if ctx.needs_input_grad[0] else None,
                unbroadcast(grad, sb) if ctx.needs_input_grad[1] else None)


class Sub(Function):
    """y = a - b.   dy/da = 1, dy/db = -1."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.shapes = (a.shape, b.shape)
        return a - b

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        sa, sb = ctx.shapes
        return (unbroadcast(grad, sa) if ctx.needs_input_grad[0] else None,
                unbroadcast(-grad, sb) if ctx.needs_input_grad[1] else None)


class Mul(Function):
    """y = a * b.   dy/da = b, dy/db = a."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b = ctx.saved
        return (unbroadcast(grad * b, a.shape) if ctx.needs_input_grad[0] else None,
                unbroadcast(grad * a, b.shape) if ctx.needs_input_grad[1] else None)


class Div(Function):
    """y = a / b.   dy/da = 1/b, dy/db = -a/b^2 = -(y/b), computed as (a/b)/b like torch to avoid
    overflowing b*b."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        y = a / b
        ctx.save_for_backward(a.shape, b, y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a_shape, b, y = ctx.saved
        return (unbroadcast(grad / b, a_shape) if ctx.needs_input_grad[0] else None,
                unbroadcast(-grad * (y / b), b.shape) if ctx.needs_input_grad[1] else None)


class Neg(Function):
    """y = -x.   dy/dx = -1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        return -x

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return -grad


class Pow(Function):
    """y = a ** b.

    dy/da = b * a^(b-1)   (taken as 0 where b == 0, so 0**0 has zero gradient, as in torch)
    dy/db = a^b * ln(a)   (taken as 0 where a == 0 and b >= 0, where ln(a) would give nan)
    """

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        y = np.power(a, b)
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b, y = ctx.saved
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = np.where(b == 0, 0, grad * b * np.power(a, b - 1)).astype(grad.dtype, copy=False)
            ga = unbroadcast(ga, a.shape)
        if ctx.needs_input_grad[1]:
            gb = np.where((a == 0) & (b >= 0), 0, grad * y * np.log(a)).astype(grad.dtype, copy=False)
            gb = unbroadcast(gb, b.shape)
        return ga, gb


# ----------------------------------------------------------------------------- unary math

class Exp(Function):
    """y = e^x.   dy/dx = e^x = y, so backward reuses the saved output."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad * y


class Log(Function):
    """y = ln x.   dy/dx = 1/x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad / x


class Sqrt(Function):
    """y = sqrt(x).   dy/dx = 1 / (2 sqrt(x)) = 1 / (2y)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad / (2 * y)


class Abs(Function):
    """y = |x|.   dy/dx = sign(x)  (0 at x = 0, as in torch)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad * np.sign(x)


class Relu(Function):
    """y = max(x, 0).   dy/dx = 1 where x > 0, else 0 (0 at x = 0, as in torch).

    Not shared between threads (see parallel.py): one pass forward and two backward, and its
    backward's boolean mask is a temporary that each part would allocate for itself, and split
    it was slower in some processes.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad * (y > 0)


def sigmoid_array(x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """1 / (1 + e^-x) of an array, in four passes (into ``out`` when given). Call it with NumPy's
    overflow warning off, as every op's forward and backward run (see Sigmoid)."""
    y = np.empty_like(x) if out is None else out  # explicit buffer: also for 0-d
    if parallel.pays(4 * x.size):  # large: in parts on each core
        return parallel.elementwise(_sigmoid_into, y, x, passes=4)
    _sigmoid_into(y, x)
    return y


def _sigmoid_into(y: np.ndarray, x: np.ndarray) -> None:
    np.negative(x, out=y)
    np.exp(y, out=y)
    y += 1
    np.reciprocal(y, out=y)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x).   dy/dx = y (1 - y).

    Evaluated as written, in four array passes (negate, exp, add 1, reciprocal). For x below
    about -88 (float32; -709 in float64) e^-x overflows to inf and y = 1/inf = 0, which is also
    torch's result there: the true value is under the smallest normal float. Everywhere else it
    is accurate to a few ulp (measured: relative error at most 2.2e-7 in float32 over
    [-120, 120], torch's 1.4e-7). An overflow-free form (z = e^-|x|, y = max(z, [x >= 0]) / (1 + z))
    needs seven passes and measured 40% slower; the overflow is harmless because ops run with
    NumPy's floating-point warnings off.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = sigmoid_array(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        if parallel.pays(3 * y.size) and grad.dtype == y.dtype and grad.shape == y.shape:
            return parallel.elementwise(_sigmoid_grad_into, np.empty_like(y), grad, y, passes=3)
        return grad * (y * (1 - y))


def _sigmoid_grad_into(out: np.ndarray, grad: np.ndarray, y: np.ndarray) -> None:
    """out = grad * y (1 - y), in three passes (the products round as grad * (y * (1 - y)))."""
    np.subtract(1, y, out=out)
    out *= y
    out *= grad


class Tanh(Function):
    """y = tanh x.   dy/dx = 1 - tanh^2 x = 1 - y^2."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad * (1 - y * y)


class Sin(Function):
    """y = sin x.   dy/dx = cos x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return grad * np.cos(x)


class Cos(Function):
    """y = cos x.   dy/dx = -sin x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        return -grad * np.sin(x)


# ----------------------------------------------------------------------------- max / min / clamp

def _split(ctx: Function, grad: np.ndarray, share_a: np.ndarray, a_shape: tuple[int, ...],
           b_shape: tuple[int, ...]) -> tuple[Optional[np.ndarray], Optional[np.ndarray]]:
    """Give input a the fraction ``share_a`` of the gradient and input b the rest."""
    share_a = share_a.astype(grad.dtype)
    return (unbroadcast(grad * share_a, a_shape) if ctx.needs_input_grad[0] else None,
            unbroadcast(grad * (1 - share_a), b_shape) if ctx.needs_input_grad[1] else None)


class Maximum(Function):
    """y = max(a, b) elementwise.   The gradient goes to the larger input; on a tie (a == b) it
    is split evenly, half to each, as in torch."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b = ctx.saved
        return _split(ctx, grad, (a > b) + 0.5 * (a == b), a.shape, b.shape)


class Minimum(Function):
    """y = min(a, b) elementwise.   The gradient goes to the smaller input; ties split evenly."""

    @staticmethod
    def forward(ctx: Function, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        a, b = ctx.saved
        return _split(ctx, grad, (a < b) + 0.5 * (a == b), a.shape, b.shape)


class Clamp(Function):
    """y = min(max(x, lo), hi).   dy/dx = 1 where lo < x < hi, else 0.

    At x == lo or x == hi the derivative does not exist; like torch we take 0 there.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, lo: Optional[float] = None, hi: Optional[float] = None) -> np.ndarray:
        ctx.save_for_backward(x, lo, hi)
        y = x
        if lo is not None:
            y = np.maximum(y, np.asarray(lo, dtype=x.dtype))
        if hi is not None:
            y = np.minimum(y, np.asarray(hi, dtype=x.dtype))
        return y if y is not x else x.copy()

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, lo, hi = ctx.saved
        inside = np.ones(x.shape, dtype=bool)
        if lo is not None:
            inside &= x > lo
        if hi is not None:
            inside &= x < hi
        return grad * inside


class Where(Function):
    """y = cond ? a : b.   dy/da = cond, dy/db = not cond; ``cond`` gets no gradient."""

    @staticmethod
    def forward(ctx: Function, cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(cond, a.shape, b.shape)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        cond, sa, sb = ctx.saved
        zero = np.zeros((), dtype=grad.dtype)
        return (None,
                unbroadcast(np.where(cond, grad, zero), sa) if ctx.needs_input_grad[1] else None,
                unbroadcast(np.where(cond, zero, grad), sb) if ctx.needs_input_grad[2] else None)
