"""Ops for classification losses: a fused, numerically stable log-softmax and a gather.

cross_entropy(x, y) = nll_loss(log_softmax(x), y) is composed from these in
``tinygrad_edu.nn.functional``.
"""
from __future__ import annotations

import numpy as np

from ..autograd import Function


class LogSoftmax(Function):
    """y = x - logsumexp(x) along ``dim``, computed as (x - m) - log(sum(exp(x - m))) with
    m = max(x) so that exp never overflows (logits of 1e4 are fine).

    dy_i/dx_j = [i == j] - softmax(x)_j, so dL/dx = g - softmax(x) * sum(g), with softmax = e^y.
    """

    @staticmethod
    def forward(ctx, x, dim: int):
        m = x.max(axis=dim, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)  # a row of all -inf stays -inf/nan as in torch
        shifted = x - m
        y = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved
        return grad - np.exp(y) * grad.sum(axis=ctx.dim, keepdims=True)


class Gather(Function):
    """y[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather).

    dL/dx gets each output gradient added at the position it was read from; positions read
    several times receive the sum of their gradients.
    """

    @staticmethod
    def forward(ctx, x, dim: int, index: np.ndarray):
        ctx.save_for_backward(index)
        ctx.in_shape, ctx.dim = x.shape, dim
        return np.take_along_axis(x, index, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        if index.shape[ctx.dim] == 1:  # one read per slice (nll_loss): no duplicates possible
            np.put_along_axis(out, index, grad, axis=ctx.dim)
        else:
            grid = list(np.indices(index.shape, sparse=True))
            grid[ctx.dim] = index
            np.add.at(out, tuple(grid), grad)
        return out
