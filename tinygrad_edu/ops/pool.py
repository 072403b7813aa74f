"""Max and average pooling over 2-D windows, by K*K strided slices (no loops over pixels).

A window of output pixel (oh, ow) covers xp[oh*s + i*d, ow*s + j*d] for kernel offsets (i, j).
As in conv.py, the pixels that one offset (i, j) touches over all outputs form a single strided
slice of the padded input, so a pooling op is KH*KW slice operations on whole arrays.

ceil_mode adds a last, partial window when the input does not divide evenly; torch keeps it
only if it starts inside the input or the left padding.
"""
from __future__ import annotations

from typing import Iterator, Optional

import numpy as np

from ..autograd import Function, Grads
from .conv import Pair, empty_in_order, empty_like_layout, in_memory_order, memory_order, pad_nchw, window_slice


def pool_output_size(size: int, kernel: int, stride: int, pad: int, dilation: int, ceil_mode: bool) -> int:
    """torch's pooling output size along one axis."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1  # the last window would start in the right padding
    return out


def _scatter_buffer(xp_shape: tuple[int, ...], order: tuple[int, ...], dtype: np.dtype, out_hw: Pair,
                    kernel: Pair, stride: Pair, dilation: Pair = (1, 1)) -> tuple[np.ndarray, bool]:
    """The array a pooling backward writes dL/dxp into (its axes in memory in ``order``, the
    forward input's: see conv.py, Layout), and whether the windows are disjoint.

    Disjoint windows (stride >= the dilated kernel) each own their pixels, so the K*K window
    slices can be *assigned* instead of added into a zeroed array; when they also tile the padded
    input exactly, nothing is left to zero (2x2 pooling with stride 2 on even sizes)."""
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    disjoint = all(s >= span for s, span in zip(stride, spans))
    # tiled: stride == kernel (with disjointness this rules out dilated windows, which leave gaps)
    tiled = disjoint and all(s == k and o * s == size for s, k, o, size in zip(stride, kernel, out_hw, xp_shape[2:]))
    buffer = empty_in_order(xp_shape, order, dtype)
    if not tiled:
        buffer.fill(0)
    return buffer, disjoint


def _padding_for(size: int, out: int, kernel: int, stride: int, pad: int, dilation: int) -> Pair:
    """(before, after) padding so every window of ``out`` positions lies inside the array."""
    needed = (out - 1) * stride + dilation * (kernel - 1) + 1
    return pad, max(needed - size - pad, 0)


class MaxPool2d(Function):
    """y = max of each window (-inf padding).

    dL/dx: each output's gradient goes to the one input element that was the maximum of its
    window. On ties inside a window that is the first maximum in row-major window order, the
    element torch picks; a pixel that is the maximum of several overlapping windows receives
    the sum of their gradients.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair,
                ceil_mode: bool) -> np.ndarray:
        n, c, h, w = x.shape
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
        ho = pool_output_size(h, kh, sh, ph, dh, ceil_mode)
        wo = pool_output_size(w, kw, sw, pw, dw, ceil_mode)
        pads = (_padding_for(h, ho, kh, sh, ph, dh), _padding_for(w, wo, kw, sw, pw, dw))
        xp = pad_nchw(x, pads, value=-np.inf)
        best = np.array(xp[:, :, window_slice(0, ho, sh), window_slice(0, wo, sw)])
        for i, j, v in MaxPool2d._windows(xp, kernel, stride, dilation, (ho, wo)):
            np.maximum(best, v, out=best)  # np.maximum propagates NaN, as torch's max pool does
        ctx.save_for_backward(xp, best)
        ctx.geometry = (x.shape, pads, kernel, stride, dilation)
        return best

    @staticmethod
    def _windows(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair,
                 out_hw: Pair) -> Iterator[tuple[int, int, np.ndarray]]:
        """(i, j, slice of xp touched by kernel offset (i, j)) for every offset, row-major."""
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                yield i, j, xp[:, :, window_slice(i * dilation[0], out_hw[0], stride[0]),
                               window_slice(j * dilation[1], out_hw[1], stride[1])]

    @staticmethod
    def first_max_masks(xp: np.ndarray, best: np.ndarray, kernel: Pair, stride: Pair,
                        dilation: Pair) -> Iterator[tuple[int, int, np.ndarray]]:
        """For each offset (i, j): where it holds its window's first maximum (a NaN counts as the
        maximum). Every output position is claimed by exactly one offset: the last offset simply
        takes whatever is still unclaimed."""
        unclaimed = np.ones_like(best, dtype=bool)
        has_nan = bool(np.isnan(best).any())
        last = (kernel[0] - 1, kernel[1] - 1)
        for i, j, v in MaxPool2d._windows(xp, kernel, stride, dilation, best.shape[2:]):
            if (i, j) == last:
                yield i, j, unclaimed
                return
            hit = np.equal(v, best)
            if has_nan:
                hit |= np.isnan(v)
            hit &= unclaimed
            unclaimed ^= hit  # hit is a subset of unclaimed, so this removes it
            yield i, j, hit

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        xp, best = ctx.saved
        x_shape, pads, kernel, stride, dilation = ctx.geometry
        ho, wo = best.shape[2:]
        grad = in_memory_order(grad, memory_order(best))      # see in_memory_order
        dxp, disjoint = _scatter_buffer(xp.shape, memory_order(xp), grad.dtype, (ho, wo), kernel, stride, dilation)
        routed = np.empty_like(grad)
        for i, j, hit in MaxPool2d.first_max_masks(xp, best, kernel, stride, dilation):
            window = dxp[:, :, window_slice(i * dilation[0], ho, stride[0]), window_slice(j * dilation[1], wo, stride[1])]
            if disjoint:
                np.multiply(grad, hit, out=window)
            else:
                window += np.multiply(grad, hit, out=routed)
        (pt, _), (pl, _) = pads
        return dxp[:, :, pt:pt + x_shape[2], pl:pl + x_shape[3]]

    @staticmethod
    def flat_indices(ctx: "MaxPool2d") -> np.ndarray:
        """torch's ``return_indices``: the position of each maximum in the flattened H*W input."""
        xp, best = ctx.saved
        x_shape, pads, kernel, stride, dilation = ctx.geometry
        ho, wo = best.shape[2:]
        index = np.zeros(best.shape, dtype=np.int64)
        for i, j, hit in MaxPool2d.first_max_masks(xp, best, kernel, stride, dilation):
            rows = np.arange(ho).reshape(ho, 1) * stride[0] + i * dilation[0] - pads[0][0]
            cols = np.arange(wo).reshape(1, wo) * stride[1] + j * dilation[1] - pads[1][0]
            np.copyto(index, np.broadcast_to(rows * x_shape[3] + cols, best.shape), where=hit)
        return index


