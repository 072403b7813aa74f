"""Region-of-interest pooling (Fast R-CNN, d2l 14.8) as primitive ops with their gradients.

A box ``(b, x1, y1, x2, y2)`` picks image ``b`` of the batch; its coordinates are in input
pixels times ``spatial_scale``. Both ops cut the box into an ``oh x ow`` grid of bins. The
coordinate arithmetic is done in the input's float type, in the order torchvision's CPU kernels
use, so the bins (and the pixels they cover) are the same.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd import Function


def _round_half_away(v: np.floating) -> int:
    return int(math.copysign(math.floor(abs(float(v)) + 0.5), float(v)))


class RoIPool(Function):
    """y[k, c, i, j] = max of x[b_k, c] over bin (i, j) of box k (0 for an empty bin).

    The box is rounded to whole pixels, x1' = round(s x1) ... (at least one pixel wide), and bin
    i covers rows floor(i h / oh) to ceil((i + 1) h / oh) of it, clipped to the image.

    dL/dx: each output's gradient goes to the pixel that was its bin's maximum (the first one in
    row-major order on ties); a pixel that is the maximum of several bins gets their sum; empty
    bins pass nothing.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, rois: np.ndarray, output_size: tuple[int, int],
                spatial_scale: float) -> np.ndarray:
        t = x.dtype.type
        n, c, h, w = x.shape
        oh, ow = output_size
        out = np.zeros((len(rois), c, oh, ow), dtype=x.dtype)
        argmax = np.full((len(rois), c, oh, ow), -1, dtype=np.int64)
        scale = t(spatial_scale)
        for k, roi in enumerate(rois.astype(x.dtype)):
            b = int(roi[0])
            x1, y1, x2, y2 = (_round_half_away(v * scale) for v in roi[1:])
            bin_h = t(max(y2 - y1 + 1, 1)) / t(oh)
            bin_w = t(max(x2 - x1 + 1, 1)) / t(ow)
            for i in range(oh):
                hs = min(max(int(math.floor(t(i) * bin_h)) + y1, 0), h)
                he = min(max(int(math.ceil(t(i + 1) * bin_h)) + y1, 0), h)
                for j in range(ow):
                    ws = min(max(int(math.floor(t(j) * bin_w)) + x1, 0), w)
                    we = min(max(int(math.ceil(t(j + 1) * bin_w)) + x1, 0), w)
                    if he <= hs or we <= ws:
                        continue
                    region = x[b, :, hs:he, ws:we].reshape(c, -1)
                    first = np.argmax(region, axis=1)
                    out[k, :, i, j] = region[np.arange(c), first]
                    argmax[k, :, i, j] = (hs + first // (we - ws)) * w + ws + first % (we - ws)
        ctx.save_for_backward(argmax)
        ctx.geometry = (x.shape, rois[:, 0].astype(np.int64))
        return out

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Any:
        (argmax,) = ctx.saved
        shape, batch = ctx.geometry
        n, c, h, w = shape
        dx = np.zeros((n, c, h * w), dtype=grad.dtype)
        hit = argmax >= 0
        k, ch, _, _ = np.nonzero(hit)
        np.add.at(dx, (batch[k], ch, argmax[hit]), grad[hit])
        return dx.reshape(shape)


def _align_weights(start: Any, bin_size: Any, grid: int, out: int, size: int, t: Any) -> np.ndarray:
    """(out, size) matrix: row i sums, over the grid samples of bin i, the linear-interpolation
    weights of each input row/column (torchvision's sampling: a sample outside [-1, size] is
    zero; one in [-1, 0] reads the edge)."""
    m = np.zeros((out, size), dtype=np.float64)
    for i in range(out):
        for s in range(grid):
            y = start + t(i) * bin_size + t(s + 0.5) * bin_size / t(grid)
            if y < -1.0 or y > size:
                continue
            y = max(y, t(0))
            low = int(y)
            if low >= size - 1:
                low = high = size - 1
                y = t(low)
            else:
                high = low + 1
            frac = y - t(low)
            m[i, low] += float(t(1) - frac)
            m[i, high] += float(frac)
    return m


class RoIAlign(Function):
    """y[k, c, i, j] = mean over a g_h x g_w grid of points in bin (i, j) of box k of x[b_k, c]
    read by bilinear interpolation (no rounding of the box: Mask R-CNN's alignment).

    The points' rows and columns do not depend on each other, so with A_y (oh x H) and A_x
    (ow x W) holding each bin's summed interpolation weights, y[k, c] = A_y x[b_k, c] A_x^T / g.

    dL/dx[b_k, c] += A_y^T (dL/dy[k, c]) A_x / g (the transpose of a linear map); boxes get no
    gradient, as in torchvision.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, rois: np.ndarray, output_size: tuple[int, int], spatial_scale: float,
                sampling_ratio: int, aligned: bool) -> np.ndarray:
        t = x.dtype.type
        n, c, h, w = x.shape
        oh, ow = output_size
        out = np.zeros((len(rois), c, oh, ow), dtype=x.dtype)
        maps = []
        offset = t(0.5) if aligned else t(0)
        for k, roi in enumerate(rois.astype(x.dtype)):
            b = int(roi[0])
            x1, y1, x2, y2 = (v * t(spatial_scale) - offset for v in roi[1:])
            rh, rw = y2 - y1, x2 - x1
            if not aligned:
                rh, rw = max(rh, t(1)), max(rw, t(1))
            bin_h, bin_w = rh / t(oh), rw / t(ow)
            gh = sampling_ratio if sampling_ratio > 0 else int(math.ceil(rh / t(oh)))
            gw = sampling_ratio if sampling_ratio > 0 else int(math.ceil(rw / t(ow)))
            count = max(gh * gw, 1)
            ay = _align_weights(y1, bin_h, gh, oh, h, t).astype(x.dtype)
            ax = _align_weights(x1, bin_w, gw, ow, w, t).astype(x.dtype)
            out[k] = np.matmul(np.matmul(ay, x[b]), ax.T) / t(count)
            maps.append((b, ay, ax, count))
        ctx.maps, ctx.shape = maps, x.shape
        return out

    @staticmethod
    def backward(ctx: Function, grad: np.ndarray) -> Any:
        dx = np.zeros(ctx.shape, dtype=grad.dtype)
        t = grad.dtype.type
        for k, (b, ay, ax, count) in enumerate(ctx.maps):
            dx[b] += np.matmul(np.matmul(ay.T, grad[k]), ax) / t(count)
        return dx
