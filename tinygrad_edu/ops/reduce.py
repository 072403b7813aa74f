"""Reductions: many input elements -> one output element.

The backward of a reduction *spreads* the output gradient back over the elements that were
reduced: a sum gives every element the same gradient (a broadcast, "sum in reverse"), a max
gives it only to the element(s) that won.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..autograd import Function, Grads


def _keepdim_shape(shape: tuple[int, ...], axes: Optional[tuple[int, ...]]) -> tuple[int, ...]:
    """The shape a reduction over ``axes`` has with keepdim=True (all dims if axes is None)."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


class Sum(Function):
    """y = sum of x over ``axes``.   dy/dx_i = 1 for every summed element, so the gradient is
    the output gradient broadcast back to x's shape."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axes: Optional[tuple[int, ...]] = None,
                keepdim: bool = False) -> np.ndarray:
        ctx.in_shape = x.shape
        ctx.kept = _keepdim_shape(x.shape, axes)
        return np.asarray(x.sum(axis=axes, keepdims=keepdim, dtype=x.dtype))  # NumPy would widen int32

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return np.broadcast_to(grad.reshape(ctx.kept), ctx.in_shape)


class Max(Function):
    """y = max of all elements of x.

    dy/dx_i = 1/k for each of the k elements equal to the maximum, 0 elsewhere: on ties the
    gradient is split evenly (torch's rule for a whole-tensor max/amax).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.asarray(x.max())
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, y = ctx.saved
        winners = x == y
        return winners * (grad / winners.sum()).astype(x.dtype)


class Min(Max):
    """y = min of all elements of x.   dy/dx_i = 1/k for each of the k elements equal to the
    minimum, 0 elsewhere (the backward is Max's: it gives the gradient to the elements equal to y)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        y = np.asarray(x.min())
        ctx.save_for_backward(x, y)
        return y


class TakeAlongDim(Function):
    """y = x picked along ``dim`` at the given index in each slice: max(x, dim) and min(x, dim)
    pass the index of the winner (``argmax``/``argmin``).

    dy/dx = 1 at the picked index and 0 elsewhere: with ties the whole gradient goes to the
    index that was returned (the first maximum or minimum), as torch.max(x, dim) does.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int, keepdim: bool, index: np.ndarray) -> np.ndarray:
        idx = np.expand_dims(index, dim)
        values = np.take_along_axis(x, idx, axis=dim)
        ctx.save_for_backward(idx)
        ctx.in_shape, ctx.dim = x.shape, dim
        return values if keepdim else np.squeeze(values, axis=dim)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (idx,) = ctx.saved
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        np.put_along_axis(out, idx, grad.reshape(idx.shape), axis=ctx.dim)
        return out


class CumSum(Function):
    """y_i = x_0 + x_1 + ... + x_i along ``dim`` (a running total).

    dy_i/dx_j = 1 for j <= i, so dL/dx_j = sum over i >= j of dL/dy_i: the running total of the
    gradient taken from the *other* end (flip, cumsum, flip back).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        return np.cumsum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        flipped = np.flip(grad, axis=ctx.dim)
        return np.flip(np.cumsum(flipped, axis=ctx.dim), axis=ctx.dim)


class Norm(Function):
    """y = ||x||_p over ``axes`` = (sum |x_i|^p)^(1/p); p = inf gives max |x_i|.

    dy/dx_i = sign(x_i) |x_i|^(p-1) / y^(p-1); for p = 2 that is x_i / y, for p = 1 sign(x_i).
    For p = inf the gradient sign(x_i) goes to the elements with |x_i| = y, split evenly among
    ties. Where y = 0 every formula divides 0 by 0, and for p < 1 |x_i|^(p-1) is infinite at
    x_i = 0; the gradient is taken as 0 there, as torch does (a subgradient), rather than the nan
    that sqrt(sum(x*x)) composed from primitives gives.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, p: float, axes: Optional[tuple[int, ...]], keepdim: bool) -> np.ndarray:
        a = np.abs(x)
        if p == np.inf:
            y = a.max(axis=axes, keepdims=True, initial=0)
        elif p == 1:
            y = a.sum(axis=axes, keepdims=True)
        else:  # ||x|| = m * ||x / m|| with m = max |x|: |x|^p neither underflows nor overflows
            m = a.max(axis=axes, keepdims=True, initial=0)
            m = np.where((m == 0) | ~np.isfinite(m), 1, m).astype(x.dtype)
            scaled = a / m
            y = m * (np.sqrt((scaled * scaled).sum(axis=axes, keepdims=True)) if p == 2 else
                     ((scaled ** p).sum(axis=axes, keepdims=True)) ** (1.0 / p))
        ctx.save_for_backward(x, y)
        ctx.p, ctx.kept = p, y.shape
        return y if keepdim else np.asarray(y.reshape(_squeezed(x.shape, axes)))

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, y = ctx.saved
        p, g = ctx.p, grad.reshape(ctx.kept)
        if p == np.inf:
            winners = np.abs(x) == y
            local = np.sign(x) * winners / winners.sum(axis=None if y.size == 1 else
                                                      tuple(i for i, s in enumerate(ctx.kept) if s == 1),
                                                      keepdims=True)
        elif p == 2:
            local = x / np.where(y == 0, 1, y)
        elif p == 1:
            local = np.sign(x)
        else:
            safe = np.where(x == 0, 1, np.abs(x))  # |x|^(p-1) is infinite at 0 for p < 1: torch gives 0
            local = np.where(x == 0, 0, np.sign(x) * safe ** (p - 1)) / np.where(y == 0, 1, y) ** (p - 1)
        return np.where(y == 0, 0, g * local).astype(x.dtype, copy=False)


