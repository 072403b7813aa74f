"""Normalisation: x_hat = (x - mean) / sqrt(var + eps) over some axes, as one fused op.

Batch norm normalises each channel over the batch (and spatial) axes, layer norm each sample
over its feature axes, group norm each group of channels of each sample; the scale gamma and
shift beta that follow are ordinary elementwise ops. So one primitive serves all three, and its
backward is the classic derivation, done once:

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

import numpy as np

from ..autograd import Function


class Normalize(Function):
    """y = (x - mean) / sqrt(var + eps), mean and biased var over ``axes``.

    dL/dx = (1/s) (g - mean(g) - y * mean(g * y)) with s = sqrt(var + eps), g = dL/dy and the
    means over ``axes``: the direct path, the path through the mean, and the path through the
    variance (derived step by step in the module docstring).

    forward also leaves the batch statistics on the context (``ctx.mean``, ``ctx.var``) so that
    batch norm can update its running averages without computing them twice.
    """

    @staticmethod
    def forward(ctx, x, axes: tuple[int, ...], eps: float):
        mean = x.mean(axis=axes, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(axis=axes, keepdims=True)
        inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = centred * inv_std
        ctx.save_for_backward(x_hat, inv_std)
        ctx.axes, ctx.mean, ctx.var = axes, mean, var
        return x_hat

    @staticmethod
    def backward(ctx, grad):
        x_hat, inv_std = ctx.saved
        mean_g = grad.mean(axis=ctx.axes, keepdims=True)
        mean_gx = (grad * x_hat).mean(axis=ctx.axes, keepdims=True)
        return inv_std * (grad - mean_g - x_hat * mean_gx)
