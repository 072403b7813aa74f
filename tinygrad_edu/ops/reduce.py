"""Reductions: many input elements -> one output element.

The backward of a reduction *spreads* the output gradient back over the elements that were
reduced: a sum gives every element the same gradient (a broadcast, "sum in reverse"), a max
gives it only to the element(s) that won.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..autograd import Function


def _keepdim_shape(shape: tuple[int, ...], axes: Optional[tuple[int, ...]]) -> tuple[int, ...]:
    """The shape a reduction over ``axes`` has with keepdim=True (all dims if axes is None)."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


class Sum(Function):
    """y = sum of x over ``axes``.   dy/dx_i = 1 for every summed element, so the gradient is
    the output gradient broadcast back to x's shape."""

    @staticmethod
    def forward(ctx, x, axes: Optional[tuple[int, ...]] = None, keepdim: bool = False):
        ctx.in_shape = x.shape
        ctx.kept = _keepdim_shape(x.shape, axes)
        return np.asarray(x.sum(axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        return np.broadcast_to(grad.reshape(ctx.kept), ctx.in_shape)


class Max(Function):
    """y = max of all elements of x.

    dy/dx_i = 1/k for each of the k elements equal to the maximum, 0 elsewhere: on ties the
    gradient is split evenly (torch's rule for a whole-tensor max/amax).
    """

    @staticmethod
    def forward(ctx, x):
        y = np.asarray(x.max())
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved
        winners = x == y
        return winners * (grad / winners.sum()).astype(x.dtype)


class Min(Max):
    """y = min of all elements of x.   dy/dx_i = 1/k for each of the k elements equal to the
    minimum, 0 elsewhere (the backward is Max's: it gives the gradient to the elements equal to y)."""

    @staticmethod
    def forward(ctx, x):
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
    def forward(ctx, x, dim: int, keepdim: bool, index: np.ndarray):
        idx = np.expand_dims(index, dim)
        values = np.take_along_axis(x, idx, axis=dim)
        ctx.save_for_backward(idx)
        ctx.in_shape, ctx.dim = x.shape, dim
        return values if keepdim else np.squeeze(values, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        (idx,) = ctx.saved
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        np.put_along_axis(out, idx, grad.reshape(idx.shape), axis=ctx.dim)
        return out