def _squeezed(shape: tuple[int, ...], axes: Optional[tuple[int, ...]]) -> tuple[int, ...]:
    if axes is None:
        return ()
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _exclusive_products(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) with left_i = x_0 ... x_{i-1} and right_i = x_{i+1} ... x_{n-1} along ``axis``
    (empty products are 1). Their product is the product of all elements but x_i, found without
    dividing by x_i, so it stays exact when some x_j are 0."""
    ones = np.ones_like(np.take(x, [0], axis=axis))
    head = np.take(x, np.arange(x.shape[axis] - 1), axis=axis)
    tail = np.take(x, np.arange(1, x.shape[axis]), axis=axis)
    left = np.concatenate([ones, np.cumprod(head, axis=axis)], axis=axis)
    right = np.flip(np.concatenate([ones, np.cumprod(np.flip(tail, axis=axis), axis=axis)], axis=axis), axis=axis)
    return left, right


class Prod(Function):
    """y = x_0 * x_1 * ... * x_{n-1} along ``dim`` (all elements when dim is None).

    dy/dx_i = product of all x_j with j != i. Writing it as y / x_i fails when x_i = 0, so it is
    computed as (product of the elements before i) * (product of the elements after i).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: Optional[int], keepdim: bool) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.dim, ctx.keepdim = dim, keepdim
        if dim is None:
            return np.asarray(np.prod(x), dtype=x.dtype)
        return np.prod(x, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        if ctx.dim is None:
            left, right = _exclusive_products(x.reshape(-1), 0)
            return (grad * left * right).reshape(x.shape)
        left, right = _exclusive_products(x, ctx.dim)
        g = grad if ctx.keepdim else np.expand_dims(grad, ctx.dim)
        return g * left * right


class CumProd(Function):
    """y_k = x_0 * x_1 * ... * x_k along ``dim`` (a running product).

    dy_k/dx_i = prod_{j <= k, j != i} x_j for i <= k, so dL/dx_i = sum_{k >= i} g_k *
    (x_0 ... x_{i-1}) * (x_{i+1} ... x_k). The code forms P[i, k] = x_{i+1} ... x_k for every
    pair (an n x n matrix per row, so O(n^2) memory along ``dim``) instead of dividing y_k by x_i,
    which would fail where x_i = 0.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.dim = dim
        return np.cumprod(x, axis=dim)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (x,) = ctx.saved
        xs, gs = np.moveaxis(x, ctx.dim, -1), np.moveaxis(grad, ctx.dim, -1)
        n = xs.shape[-1]
        later = np.triu(np.ones((n, n), dtype=bool), 1)                 # j > i
        factors = np.where(later, xs[..., None, :], np.ones((), dtype=x.dtype))  # [..., i, j]
        partial = np.cumprod(factors, axis=-1)                           # [i, k] = prod_{i<j<=k} x_j
        partial = np.where(later | np.eye(n, dtype=bool), partial, 0)    # only k >= i counts
        left, _ = _exclusive_products(xs, -1) if n else (xs, xs)
        gx = left * np.einsum("...ik,...k->...i", partial, gs)
        return np.moveaxis(gx, -1, ctx.dim)
