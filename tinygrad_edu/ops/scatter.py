"""Scatter: the mirror image of gather. Along ``dim``, element src[i][j][k] of the source goes to
out[i][index[i][j][k]][k] (dim = 1); every other element of out keeps the input's value.

``index`` (int64, same rank as the input) may be smaller than ``src`` and than the input in
every dim; the positions it names are ``_targets(index, dim)``.
"""
from __future__ import annotations


import numpy as np

from ..autograd import Function, Grads


def _targets(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """The full NumPy index of the positions named by ``index`` along ``dim``."""
    grid: list[np.ndarray] = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _block(index: np.ndarray) -> tuple[slice, ...]:
    """The leading block of src that index covers (src may be larger than index)."""
    return tuple(slice(0, n) for n in index.shape)


def _others(v: np.ndarray, zeros: np.ndarray, nonzero_product: np.ndarray) -> np.ndarray:
    """The product of the other values reduced into v's target, from the target's count of zeros
    and product of nonzero values: p / v if there is no zero; for v = 0, p if it is the only zero;
    otherwise 0."""
    safe = np.where(v == 0, 1, v)
    return np.where(v == 0, np.where(zeros == 1, nonzero_product, 0),
                    np.where(zeros == 0, nonzero_product / safe, 0))


class Scatter(Function):
    """out = x, then out[target(i)] = src[i] (``reduce`` None) or out[target(i)] += src[i]
    (``reduce`` 'add', which is scatter_add), or out[target(i)] *= src[i] (``reduce``
    'multiply', forward only: torch defines no derivative for it, and scatter_reduce's 'prod'
    is the differentiable spelling).

    Overwrite: dL/dx is dL/dout except at the targets, whose input values were replaced (0
    there); dL/dsrc[i] = dL/dout[target(i)] (a gather). When two sources hit one target only one
    of them survives, and torch does not say which; its gradient is still the gather, so every
    source gets it. Add: dL/dx = dL/dout and dL/dsrc[i] = dL/dout[target(i)].
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray,
                reduce: str | None) -> np.ndarray:
        ctx.dim, ctx.index, ctx.reduce, ctx.src_shape = dim, index, reduce, src.shape
        out = x.copy()
        where = _targets(index, dim)
        if reduce is None:
            out[where] = src[_block(index)]
        elif reduce == "multiply":
            np.multiply.at(out, where, src[_block(index)])
        else:
            np.add.at(out, where, src[_block(index)])
        return out

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        if ctx.reduce == "multiply":
            raise RuntimeError("scatter: the derivative of reduce='multiply' is not implemented (torch has "
                               "none either); use scatter_reduce(dim, index, src, 'prod') to differentiate")
        where = _targets(ctx.index, ctx.dim)
        gx = gsrc = None
        if ctx.needs_input_grad[0]:
            gx = grad.copy()
            if ctx.reduce is None:
                gx[where] = 0
        if ctx.needs_input_grad[1]:
            gsrc = np.zeros(ctx.src_shape, dtype=grad.dtype)
            gsrc[_block(ctx.index)] = grad[where]
        return gx, gsrc


class ScatterReduce(Function):
    """torch.scatter_reduce with reduce 'sum', 'prod', 'mean', 'amax' or 'amin'. For each target t, the
    values reduced are the sources that hit t, plus x[t] when ``include_self``; targets that no
    source hits keep x[t].

    sum:   dL/dx[t] = g[t] if include_self (else 0 at hit targets),  dL/dsrc[i] = g[t(i)].
    mean:  out[t] = (sum of the values) / (their count c_t), so each value gets g[t] / c_t.
    prod:  each value v gets g[t] times the product of the *other* values reduced into t.
    amax/amin: the value(s) equal to out[t] get g[t] split evenly among them (a tie of k values
           gives each g / k), the others get 0, as torch does; like torch, x[t] is counted in k
           when it equals out[t] even if include_self=False (it then gets no share itself).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray, reduce: str,
                include_self: bool) -> np.ndarray:
        where, block = _targets(index, dim), _block(index)
        s = src[block]
        hit = np.zeros(x.shape, dtype=bool)
        hit[where] = True
        if reduce in ("sum", "mean"):
            drop = hit & (not include_self)  # targets whose own value is left out
            total = np.where(drop, 0, x).astype(x.dtype)
            np.add.at(total, where, s)
            count = np.where(drop, 0, 1).astype(x.dtype)
            np.add.at(count, where, 1)
            out = total if reduce == "sum" else np.where(hit, total / np.maximum(count, 1), x)
            if reduce == "mean" and x.dtype.kind in "iu":
                out = np.floor_divide(total, np.maximum(count, 1)).astype(x.dtype)
        elif reduce == "prod":
            out = np.where(hit & (not include_self), 1, x).astype(x.dtype)
            np.multiply.at(out, where, s)
            count = None
        else:
            pick = np.maximum if reduce == "amax" else np.minimum
            start = np.full_like(x, -np.inf if reduce == "amax" else np.inf) if x.dtype.kind == "f" else \
                np.full_like(x, np.iinfo(x.dtype).min if reduce == "amax" else np.iinfo(x.dtype).max)
            out = np.where(hit & (not include_self), start, x)
            pick.at(out, where, s)
            count = None
        ctx.save_for_backward(x, s, out, hit, count)
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self, ctx.src_shape = dim, index, reduce, include_self, src.shape
        return out

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x, s, out, hit, count = ctx.saved
        where = _targets(ctx.index, ctx.dim)
        self_counts = ~hit | ctx.include_self  # positions where x takes part in its own value
        if ctx.reduce == "sum":
            gx, gs = np.where(self_counts, grad, 0), grad[where]
        elif ctx.reduce == "mean":
            share = grad / np.where(hit, count, 1)
            gx, gs = np.where(self_counts, share, 0), share[where]
        elif ctx.reduce == "prod":
            # d out[t] / d v = the product of the other values reduced into t. Computed from the
            # number of zeros z[t] and the product p[t] of the nonzero values, so that it stays
            # exact when values are 0: p / v if z = 0; for v = 0, p if z = 1; else 0.
            self_in = self_counts
            zeros = np.where(self_in & (x == 0), 1, 0)
            np.add.at(zeros, where, (s == 0).astype(zeros.dtype))
            nonzero = np.where(self_in & (x != 0), x, 1).astype(grad.dtype)
            np.multiply.at(nonzero, where, np.where(s == 0, 1, s))

            gx = np.where(~hit, grad, np.where(self_in, grad * _others(x, zeros, nonzero), 0))
            gs = grad[where] * _others(s, zeros[where], nonzero[where])
        else:  # torch's rule: count x[t] among the winners if it equals out[t], even when it was
            # excluded (include_self=False), then give it no share
            winners = (x == out).astype(grad.dtype)
            np.add.at(winners, where, (s == out[where]).astype(grad.dtype))
            share = grad / np.maximum(winners, 1)
            gx = np.where((x == out) & self_counts, share, 0)
            gs = np.where(s == out[where], share[where], 0)
        gsrc = np.zeros(ctx.src_shape, dtype=grad.dtype)
        gsrc[_block(ctx.index)] = gs
        return (gx.astype(grad.dtype, copy=False) if ctx.needs_input_grad[0] else None,
                gsrc if ctx.needs_input_grad[1] else None)
