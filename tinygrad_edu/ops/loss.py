"""Ops for classification losses: a fused, numerically stable log-softmax and a gather.

cross_entropy(x, y) = nll_loss(log_softmax(x), y) is composed from these in
``tinygrad_edu.nn.functional``.
"""
from __future__ import annotations


import numpy as np

from ..autograd import Function, Grads


class LogSoftmax(Function):
    """y = x - logsumexp(x) along ``dim``, computed as (x - m) - log(sum(exp(x - m))) with
    m = max(x) so that exp never overflows (logits of 1e4 are fine).

    dy_i/dx_j = [i == j] - softmax(x)_j, so dL/dx = g - softmax(x) * sum(g), with softmax = e^y.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int) -> np.ndarray:
        m = x.max(axis=dim, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)  # a row of all -inf stays -inf/nan as in torch
        shifted = x - m
        y = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (y,) = ctx.saved
        return grad - np.exp(y) * grad.sum(axis=ctx.dim, keepdims=True)


class Gather(Function):
    """y[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather). ``index`` may be smaller
    than x in the other dims: it then reads from x's leading block x[:I, :, :K].

    dL/dx gets each output gradient *added* at the position it was read from: a position read
    several times (a repeated index) receives the sum of their gradients.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        ctx.index, ctx.in_shape, ctx.dim = index, x.shape, dim
        ctx.block = tuple(slice(None) if i == dim else slice(0, n) for i, n in enumerate(index.shape))
        return np.take_along_axis(x[ctx.block], index, axis=dim)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        out = np.zeros(ctx.in_shape, dtype=grad.dtype)
        grid = list(np.indices(ctx.index.shape, sparse=True))
        grid[ctx.dim] = ctx.index
        np.add.at(out[ctx.block], tuple(grid), grad)  # out[block] is a view: adds land in out
        return out


class BinaryCrossEntropy(Function):
    """l = -(y log p + (1 - y) log(1 - p)) elementwise, for probabilities p and targets y in
    [0, 1]; each log is clamped at -100 (torch's rule), so p = 0 or 1 gives a finite loss.

    dl/dp = (p - y) / (p (1 - p)), with the denominator kept >= 1e-12 (torch's eps) so that
    p = 0 or 1 gives a large finite gradient instead of inf;
    dl/dy = log(1 - p) - log p with the logs *not* clamped (torch's rule: +-inf at p = 0 or 1).
    A composite of log and clamp would give 0 * inf = nan at p = 0 or 1, hence one op.
    """

    @staticmethod
    def forward(ctx: Function, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        log_p = np.maximum(np.log(p), -100)
        log_q = np.maximum(np.log1p(-p), -100)
        ctx.save_for_backward(p, y)
        return -(y * log_p + (1 - y) * log_q)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        p, y = ctx.saved
        gp = grad * (p - y) / np.maximum(p * (1 - p), 1e-12) if ctx.needs_input_grad[0] else None
        gy = grad * (np.log1p(-p) - np.log(p)) if ctx.needs_input_grad[1] else None
        return gp, gy
