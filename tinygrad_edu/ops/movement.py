"""Movement ops: they move, repeat or select elements without arithmetic.

Their backward passes move the gradient back to where each element came from: the inverse
reshape or permutation, a sum over repeats (expand), a scatter into zeros (indexing), a split
(cat).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd import Function, Grads
from ..indexing import is_advanced
from .elementwise import unbroadcast


class Reshape(Function):
    """y = x viewed with a new shape (same elements, same order).   dL/dx = dL/dy reshaped back."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return grad.reshape(ctx.in_shape)


class Permute(Function):
    """y = x with its dims reordered: y.shape[i] = x.shape[order[i]].
    dL/dx = dL/dy permuted by the inverse order."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
        ctx.inverse = tuple(np.argsort(order))
        return x.transpose(order)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return grad.transpose(ctx.inverse)


class Expand(Function):
    """y = x repeated along its size-1 dims (a broadcast, no copy).
    Every copy received a gradient, so dL/dx is their sum (:func:`unbroadcast`)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return unbroadcast(grad, ctx.in_shape)


class Copy(Function):
    """y = a fresh copy of x (``clone``), optionally cast to another dtype.
    dy/dx = 1; the gradient is cast back to x's dtype."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dtype: Any = None) -> np.ndarray:
        ctx.in_dtype = x.dtype
        return np.array(x, dtype=dtype if dtype is not None else x.dtype, copy=True)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return grad.astype(ctx.in_dtype, copy=False)


class Index(Function):
    """y = x[index] for an index already normalised by tinygrad_edu/indexing.py: ints, slices,
    None, Ellipsis, int64 arrays and bool masks (torch's rules, including its treatment of a
    plain integer as basic indexing, are applied there).

    dL/dx is zero except where y's elements were read from, which receive their gradient.
    With an array in the index an element can be read several times (``x[[0, 0, 2]]``); it then
    receives the *sum* of those gradients, so the scatter is ``np.add.at`` (unbuffered: repeated
    positions add up). Slices and ints never repeat an element, so a plain assignment does.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, index: tuple[Any, ...]) -> np.ndarray:
        ctx.index, ctx.in_shape = index, x.shape
        return x[index]

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        if is_advanced(ctx.index):
            np.add.at(out, ctx.index, grad)
        else:
            out[ctx.index] = grad
        return out


class IndexPut(Function):
    """y = x with y[index] = v: ``x[index] = v`` on a tensor inside the graph (torch records it
    the same way). ``steps`` is the normalised index as tinygrad_edu/indexing.py splits it: basic
    steps that select a view, then the step that is written.

    dL/dx = dL/dy with zeros where v was written (those elements of x were overwritten);
    dL/dv = dL/dy read at index, summed over the dims v was broadcast along (:func:`unbroadcast`).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, v: np.ndarray, steps: tuple[Any, ...]) -> np.ndarray:
        y = x.copy()
        target = IndexPut.select(y, steps)
        fitted = IndexPut.fit(v, target[steps[-1]].shape)
        target[steps[-1]] = fitted
        ctx.steps, ctx.v_shape, ctx.fitted_shape = steps, v.shape, fitted.shape
        return y

    @staticmethod
    def select(a: np.ndarray, steps: Sequence[Any]) -> np.ndarray:
        """The view of ``a`` that the last step indexes into."""
        for step in steps[:-1]:
            a = a[step]
        return a

    @staticmethod
    def fit(v: np.ndarray, selection: tuple[int, ...]) -> np.ndarray:
        """v without the leading size-1 dims torch drops before broadcasting it to the selection."""
        while v.ndim > len(selection) and v.shape[0] == 1:
            v = v.reshape(v.shape[1:])
        return v

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        dx = grad.copy()
        target = IndexPut.select(dx, ctx.steps)
        dv = np.array(target[ctx.steps[-1]])
        target[ctx.steps[-1]] = 0
        return dx, unbroadcast(dv, ctx.fitted_shape).reshape(ctx.v_shape)


class Cat(Function):
    """y = the inputs joined along ``dim``.   dL/d(input k) = the slice of dL/dy that input k filled."""

    @staticmethod
    def forward(ctx: Function, *xs: Any, dim: int) -> np.ndarray:
        ctx.dim = dim
        ctx.bounds = np.cumsum([x.shape[dim] for x in xs])[:-1]
        return np.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        return tuple(np.split(grad, ctx.bounds, axis=ctx.dim))
