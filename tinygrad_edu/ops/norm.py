"""Normalisation: x_hat = (x - mean) / sqrt(var + eps) over some axes, as one fused op.

Batch norm normalises each channel over the batch (and spatial) axes, layer norm each sample
over its feature axes, group norm each group of channels of each sample; the scale gamma and
shift beta that follow are ordinary elementwise ops. So one primitive serves all three, and its
backward is the classic derivation, done once (batch norm with a scale or shift uses
:class:`BatchNorm`, the same derivation with the affine step folded in, for speed):

Let the m values of one normalised group be x_1..x_m, mu = (1/m) sum x_i,
var = (1/m) sum (x_i - mu)^2 (the biased variance), s = sqrt(var + eps), x_hat_i = (x_i - mu)/s,
and g_i = dL/dx_hat_i. Then x_hat depends on x_j directly and through mu and var:

    dx_hat_i/dx_j = [i == j]/s - 1/(m s) - (x_i - mu)/s^2 * ds/dx_j,
    ds/dx_j = (1/(2s)) dvar/dx_j = (x_j - mu)/(m s)          (the mu-terms of dvar cancel)

so dx_hat_i/dx_j = (1/s) ([i == j] - 1/m - x_hat_i x_hat_j / m), and

    dL/dx_j = sum_i g_i dx_hat_i/dx_j = (1/s) (g_j - mean(g) - x_hat_j * mean(g * x_hat)).

Three terms: the direct path, the path through the mean (every x moves mu), and the path
through the variance. Composing the same computation from primitive ops (sub, mul, mean, sqrt,
div) gives the same gradient (tested), but builds ~10 nodes and as many full-size temporaries;
the fused op keeps x_hat and 1/s and needs two reductions in backward.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import parallel
from ..autograd import Function, Grads


class Normalize(Function):
    """y = (x - mean) / sqrt(var + eps), mean and biased var over ``axes``.

    dL/dx = (1/s) (g - mean(g) - y * mean(g * y)) with s = sqrt(var + eps), g = dL/dy and the
    means over ``axes``: the direct path, the path through the mean, and the path through the
    variance (derived step by step in the module docstring).

    forward also leaves the batch statistics on the context (``ctx.mean``, ``ctx.var``) so that
    batch norm can update its running averages without computing them twice.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axes: tuple[int, ...], eps: float) -> np.ndarray:
        mean = x.mean(axis=axes, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(axis=axes, keepdims=True)
        inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = centred * inv_std
        ctx.save_for_backward(x_hat, inv_std)
        ctx.axes, ctx.mean, ctx.var = axes, mean, var
        return x_hat

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        x_hat, inv_std = ctx.saved
        mean_g = grad.mean(axis=ctx.axes, keepdims=True)
        mean_gx = (grad * x_hat).mean(axis=ctx.axes, keepdims=True)
        return inv_std * (grad - mean_g - x_hat * mean_gx)


class BatchNorm(Function):
    """Batch norm in training with its scale and shift in the same op:
    y = gamma * x_hat + beta, x_hat as in Normalize over every axis but the channels (axis 1),
    gamma and beta one value per channel (shaped (1, C, 1, ...) to broadcast).

    Backward, with g = dL/dy and the sums per channel (over m values each):

        dL/dbeta  = sum(g)                     beta is added to every value of its channel
        dL/dgamma = sum(g * x_hat)             gamma scales every x_hat of its channel
        dL/dx_hat = gamma * g, so by Normalize's formula
        dL/dx     = (gamma / s) (g - sum(g)/m - x_hat * sum(g * x_hat)/m)

    The same two sums give the parameter gradients and the input gradient: that is why torch
    and every other framework fuse the affine step into batch norm. Composed as Normalize, Mul
    and Add, a forward+backward makes about 19 passes over the activations and allocates as
    many full-size temporaries; here it is 11 (5 forward, 6 backward), each one NumPy call:

    * The op keeps the centred input x - mean, not x_hat = (x - mean) / s: then
      y = (x - mean) * (gamma / s) + beta is two passes from it, and x_hat, wherever the
      backward needs it, is (x - mean) times the per-channel 1/s, folded into a per-channel
      constant (sum(g * x_hat) = sum(g * (x - mean)) / s). Keeping x_hat cost a third pass.
    * The per-channel sums of products (the variance's sum((x - mean)^2), and
      sum(g * (x - mean))) are ``np.einsum`` contractions, which read both operands once and
      write nothing (a third of the time of multiply-then-sum, with the same float32 rounding).
    * dL/dx is computed inside out in one buffer: x_hat * (sum(g x_hat)/m), plus sum(g)/m,
      subtracted from g, times gamma / s.

    Every pass moves the whole array through memory, and a NumPy call runs on one core; the
    seven elementwise passes (x - mean, the affine step, the input gradient's four) therefore run
    in channel parts on each core (``tinygrad_edu/parallel.py``; the per-channel sums stay whole,
    so the result is bit-identical to one thread). The timings are in docs/design_measurements.md.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, gamma: Any, beta: Any, eps: float) -> np.ndarray:
        axes = (0,) + tuple(range(2, x.ndim))
        m = x.size // x.shape[1]
        mean = x.mean(axis=axes, keepdims=True)
        centred = np.empty_like(x)
        parallel.split(lambda lo, hi: np.subtract(x[:, lo:hi], mean[:, lo:hi], out=centred[:, lo:hi]),
                       x.shape[1], x.size)
        var = (_channel_dot(centred, centred) / m).reshape(mean.shape)
        inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        scale = gamma * inv_std
        y = np.empty_like(centred, dtype=np.result_type(centred, scale, beta))

        def affine(lo: int, hi: int) -> None:  # channels lo:hi
            out = y[:, lo:hi]
            np.multiply(centred[:, lo:hi], scale[:, lo:hi], out=out)
            out += beta[:, lo:hi]
        parallel.split(affine, x.shape[1], 2 * x.size)
        ctx.save_for_backward(centred, gamma, inv_std)
        ctx.axes, ctx.mean, ctx.var = axes, mean, var
        return y

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        centred, gamma, inv_std = ctx.saved
        m = centred.size // gamma.size
        sum_g = grad.sum(axis=ctx.axes, keepdims=True)
        sum_gx = _channel_dot(grad, centred).reshape(gamma.shape) * inv_std     # sum(g * x_hat)
        dx = None
        if ctx.needs_input_grad[0]:
            through_var, through_mean, scale = inv_std * (sum_gx / m), sum_g / m, gamma * inv_std
            dx = np.empty_like(centred, dtype=np.result_type(centred, through_var))

            def input_grad(lo: int, hi: int) -> None:  # channels lo:hi
                d = dx[:, lo:hi]
                np.multiply(centred[:, lo:hi], through_var[:, lo:hi], out=d)  # x_hat * sum(g * x_hat)/m
                d += through_mean[:, lo:hi]
                np.subtract(grad[:, lo:hi], d, out=d)
                d *= scale[:, lo:hi]
            parallel.split(input_grad, centred.shape[1], 4 * centred.size)
        d_gamma = sum_gx if ctx.needs_input_grad[1] else None
        d_beta = sum_g if ctx.needs_input_grad[2] else None
        return dx, d_gamma, d_beta


def _channel_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum(a * b) per channel (axis 1) of two arrays of one shape, in one einsum, in any memory
    order: 'nchw,nchw->c' for 4-D input."""
    letters = "nc" + "defghijklm"[:a.ndim - 2]
    return np.einsum(f"{letters},{letters}->c", a, b)