class AvgPool2d(Function):
    """y = (sum of each window) / divisor (zero padding).

    divisor = window size clipped to the padded input (count_include_pad=True) or the number of
    real input pixels in the window (False), or ``divisor_override`` for every window when given.
    dL/dx: every pixel of a window receives that window's gradient / divisor; overlapping
    windows add up.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, ceil_mode: bool,
                count_include_pad: bool, divisor_override: Optional[int] = None) -> np.ndarray:
        n, c, h, w = x.shape
        (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
        ho = pool_output_size(h, kh, sh, ph, 1, ceil_mode)
        wo = pool_output_size(w, kw, sw, pw, 1, ceil_mode)
        pads = (_padding_for(h, ho, kh, sh, ph, 1), _padding_for(w, wo, kw, sw, pw, 1))
        xp = pad_nchw(x, pads)
        total = empty_like_layout(x, (n, c, ho, wo))      # in x's memory order (see conv.py, Layout)
        total.fill(0)
        for i in range(kh):
            for j in range(kw):
                total += xp[:, :, window_slice(i, ho, sh), window_slice(j, wo, sw)]
        divisor = (AvgPool2d._counts(h, ho, kh, sh, ph, count_include_pad)[:, None]
                   * AvgPool2d._counts(w, wo, kw, sw, pw, count_include_pad)[None, :]).astype(x.dtype)
        if divisor_override is not None:
            divisor = np.full((ho, wo), divisor_override, dtype=x.dtype)
        ctx.save_for_backward(divisor)
        ctx.geometry = (x.shape, xp.shape, pads, kernel, stride)
        ctx.order = memory_order(x)
        return total / divisor

    @staticmethod
    def _counts(size: int, out: int, kernel: int, stride: int, pad: int, include_pad: bool) -> np.ndarray:
        """Per output position along one axis: how many elements its window averages over."""
        start = np.arange(out) * stride - pad
        end = np.minimum(start + kernel, size + pad)
        if include_pad:
            return end - start
        return np.minimum(end, size) - np.maximum(start, 0)

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Grads:
        (divisor,) = ctx.saved
        x_shape, xp_shape, pads, (kh, kw), (sh, sw) = ctx.geometry
        ho, wo = divisor.shape
        g = in_memory_order(grad, ctx.order) / divisor      # the forward's order: see in_memory_order
        dxp, disjoint = _scatter_buffer(xp_shape, ctx.order, grad.dtype, (ho, wo), (kh, kw), (sh, sw))
        for i in range(kh):
            for j in range(kw):
                window = dxp[:, :, window_slice(i, ho, sh), window_slice(j, wo, sw)]
                if disjoint:
                    window[...] = g
                else:
                    window += g
        (pt, _), (pl, _) = pads
        return dxp[:, :, pt:pt + x_shape[2], pl:pl + x_shape[3]]
